import type { Precision } from '../detector/types.js';
import type { OneClassProtocol } from '../data/oneclass.js';
import type { TrainingOverrides } from '../cli/common-options.js';
import type { Shard } from './jobs.js';

/** A reproduction of a paper's number: one named benchmark that `normality reproduce <name>` runs. */
export interface ReproduceOptions {
  quick: boolean;
  seed: number;
  /** Benchmarks with `takesSeeds`: train every run with seeds seed, seed + 1, …, this many, and report the mean and spread. */
  seeds: number;
  device: string;
  /** Forward passes in float32 or under bfloat16 autocast. */
  precision: Precision;
  quiet: boolean;
  /** The benchmark's dataset in place of its default (`Benchmark.data` says what it takes). */
  data?: string;
  /**
   * Resumable state, resumed when present: the training checkpoint of a one-run benchmark (video), or the
   * ledger of finished runs of a many-run one (beside it, the training checkpoint of the run in progress).
   */
  checkpoint?: string;
  /** The user's epochs, batch size and learning rate, each in place of the benchmark's own where given. */
  training: TrainingOverrides;
  /** The user's model settings (configuration keys such as memorySize), given to every model the benchmark trains. */
  model: Record<string, unknown>;
  /** Video benchmarks: stop training at an epoch boundary within this many minutes, then score. */
  maxMinutes?: number;
  /** Video benchmarks: also write the HTML report of the test videos' frame scores here. */
  report?: string;
  /**
   * KDDCUP99: which scores set the 80th-percentile threshold: 'combined' (training and test scores, as
   * the DAGMM code that produced the papers' numbers) or 'test' (test scores only, as SPEC words it).
   */
  kddThreshold: 'combined' | 'test';
  /** MNIST and CIFAR-10: the one-class split, 'standard' (SPEC) or 'paper' (MemAE's 2:1, 30% anomalies). */
  oneClassProtocol: OneClassProtocol;
  /** A --jobs worker trains only its share of the runs (into the ledger) and reports nothing. */
  shard?: Shard;
  /** After --jobs workers trained the runs: how many, each with how many threads, and how many runs the ledger held before. */
  parallel?: { jobs: number; threadsPerJob: number; runsFinishedBefore: number };
}

export interface ReproduceResult {
  /** The headline metric, printed last as `<benchmark> <metric>: <value>`. */
  metric: string;
  value: number;
  /** The paper's number for the same metric, to print beside ours. */
  target: number;
  /** Everything else the run measured (written to results/<benchmark>.json). */
  details: Record<string, unknown>;
  /** Which data, split, protocol, seeds and options produced the numbers (SPEC §4). */
  protocol: string;
}

export interface Benchmark {
  name: string;
  description: string;
  /** What `--data` takes for it, and where it reads without one. */
  data: string;
  /** The models it trains (each takes the user's model settings). */
  models: readonly string[];
  /** One long training run, which --max-minutes can cut short before scoring (the video benchmarks). */
  singleRun?: boolean;
  /** Repeats its runs over several seeds with --seeds (the one-class image benchmarks). */
  takesSeeds?: boolean;
  run(options: ReproduceOptions): Promise<ReproduceResult>;
}
