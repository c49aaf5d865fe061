/**
 * The one-class image protocol (SPEC §1), shared by memae-mnist and memae-cifar10: each class in turn is
 * normal, MemAE, MemAE-nonSpar and AE train on its training images with the same settings, and the AUC
 * over the whole test split is averaged over the classes.
 */
import type { SampleArray } from '../detector/types.js';
import { createDetector } from '../models/registry.js';
import '../models/memae/index.js';
import { printTable } from '../report/table.js';
import { resolveData, type ResolvedData } from '../cli/datasets.js';
import { evaluate, fitWithProgress } from '../cli/fitting.js';
import type { ReproduceOptions, ReproduceResult } from './types.js';
import type { OneClassProtocol } from '../data/oneclass.js';
import { RunLedger } from './ledger.js';
import { modelSettingsForLedger, modelSettingsText } from './model-settings.js';
import { memaeConfig, memorySettingsFor } from '../models/memae/config.js';
import { isMine, parallelText, workerDone } from './jobs.js';

export const ONE_CLASS_MODELS = ['memae', 'memae-nonspar', 'ae'] as const;

const PROTOCOL_WORDS: Record<OneClassProtocol, string> = {
  standard: "standard protocol (train: the normal class's training images; test: the whole test split)",
  paper: "the MemAE paper's protocol (the normal class's images of both splits 2:1 to train and test, anomalies 30% of the test set, split seed 0)",
};

export interface OneClassSettings {
  dataset: 'mnist' | 'cifar10';
  architecture: 'mnist' | 'cifar10';
  epochs: number;
  /** The benchmark's batch size; without one, the architecture's default. */
  batchSize?: number;
  target: number;
  /** --quick: samples per class and test samples, epochs, and a batch small enough for many steps from few images. */
  quick: { maxTrain: number; maxTest: number; epochs: number; batchSize?: number };
}

