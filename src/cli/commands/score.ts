/** `normality score <checkpoint>`: write one anomaly score per sample (and the prediction, given a threshold). */
import { defineCommand } from '../command.js';
import { loadDetector } from '../../models/registry.js';
import '../../models/index.js';
import type { SampleArray } from '../../detector/types.js';
import { invalidArgument } from '../../errors.js';
import { writeAtomically } from '../../report/results.js';
import { DATA_OPTIONS, RUNTIME_OPTIONS, applyRuntime } from '../common-options.js';
import { resolveData } from '../datasets.js';

export default defineCommand({
  name: 'score',
  summary: 'Write per-sample anomaly scores (higher = more anomalous) as CSV',
  usage: '<checkpoint>',
  options: [
    { name: 'out', type: 'string', default: 'scores.csv', placeholder: 'path', description: 'CSV with index, score, prediction (and label when known)' },
    { name: 'split', type: 'choice', choices: ['test', 'train'], default: 'test', description: 'Which part of the dataset to score' },
    ...DATA_OPTIONS,
    ...RUNTIME_OPTIONS,
  ],
  async run(o, positionals) {
    const path = positionals[0];
    if (!path) throw invalidArgument('<checkpoint>', 'the path of a detector saved by normality train', path);
    applyRuntime(o);
    const detector = loadDetector(path, { device: o.device });
    try {
      const data = resolveData(o);
      const samples = o.split === 'train' ? data.train : data.test;
      const scores = await detector.score(samples as SampleArray);
      const threshold = detector.threshold;
      const lines = ['index,score,prediction,label'];
      scores.forEach((score, i) => lines.push(`${i},${score},${threshold === undefined ? '' : score >= threshold ? 1 : 0},${samples.labels?.[i] ?? ''}`));
      await writeAtomically(o.out, `${lines.join('\n')}\n`);
      console.log(`scored ${scores.length} samples of ${data.description}; wrote ${o.out}`);
    } finally {
      detector.dispose();
    }
  },
});
