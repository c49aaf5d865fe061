/**
 * The one-class protocols for labelled image sets (MNIST, CIFAR-10), SPEC section 1. Class c is normal,
 * every other class an anomaly (label 1); report the mean AUC over the classes.
 * - 'standard' (SPEC): train on the training images of class c; test on the whole test split.
 * - 'paper' (the MemAE paper): pool both splits; class c's images go 2:1, at random, to training and
 *   testing; anomalies drawn at random from the other classes' images make up 30% of the test set.
 * Optional seeded subsampling makes quick runs.
 */
import { checkOptionKeys, requireOptions } from '../config/option-keys.js';
import { NormalityError, described, invalidArgument } from '../errors.js';
import { checkDataset, takeSamples, type ArrayDataset } from './arrays.js';
import { checkMaxCount } from './max-count.js';
import { Rng } from './random.js';

export type OneClassProtocol = 'standard' | 'paper';
export const ONE_CLASS_PROTOCOLS: readonly OneClassProtocol[] = ['standard', 'paper'];

/** The paper protocol's share of anomalies in the test set ("at most 30%": we take 30%). */
const PAPER_ANOMALY_SHARE = 0.3;

export interface OneClassOptions {
  /** Index of the normal class. */
  normalClass: number;
  /** Which split (see the file comment). Default 'standard'. */
  protocol?: OneClassProtocol;
  /** Keep at most this many (a whole number >= 1) training images: a seeded random subset. Default all. */
  maxTrain?: number;
  /** Keep at most this many (a whole number >= 1) test images: a seeded random subset. Default all. */
  maxTest?: number;
  /** Seed of the subsampling and of the paper protocol's draws. Default 0. */
  seed?: number;
}

const ONE_CLASS_OPTION_KEYS: readonly (keyof OneClassOptions)[] = ['normalClass', 'protocol', 'maxTrain', 'maxTest', 'seed'];

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
  requireOptions('oneClassSplit', options, 'normalClass (the index of the normal class)', 'oneClassSplit(train, test, { normalClass: 3 })');
  checkOptionKeys('oneClassSplit', options, ONE_CLASS_OPTION_KEYS);
  checkDataset(train, 'train');
  checkDataset(test, 'test');
  if (!train.labels) throw invalidArgument('train.labels', 'class labels', train.labels);
  if (!test.labels) throw invalidArgument('test.labels', 'class labels', test.labels);
  checkSameSampleShape(train, test);
  checkMaxCount('maxTrain', options.maxTrain, 'samples');
  checkMaxCount('maxTest', options.maxTest, 'samples');
  const { normalClass } = options;
  const seed = options.seed ?? 0;
  const classCount = train.classNames?.length ?? train.labels.reduce((max, v) => Math.max(max, v), -1) + 1;
  if (!Number.isInteger(normalClass) || normalClass < 0 || normalClass >= classCount) {
    throw invalidArgument('normalClass', `a class index in [0, ${classCount})`, normalClass);
  }
  const protocol = options.protocol ?? 'standard';
  if (!ONE_CLASS_PROTOCOLS.includes(protocol)) throw invalidArgument('protocol', `one of ${ONE_CLASS_PROTOCOLS.join(', ')}`, protocol);
  const rng = new Rng(seed);
  // Indices into the pool of both splits: [0, nTrain) are training images, the rest test images.
  const nTrain = train.labels.length;
  let trainIndices: Int32Array;
  let testIndices: Int32Array;
  let what: { train: string; test: string };
  if (protocol === 'standard') {
    trainIndices = indicesWhere([train.labels], normalClass);
    testIndices = Int32Array.from(test.labels.keys(), (i) => nTrain + i);
    what = { train: 'training images of that class', test: 'the test split' };
  } else {
    const pool = [train.labels, test.labels];
    const normals = rng.shuffle(indicesWhere(pool, normalClass));
    const others = indicesWhere(pool, normalClass, false);
    const trainCount = Math.round((normals.length * 2) / 3);
    const testNormals = normals.length - trainCount;
    const anomalyCount = Math.min(others.length, Math.round((testNormals * PAPER_ANOMALY_SHARE) / (1 - PAPER_ANOMALY_SHARE)));
    const anomalies = Array.from(rng.sample(others.length, anomalyCount), (i) => others[i]!);
    trainIndices = normals.slice(0, trainCount).sort();
    testIndices = Int32Array.from([...normals.slice(trainCount), ...anomalies]).sort();
    what = {
      train: `2/3 of that class's images from both splits (seed ${seed})`,
      test: `the other 1/3 (${testNormals}) and ${anomalyCount} images of other classes drawn at random (${Math.round(PAPER_ANOMALY_SHARE * 100)}% anomalies)`,
    };
  }
  if (trainIndices.length === 0) {
    throw invalidArgument('train', `training images of class ${normalClass}`, described(`none among its ${nTrain} samples`),
      'Pick a normalClass that occurs in train.labels.');
  }
  const trainTotal = trainIndices.length;
  const testTotal = testIndices.length;
  trainIndices = subsample(trainIndices, options.maxTrain, rng);
  // The test subset from a generator of its own (seed + 1, as tables draw theirs): the test images under a
  // --max-test must not change with whether training images were drawn first, so that train --validate and
  // a later test score the same ones.
  testIndices = subsample(testIndices, options.maxTest, new Rng(seed + 1));

  const trainSet = takePooled(train, test, trainIndices);
  trainSet.labels = new Int32Array(trainIndices.length);
  const testSet = takePooled(train, test, testIndices);
  const testClasses = testSet.labels!;
  const binary = new Int32Array(testClasses.length);
  for (let i = 0; i < binary.length; i++) binary[i] = testClasses[i] === normalClass ? 0 : 1;
  testSet.labels = binary;
  // A subset drawn with a small maxTest may hold one class by chance: scoring it is fine (rocAuc refuses it then).
  if (testIndices.length === testTotal) checkBothClassesInTest(binary, normalClass);
  trainSet.classNames = testSet.classNames = ['normal', 'anomaly'];

  const name = train.classNames?.[normalClass];
  const className = name === undefined || name === String(normalClass) ? `${normalClass}` : `${normalClass} (${name})`;
  const subset = (kept: number, total: number) => (kept < total ? `, a seeded random ${kept} of ${total} (seed ${seed})` : '');
  const description = `one-class (${protocol} protocol): normal class ${className}; train = ${what.train}`
    + `${subset(trainIndices.length, trainTotal)}; test = ${what.test}`
    + `${subset(testIndices.length, testTotal)}, other classes anomalous (label 1)`;
  return { train: trainSet, test: testSet, testClasses, normalClass, description };
}

