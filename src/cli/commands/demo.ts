/** `normality demo`: MemAE and the plain autoencoder on one MNIST digit, side by side, in minutes on a CPU. */
import { defineCommand } from '../command.js';
import { invalidArgument } from '../../errors.js';
import { createDetector } from '../../models/registry.js';
import '../../models/memae/index.js';
import type { SampleArray } from '../../detector/types.js';
import { printTable } from '../../report/table.js';
import { writeResults } from '../../report/results.js';
import { RUNTIME_OPTIONS, applyRuntime } from '../common-options.js';
import { resolveData } from '../datasets.js';
import { evaluate, fitWithProgress } from '../fitting.js';

export default defineCommand({
  name: 'demo',
  summary: 'Train MemAE and the AE baseline on one MNIST digit and print both AUCs',
  details: 'The digit is the normal class; the whole MNIST test split is scored, every other digit counting as an anomaly.',
  options: [
    { name: 'digit', type: 'integer', default: 0, description: 'The normal digit (0-9)', suggestedFor: ['normal-class'] },
    { name: 'epochs', type: 'integer', default: 10, description: 'Training epochs of each model' },
    { name: 'max-train', type: 'integer', default: 0, description: 'Use at most this many training images (0 = all of the digit)' },
    { name: 'out', type: 'string', default: 'results/demo.json', placeholder: 'path', description: 'Where to write the results as JSON' },
    ...RUNTIME_OPTIONS,
  ],
  async run(o) {
    applyRuntime(o);
    if (!Number.isInteger(o.epochs) || o.epochs < 1) throw invalidArgument('--epochs', 'a positive integer', o.epochs);
    const data = resolveData({ dataset: 'mnist', normalClass: o.digit, normalClassFlag: '--digit', maxTrain: o.maxTrain, splitSeed: 0 });
    const rows = [];
    for (const model of ['memae', 'ae']) {
      const detector = createDetector(model, { architecture: 'mnist', epochs: o.epochs, seed: o.seed, device: o.device });
      try {
        const report = await fitWithProgress(detector, data.train as SampleArray, { label: model, quiet: o.quiet });
        const scores = await detector.score(data.test as SampleArray);
        const metrics = evaluate(data.test.labels!, scores);
        rows.push({ model, auc: metrics.auc, averagePrecision: metrics.averagePrecision, epochs: o.epochs, trainSeconds: report.seconds, finalLoss: report.losses.at(-1) ?? NaN });
      } finally {
        detector.dispose();
      }
    }
    console.log(`${data.description}; seed ${o.seed}`);
    printTable(rows, { precision: { auc: 4, averagePrecision: 4, trainSeconds: 1, finalLoss: 5 } });
    await writeResults(o.out, { dataset: data.description, rows }, { seed: o.seed, options: o });
    for (const row of rows) console.log(`${row.model} auc: ${row.auc.toFixed(4)}`);
  },
});
