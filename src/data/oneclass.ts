/**
 * The one-class protocol for labelled image sets (MNIST, CIFAR-10), SPEC section 1:
 * class c is normal; train on the training images of class c; test on the whole
 * test split with label 0 for class c and 1 for every other class. Report the mean
 * AUC over the classes. Optional seeded subsampling makes quick runs.
 */
import { invalidArgument } from '../errors.js';
import { checkDataset, takeSamples, type ArrayDataset } from './arrays.js';
import { Rng } from './random.js';

export interface OneClassOptions {
  /** Index of the normal class. */
  normalClass: number;
  /** Keep at most this many training images: a seeded random subset. Default all. */
  maxTrain?: number;
  /** Keep at most this many test images: a seeded random subset. Default all. */
  maxTest?: number;
  /** Seed of the subsampling. Default 0. */
  seed?: number;
}

export interface OneClassSplit {
  /** Training images of the normal class; labels all 0. */
  train: ArrayDataset;
  /** Test images; labels 0 (normal class) or 1 (any other class). */
  test: ArrayDataset;
  /** The original class of each test image, for per-class analysis. */
  testClasses: Int32Array;
  normalClass: number;
  /** One line saying what the split is, for reports. */
  description: string;
}

/** Split a labelled train and test set for one normal class. */
export function oneClassSplit(train: ArrayDataset, test: ArrayDataset, options: OneClassOptions): OneClassSplit {
  checkDataset(train, 'train');
  checkDataset(test, 'test');
  if (!train.labels) throw invalidArgument('train.labels', 'class labels', train.labels);
  if (!test.labels) throw invalidArgument('test.labels', 'class labels', test.labels);
  const { normalClass } = options;
  const seed = options.seed ?? 0;
  const classCount = train.classNames?.length ?? train.labels.reduce((max, v) => Math.max(max, v), -1) + 1;
  if (!Number.isInteger(normalClass) || normalClass < 0 || normalClass >= classCount) {
    throw invalidArgument('normalClass', `a class index in [0, ${classCount})`, normalClass);
  }
  const rng = new Rng(seed);
  let trainIndices = indicesWhere(train.labels, normalClass);
  if (trainIndices.length === 0) throw invalidArgument('train', `training images of class ${normalClass}`, 'none');
  trainIndices = subsample(trainIndices, options.maxTrain, 'maxTrain', rng);
  const testIndices = subsample(Int32Array.from(test.labels.keys()), options.maxTest, 'maxTest', rng);

  const trainSet = takeSamples(train, trainIndices);
  trainSet.labels = new Int32Array(trainIndices.length);
  const testSet = takeSamples(test, testIndices);
  const testClasses = testSet.labels!;
  const binary = new Int32Array(testClasses.length);
  for (let i = 0; i < binary.length; i++) binary[i] = testClasses[i] === normalClass ? 0 : 1;
  testSet.labels = binary;
  trainSet.classNames = testSet.classNames = ['normal', 'anomaly'];

  const name = train.classNames?.[normalClass];
  const className = name === undefined || name === String(normalClass) ? `${normalClass}` : `${normalClass} (${name})`;
  const subset = (kept: number, total: number) => (kept < total ? `, a seeded random ${kept} of ${total} (seed ${seed})` : '');
  const description = `one-class: normal class ${className}; train = training images of that class`
    + `${subset(trainIndices.length, indicesWhere(train.labels, normalClass).length)}; test = the test split`
    + `${subset(testIndices.length, test.labels.length)}, other classes anomalous (label 1)`;
  return { train: trainSet, test: testSet, testClasses, normalClass, description };
}

function indicesWhere(labels: Int32Array, value: number): Int32Array {
  let count = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === value) count++;
  const out = new Int32Array(count);
  for (let i = 0, k = 0; i < labels.length; i++) if (labels[i] === value) out[k++] = i;
  return out;
}

/** A seeded subset of at most `max` indices, kept in their original order. */
function subsample(indices: Int32Array, max: number | undefined, name: string, rng: Rng): Int32Array {
  if (max === undefined) return indices;
  if (!Number.isInteger(max) || max < 1) throw invalidArgument(name, 'a whole number >= 1', max);
  if (max >= indices.length) return indices;
  const picked = rng.sample(indices.length, max);
  return Int32Array.from(picked, (i) => indices[i]);
}
