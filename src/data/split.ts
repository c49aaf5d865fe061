/**
 * Train/test splits for unsupervised anomaly detection on labelled data
 * (label 0 = normal, anything else = anomaly).
 */
import { checkOptionKeys, requireOptions } from '../config/option-keys.js';
import { described, invalidArgument } from '../errors.js';
import { checkDataset, takeSamples, type ArrayDataset } from './arrays.js';
import { Rng } from './random.js';

export interface NormalSplitOptions {
  seed: number;
  /** Fraction of the normal samples used for training. Default 0.5. */
  trainFraction?: number;
}

export interface Split {
  /** Normal samples only; labels all 0. */
  train: ArrayDataset;
  /** The other normal samples (label 0) and every anomaly (label 1). */
  test: ArrayDataset;
}

const NORMAL_SPLIT_OPTION_KEYS: readonly (keyof NormalSplitOptions)[] = ['seed', 'trainFraction'];

/**
 * Train on a random `trainFraction` of the normal samples; test on the remaining
 * normal samples followed by all anomalies (in their original order). This is the
 * DAGMM / MemAE KDDCUP99 protocol, and the usual one for ODDS and ADBench tables.
 * The train set has floor(trainFraction * normals) samples, in shuffled order.
 */
export function splitNormal(dataset: ArrayDataset, options: NormalSplitOptions): Split {
  requireOptions('splitNormal', options, 'seed (a whole number)', 'splitNormal(dataset, { seed: 0, trainFraction: 0.5 })');
  checkOptionKeys('splitNormal', options, NORMAL_SPLIT_OPTION_KEYS);
  checkDataset(dataset, 'dataset');
  const { seed } = options;
  const trainFraction = options.trainFraction ?? 0.5;
  if (!(trainFraction > 0 && trainFraction < 1)) {
    throw invalidArgument('trainFraction', 'a number between 0 and 1 (exclusive)', trainFraction);
  }
  const labels = dataset.labels;
  if (!labels) throw invalidArgument('dataset.labels', 'labels (0 = normal, other = anomaly) to split on', labels);
  const normals: number[] = [];
  const anomalies: number[] = [];
  for (let i = 0; i < labels.length; i++) (labels[i] === 0 ? normals : anomalies).push(i);
  if (normals.length < 2) {
    throw invalidArgument('dataset.labels', 'at least 2 normal samples (label 0) to train on', described(`${normals.length} of ${labels.length} sample${labels.length === 1 ? '' : 's'} labelled 0`),
      'Label normal samples 0 and anomalies 1. A table of normal rows without labels loads with labelColumn: null (--label-column none).');
  }
  if (anomalies.length === 0) {
    // The split exists to hold out a labelled test set; one without anomalies cannot be evaluated.
    throw invalidArgument('dataset.labels', 'at least one anomaly (a label other than 0) for the test split', described(`all ${labels.length} samples labelled 0`),
      'To train on normal rows alone, use every row: a table without anomalies loads with labelColumn: null (--label-column none).');
  }
  const order = new Rng(seed).shuffle(Int32Array.from(normals));
  const nTrain = Math.floor(normals.length * trainFraction);
  if (nTrain === 0) {
    // floor(n × fraction) >= 1 from fraction 1/n on; rounded up so that the suggested value works.
    const least = Math.ceil(1000 / normals.length) / 1000;
    throw invalidArgument('trainFraction', `a fraction that keeps at least one of the ${normals.length} normal samples (label 0) to train on`, trainFraction,
      `floor(${trainFraction} × ${normals.length}) = 0 training samples: pass trainFraction >= ${least}.`);
  }
  const train = takeSamples(dataset, order.subarray(0, nTrain));
  const testIndices = new Int32Array(normals.length - nTrain + anomalies.length);
  testIndices.set(order.subarray(nTrain));
  testIndices.set(anomalies, normals.length - nTrain);
  const test = takeSamples(dataset, testIndices);
  train.labels = new Int32Array(nTrain);
  const testLabels = new Int32Array(testIndices.length);
  testLabels.fill(1, normals.length - nTrain);
  test.labels = testLabels;
  return { train: withoutClassNames(train), test: withoutClassNames(test) };
}

/** After a one-class split labels mean normal/anomaly, not the original classes. */
function withoutClassNames(dataset: ArrayDataset): ArrayDataset {
  const { classNames: _unused, ...rest } = dataset;
  return { ...rest, classNames: ['normal', 'anomaly'] };
}
