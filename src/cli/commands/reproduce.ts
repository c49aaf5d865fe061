/** `normality reproduce <benchmark>`: a paper's protocol end to end, its numbers printed and saved as JSON. */
import { defineCommand } from '../command.js';
import { benchmarkNames, getBenchmark } from '../../reproduce/benchmarks.js';
import { writeResults } from '../../report/results.js';
import { NormalityError, invalidArgument } from '../../errors.js';
import { sharedDataRoot } from '../datasets.js';
import { checkReportOption } from '../report-option.js';
import { checkOutputFile } from '../output-paths.js';
import type { Benchmark, ReproduceOptions, ReproduceResult } from '../../reproduce/types.js';
import { exitWithParent, runWorkers, temporaryFolder, workerShard } from '../../reproduce/jobs.js';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { OneClassProtocol } from '../../data/oneclass.js';
import { TRAIN_MODEL_OPTIONS, modelSettingsOfAll } from '../model-options.js';
import { ONE_CLASS_PROTOCOL_OPTION, RUNTIME_OPTIONS, applyRuntime, checkedMaxMinutes, trainingOverrides } from '../common-options.js';

export default defineCommand({
  name: 'reproduce',
  summary: 'Run a paper\'s benchmark and print its metric beside the paper\'s',
  usage: '<benchmark>',
  details: `Benchmarks: ${benchmarkNames().join(', ')}. Results go to results/<benchmark>.json (with --quick, results/<benchmark>-quick.json).\n\n` +
    `Data: each benchmark reads its dataset from the data folder, ../shared/data or $NORMALITY_DATA (now ${sharedDataRoot()}), unless --data names it:\n` +
    benchmarkNames().map((b) => `  ${b}: ${getBenchmark(b).data}`).join('\n'),
  options: [
    { name: 'quick', type: 'boolean', description: 'The same pipeline on a subset with few epochs (about a minute on a CPU)' },
    { name: 'epochs', type: 'integer', default: 0, description: 'Override the benchmark\'s epochs (0 = its setting: the paper\'s where the paper gives one)' },
    { name: 'batch-size', type: 'integer', default: 0, description: 'Override the benchmark\'s batch size (0 = its setting)' },
    { name: 'lr', type: 'number', default: 0, description: 'Override the benchmark\'s learning rate (0 = its setting)' },
    { name: 'data', type: 'string', placeholder: 'path', description: 'The benchmark\'s dataset, in place of its default in the data folder (what each benchmark takes: see above)' },
    { name: 'out', type: 'string', placeholder: 'path', description: 'Results file (default results/<benchmark>.json; results/<benchmark>-quick.json with --quick)' },
    { name: 'checkpoint', type: 'string', placeholder: 'path', description: 'Keep resumable state here (video: the training checkpoint; others: the finished runs, and beside it the run in progress); the same command again resumes from it' },
    { name: 'max-minutes', type: 'number', default: 0, description: 'Video benchmarks: stop training at the first epoch boundary where another epoch would pass this many minutes, then score (0 = no limit); every run trains at least one epoch, so that a resumed one makes progress' },
    { name: 'report', type: 'string', placeholder: 'path', description: 'Video benchmarks: also write an HTML report here: the score histogram, ROC and PR curves, and each test video\'s frame scores over its ground truth' },
    { name: 'seeds', type: 'integer', default: 1, description: 'memae-mnist, memae-cifar10: train every class and model with this many seeds (--seed, --seed + 1, …) and report the mean and the spread over seeds' },
    ONE_CLASS_PROTOCOL_OPTION,
    { name: 'jobs', type: 'integer', default: 1, description: 'memae-mnist, memae-cifar10, memae-kdd: train the runs in this many worker processes side by side, each with --threads threads (default: the cores shared out); small networks train more runs per second this way than in one process on every core' },
    { name: 'kdd-threshold', type: 'choice', choices: ['combined', 'test'], default: 'combined', description: 'memae-kdd: set the 80th-percentile threshold on training+test scores (DAGMM code) or on test scores only' },
    TRAIN_MODEL_OPTIONS,
    ...RUNTIME_OPTIONS,
  ],
  async run(o, positionals, typed) {
    const name = positionals[0];
    if (!name) throw invalidArgument('<benchmark>', `one of ${benchmarkNames().join(', ')}`, name, 'Example: normality reproduce memae-mnist --quick');
    const benchmark = getBenchmark(name);
    const maxMinutes = checkedMaxMinutes(o.maxMinutes);
    const training = trainingOverrides(o);
    const model = modelSettingsOfAll(benchmark.models, o.model, TRAIN_MODEL_OPTIONS, typed);
    if (!benchmark.singleRun && maxMinutes !== undefined) {
      const singleRun = benchmarkNames().filter((b) => getBenchmark(b).singleRun).join(', ');
      throw new NormalityError('INVALID_ARGUMENT', `--max-minutes applies to the benchmarks with one long training run (${singleRun}); ${name} trains many short runs: ` +
        'leave --max-minutes out, and pass --checkpoint <path> to be able to stop it and go on later.');
    }
    if (o.report !== undefined && !benchmark.singleRun) {
      throw invalidArgument('--report', `a video benchmark (${benchmarkNames().filter((b) => getBenchmark(b).singleRun).join(', ')})`, name,
        'The many-run benchmarks print a table of their runs; for a report of one model, train it and run normality test --report.');
    }
    checkReportOption(o.report);
    checkOutputFile(o.out, '--out', 'a JSON file of the results', 'results.json');
    if (!Number.isInteger(o.seeds) || o.seeds < 1) throw invalidArgument('--seeds', 'a positive integer', o.seeds);
    if (o.seeds > 1 && !benchmark.takesSeeds) {
      const takes = benchmarkNames().filter((b) => getBenchmark(b).takesSeeds).join(', ');
      throw new NormalityError('INVALID_ARGUMENT', `--seeds applies to ${takes}; ${name} ` +
        (benchmark.singleRun ? 'trains one long run: run it again with another --seed to compare seeds.' : 'already varies the seed over its runs (--seed sets the first).'));
    }
    if (!Number.isInteger(o.jobs) || o.jobs < 1) throw invalidArgument('--jobs', 'a positive number of worker processes', o.jobs);
    if (o.jobs > 1 && benchmark.singleRun) {
      throw new NormalityError('INVALID_ARGUMENT', `--jobs applies to the benchmarks of many short runs (${benchmarkNames().filter((b) => !getBenchmark(b).singleRun).join(', ')}); ` +
        `${name} trains one long run: leave --jobs out.`);
    }
    // Refused, not ignored (and then recorded in the results as if used), where the benchmark has no such choice.
    const oneClass = benchmarkNames().filter((b) => getBenchmark(b).takesSeeds); // the one-class benchmarks take --seeds too
    if (typed.has('protocol') && !oneClass.includes(name)) {
      throw new NormalityError('INVALID_ARGUMENT', `--protocol ${o.protocol} applies to the one-class benchmarks (${oneClass.join(', ')}); ${name} has a protocol of its own, which its results line names: leave --protocol out.`);
    }
    if (typed.has('kddThreshold') && name !== 'memae-kdd') {
      throw new NormalityError('INVALID_ARGUMENT', `--kdd-threshold ${o.kddThreshold} applies to memae-kdd alone; ${name} sets no percentile threshold: leave it out.`);
    }
    const shard = workerShard();
    const precision = applyRuntime(o);
    const started = performance.now();
    if (!shard) console.error(`${benchmark.name}: ${benchmark.description}${o.quick ? ' [--quick: the same pipeline on a subset of the data, with fewer runs and epochs and, for video, smaller frames; the settings below are the ones run]' : ''}`);
    const options = { quick: o.quick, seed: o.seed, seeds: o.seeds, device: o.device, precision, quiet: o.quiet, data: o.data, training, model, checkpoint: o.checkpoint, maxMinutes, report: o.report, kddThreshold: o.kddThreshold as 'combined' | 'test', oneClassProtocol: o.protocol as OneClassProtocol };
    const run = (extra: Partial<ReproduceOptions>) => benchmark.run({ ...options, ...extra })
      .catch((error: unknown) => { throw o.data === undefined ? withDataHint(error, benchmark) : error; });
    if (shard) {
      // A --jobs worker: its runs go to its ledger; the command that started it reports.
      const stopWatching = exitWithParent();
      try {
        await run({ shard });
      } finally {
        stopWatching();
      }
      return;
    }
    const result = o.jobs > 1 ? await inWorkers(name, o, run) : await run({});
    const seconds = (performance.now() - started) / 1000;
    const out = o.out ?? `results/${benchmark.name}${o.quick ? '-quick' : ''}.json`;
    await writeResults(out, { benchmark: benchmark.name, quick: o.quick, metric: result.metric, value: result.value, paper: result.target, seconds, protocol: result.protocol, ...result.details }, { seed: o.seed, options: o });
    console.log(`${result.protocol}`);
    // A quick run's subset and few epochs can land anywhere, even below 0.5: say so beside the paper's number.
    const comparable = o.quick ? ' (not comparable: --quick checks the pipeline on a subset, not the method)' : '';
    console.log(`paper: ${result.target}${comparable}; took ${seconds.toFixed(1)} s; results in ${out}`);
    console.log(`${benchmark.name} ${result.metric}: ${result.value.toFixed(4)}`);
  },
});