export async function runOneClass(s: OneClassSettings, o: ReproduceOptions): Promise<ReproduceResult> {
  const { epochs, batchSize, lr } = memaeConfig({
    architecture: s.architecture,
    epochs: o.training.epochs ?? (o.quick ? s.quick.epochs : s.epochs),
    batchSize: o.training.batchSize ?? (o.quick ? s.quick.batchSize ?? s.batchSize : s.batchSize),
    lr: o.training.lr,
    ...o.model,
  });
  const seeds = Array.from({ length: o.seeds }, (_, i) => o.seed + i);
  const manySeeds = seeds.length > 1;
  const rows: Record<string, number | string>[] = [];
  // Each seed's mean over the classes, per model: their spread says how much of a difference is noise.
  const perSeed = seeds.map((seed) => ({ seed, ...Object.fromEntries(ONE_CLASS_MODELS.map((m) => [m, 0])) }) as Record<string, number>);
  let description = '';
  const ledger = RunLedger.open<number>(o.checkpoint, {
    dataset: s.dataset, architecture: s.architecture, protocol: o.oneClassProtocol, quick: o.quick, epochs, batchSize, lr, seed: o.seed, device: o.device, precision: o.precision,
    ...(manySeeds ? { seeds: seeds.length } : {}),
    ...(o.data ? { data: o.data } : {}),
    ...modelSettingsForLedger(o.model),
  }, o.shard);
  // One run: train the model on the class's images and score the test split. With --checkpoint it trains from
  // (and into) its own training checkpoint, and its AUC goes to the ledger once done.
  const trainAndScore = async (model: string, normalClass: number, seed: number, data: ResolvedData, key: string): Promise<number> => {
    const detector = createDetector(model, { ...memorySettingsFor(model, o.model), architecture: s.architecture, epochs, batchSize, lr, seed, device: o.device, precision: o.precision });
    try {
      const label = `class ${normalClass} ${model}${manySeeds ? ` seed ${seed}` : ''}`;
      await fitWithProgress(detector, data.train as SampleArray, { label, quiet: o.quiet, checkpointPath: ledger.trainingCheckpoint(key) });
      const auc = evaluate(data.test.labels!, await detector.score(data.test as SampleArray)).auc;
      ledger.record(key, auc);
      if (o.shard) console.error(`${label}: auc ${auc.toFixed(4)}`); // a worker reports each run; the table comes at the end
      return auc;
    } finally {
      detector.dispose();
    }
  };
  const runsFromCheckpoint = o.parallel?.runsFinishedBefore ?? ledger.finishedRuns;
  const runs = 10 * ONE_CLASS_MODELS.length * seeds.length;
  if (runsFromCheckpoint > 0 && !o.parallel && !o.shard) console.error(`${o.checkpoint}: ${runsFromCheckpoint} of ${runs} runs already finished; going on`);
  let runIndex = 0;
  for (let normalClass = 0; normalClass < 10; normalClass++) {
    const data = resolveData({
      dataset: s.dataset, data: o.data, normalClass, splitSeed: 0, protocol: o.oneClassProtocol,
      maxTrain: o.quick ? s.quick.maxTrain : undefined, maxTest: o.quick ? s.quick.maxTest : undefined,
    });
    description = data.description;
    const row: Record<string, number | string> = { class: normalClass, ...Object.fromEntries(ONE_CLASS_MODELS.map((m) => [m, 0])) };
    for (const [i, seed] of seeds.entries()) {
      for (const model of ONE_CLASS_MODELS) {
        // A single seed keeps the key of ledgers written before --seeds existed.
        const key = `class-${normalClass}-${model}${manySeeds ? `-seed-${seed}` : ''}`;
        // A --jobs worker trains only its share; the others' runs count as NaN in what it does not report.
        const auc = ledger.finished(key) ?? (isMine(o.shard, runIndex) ? await trainAndScore(model, normalClass, seed, data, key) : NaN);
        runIndex++;
        (row[model] as number) += auc / seeds.length;
        perSeed[i]![model]! += auc / 10;
      }
    }
    rows.push(row);
    if (!o.shard) console.error(`class ${normalClass}: ${ONE_CLASS_MODELS.map((m) => `${m} ${(row[m] as number).toFixed(4)}`).join(', ')}${manySeeds ? ` (mean of ${seeds.length} seeds)` : ''}`);
  }
  if (o.shard) return workerDone('auc', s.target);
  const mean = Object.fromEntries(ONE_CLASS_MODELS.map((m) => [m, average(perSeed.map((r) => r[m]!))])) as Record<string, number>;
  const perClass = [...rows]; // the JSON's per-class list holds classes only; the mean has its own field
  rows.push({ class: 'mean', ...mean });
  const spread = manySeeds ? Object.fromEntries(ONE_CLASS_MODELS.map((m) => [m, sampleStd(perSeed.map((r) => r[m]!))])) as Record<string, number> : undefined;
  printTable(spread ? [...rows, { class: `std over ${seeds.length} seeds`, ...spread }] : rows, { precision: 4 });
  const seedText = manySeeds ? `seeds ${seeds[0]}–${seeds.at(-1)} (each class's AUC the mean over seeds)` : `seed ${o.seed}`;
  return {
    metric: 'auc',
    value: mean.memae!,
    target: s.target,
    details: {
      perClass, mean, memaeBeatsAe: mean.memae! > mean.ae!,
      ...(spread ? { seeds, perSeed, std: spread, memaeBeatsAeInSeeds: perSeed.filter((r) => r.memae! > r.ae!).length } : {}),
      epochs, batchSize, lr, modelSettings: o.model, runsFromCheckpoint, ...(o.parallel ? { jobs: o.parallel.jobs, threadsPerJob: o.parallel.threadsPerJob } : {}),
    },
    protocol: `${s.dataset}${o.data ? ` (${o.data})` : ''} one-class, ${PROTOCOL_WORDS[o.oneClassProtocol]}${o.quick ? ` (quick: ≤${s.quick.maxTrain} train / ≤${s.quick.maxTest} test images)` : ''}, ` +
      `architecture ${s.architecture}, ${epochs} epoch${epochs === 1 ? '' : 's'}, batch ${batchSize}, Adam lr ${lr}, ${seedText}${modelSettingsText(o.model)}${parallelText(o.parallel)}${ledger.threadsText()}; last split: ${description}`,
  };
}

function average(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** The sample standard deviation (n − 1). */
function sampleStd(values: number[]): number {
  const m = average(values);
  return Math.sqrt(values.reduce((a, v) => a + (v - m) ** 2, 0) / (values.length - 1));
}