/** Train and test are pooled (paper protocol) and scored by one network: their samples must have one shape. */
function checkSameSampleShape(train: ArrayDataset, test: ArrayDataset): void {
  const trainSample = train.shape.slice(1);
  const testSample = test.shape.slice(1);
  if (trainSample.length === testSample.length && trainSample.every((d, i) => d === testSample[i])) return;
  throw new NormalityError('SHAPE_MISMATCH',
    `Expected test samples of the training samples' shape (${trainSample.join(', ')}) but received (${testSample.join(', ')}): `
    + `train has shape (${train.shape.join(', ')}), test (${test.shape.join(', ')}). Load both splits of one dataset with the same options.`);
}

/**
 * A test set (whole, not subsampled) without the normal class or without anomalies is the wrong test set
 * (another dataset, a filtered copy): say so here rather than leave it to the metric after training.
 */
function checkBothClassesInTest(binary: Int32Array, normalClass: number): void {
  const anomalies = binary.reduce((sum, label) => sum + label, 0);
  if (anomalies > 0 && anomalies < binary.length) return;
  const missing = anomalies === 0 ? 'of any other class (the anomalies)' : `of the normal class ${normalClass}`;
  throw invalidArgument('test', `test samples of the normal class ${normalClass} and of other classes`,
    described(`${binary.length} test sample${binary.length === 1 ? '' : 's'}, none ${missing}`),
    'Pass the test split of the same dataset, holding the normal class and others.');
}

/** The samples at increasing pool indices: [0, train size) from `train`, the rest from `test`. */
function takePooled(train: ArrayDataset, test: ArrayDataset, pooled: Int32Array): ArrayDataset {
  const nTrain = train.shape[0]!;
  let split = 0;
  while (split < pooled.length && pooled[split]! < nTrain) split++;
  const fromTrain = pooled.subarray(0, split);
  const fromTest = pooled.subarray(split).map((i) => i - nTrain);
  // Each sample named by its file, or by its split and index (test/1234), so that scores, maps and reports say which.
  const files = [...sampleNames(train, 'train', fromTrain), ...sampleNames(test, 'test', fromTest)];
  if (split === 0) return { ...takeSamples(test, fromTest), files };
  if (split === pooled.length) return { ...takeSamples(train, pooled), files };
  const a = takeSamples(train, fromTrain);
  const b = takeSamples(test, fromTest);
  const x = new Float32Array(a.x.length + b.x.length);
  x.set(a.x);
  x.set(b.x, a.x.length);
  const labels = new Int32Array(pooled.length);
  labels.set(a.labels!);
  labels.set(b.labels!, split);
  return { ...a, x, labels, shape: [pooled.length, ...a.shape.slice(1)], files };
}

/** The names of samples `indices` of one split: their files where the dataset has them, else `<split>/<index>`. */
function sampleNames(set: ArrayDataset, split: 'train' | 'test', indices: ArrayLike<number>): string[] {
  return Array.from(indices, (i) => set.files?.[i] ?? `${split}/${i}`);
}

/** Indices into the label arrays laid end to end whose label is `value` (or, with `equal` false, is not). */
function indicesWhere(parts: Int32Array[], value: number, equal = true): Int32Array {
  let count = 0;
  for (const labels of parts) for (const label of labels) if ((label === value) === equal) count++;
  const out = new Int32Array(count);
  let k = 0;
  let offset = 0;
  for (const labels of parts) {
    for (let i = 0; i < labels.length; i++) if ((labels[i] === value) === equal) out[k++] = offset + i;
    offset += labels.length;
  }
  return out;
}

/** A seeded subset of at most `max` indices (checked by checkMaxCount), kept in their original order. */
function subsample(indices: Int32Array, max: number | undefined, rng: Rng): Int32Array {
  if (max === undefined || max >= indices.length) return indices;
  const picked = rng.sample(indices.length, max);
  return Int32Array.from(picked, (i) => indices[i]);
}