/**
 * --jobs N: the runs trained by N worker processes into a ledger (the --checkpoint one, or a temporary one),
 * then the benchmark's own pass over that ledger, which finds every run finished and reports.
 */
async function inWorkers(name: string, o: Record<string, unknown> & { jobs: number; threads: number; checkpoint?: string },
  run: (extra: Partial<ReproduceOptions>) => Promise<ReproduceResult>): Promise<ReproduceResult> {
  // Removed on a signal too (temporaryFolder), where this function's finally would not run.
  const scratch = o.checkpoint === undefined ? temporaryFolder('normality-jobs-') : undefined;
  const ledger = o.checkpoint ?? join(scratch!.path, 'runs.json');
  const threadsPerJob = o.threads > 0 ? o.threads : Math.max(1, Math.floor(availableParallelism() / o.jobs));
  try {
    const runsFinishedBefore = await runWorkers({ benchmark: name, options: o, jobs: o.jobs, threadsPerJob, ledger, keepsLedger: scratch === undefined });
    return await run({ checkpoint: ledger, parallel: { jobs: o.jobs, threadsPerJob, runsFinishedBefore } });
  } finally {
    scratch?.remove();
  }
}

/** A benchmark's dataset missing from the data folder: say what it reads and how to point at another copy. */
function withDataHint(error: unknown, benchmark: Benchmark): unknown {
  if (!(error instanceof NormalityError) || error.code !== 'FILE_NOT_FOUND') return error;
  return new NormalityError('FILE_NOT_FOUND', `${error.message} ${benchmark.name} reads ${benchmark.data}; the data folder is ${sharedDataRoot()} ` +
    '(../shared/data, or $NORMALITY_DATA). Pass --data <path> to read the dataset from elsewhere.', { cause: error });
}
