/** `normality test <checkpoint>`: score a labelled test set and print the metrics. */
import { defineCommand } from '../command.js';
import '../../models/index.js';
import type { SampleArray } from '../../detector/types.js';
import { printTable } from '../../report/table.js';
import { writeResults } from '../../report/results.js';
import { DATA_OPTIONS, RUNTIME_OPTIONS, openCheckpoint } from '../common-options.js';
import { resolveData } from '../datasets.js';
import { evaluate } from '../fitting.js';

export default defineCommand({
  name: 'test',
  summary: 'Score a labelled test set with a saved detector and print AUC, AP and F1',
  usage: '<checkpoint>',
  options: [
    { name: 'out', type: 'string', default: 'results/test.json', placeholder: 'path', description: 'Where to write the metrics as JSON' },
    ...DATA_OPTIONS,
    ...RUNTIME_OPTIONS,
  ],
  async run(o, positionals) {
    const { path, detector } = openCheckpoint(positionals, o);
    try {
      const data = resolveData(o);
      const scores = await detector.score(data.test as SampleArray);
      const metrics = evaluate(data.test.labels!, scores, detector.threshold);
      const row = { samples: metrics.samples, anomalies: metrics.anomalies, auc: metrics.auc, averagePrecision: metrics.averagePrecision, bestF1: metrics.bestF1,
        ...(metrics.atThreshold ? { precision: metrics.atThreshold.precision, recall: metrics.atThreshold.recall, f1: metrics.atThreshold.f1 } : {}) };
      console.log(`${data.description}`);
      printTable([row], { precision: 4 });
      await writeResults(o.out, { checkpoint: path, data: data.description, ...metrics }, { seed: o.seed, options: o });
    } finally {
      detector.dispose();
    }
  },
});
