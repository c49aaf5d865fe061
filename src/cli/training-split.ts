/**
 * `test` and `score` read the split `train` made, so that the rows they call held out are the rows the model
 * never saw. The split seed that `train` used is in its report beside the checkpoint (`<checkpoint>.json`);
 * a held-out split under another seed would score training rows as test rows and inflate every metric.
 */
import { existsSync } from 'node:fs';
import { invalidArgument } from '../errors.js';
import type { DatasetOptions } from './datasets.js';
import { samePath } from './output-paths.js';
import { trainingReportOf } from './training-report.js';

/** What `train` recorded of its data, from its report beside this very checkpoint; undefined without one. */
function trainedData(checkpoint: string): Partial<DatasetOptions> | undefined {
  const options = trainingReportOf(checkpoint)?.meta?.options;
  return options && typeof options.dataset === 'string' ? (options as Partial<DatasetOptions>) : undefined;
}

/** Whether the split seed decides which of these samples are test samples (rather than only a subset's draw). */
function seedChoosesTestSamples(o: DatasetOptions): boolean {
  if (o.dataset === 'kdd') return true;
  if (o.dataset === 'tabular') return o.rows !== 'all' && o.labelColumn !== 'none';
  return (o.dataset === 'mnist' || o.dataset === 'cifar10') && o.protocol === 'paper';
}

/** The data options a checkpoint's test and score take from its training when not typed: the same data, split alike. */
const INHERITED = ['dataset', 'data', 'normalClass', 'protocol', 'labelColumn', 'delimiter'] as const;
const FLAGS: Record<(typeof INHERITED)[number], string> = {
  dataset: '--dataset', data: '--data', normalClass: '--normal-class', protocol: '--protocol', labelColumn: '--label-column', delimiter: '--delimiter',
};

/**
 * The data options with those `train` used where none was typed: a model trained on digit 3, on an image
 * folder or on a table whose labels are in `is_bad` is tested on that data as it was split, not on the
 * defaults (digit 0 of MNIST), which would give metrics of another task without a word. A typed option
 * that differs from training is kept, with a note. Says what it took on stderr.
 */
export function dataAsTrained<O extends DatasetOptions>(checkpoint: string, o: O, typed: ReadonlySet<string>): O {
  const trained = trainedData(checkpoint);
  if (!trained) return o;
  const taken: string[] = [];
  const differing: string[] = [];
  const result: O = { ...o };
  for (const key of INHERITED) {
    const value = trained[key];
    if (value === undefined || value === o[key]) continue;
    // Another dataset's path, or a file moved since (its path was relative to where train ran), is not taken.
    if (key === 'data' && (result.dataset !== trained.dataset || !existsSync(value as string))) continue;
    if (key !== 'dataset' && key !== 'data' && result.dataset !== trained.dataset) continue;
    // Typed data or columns are how new data is scored; another task (dataset, normal class, protocol) is worth a word.
    if (typed.has(key)) {
      if (key === 'dataset' || key === 'normalClass' || key === 'protocol') differing.push(`${FLAGS[key]} ${String(value)}`);
    } else {
      (result as Record<string, unknown>)[key] = value;
      taken.push(`${FLAGS[key]} ${String(value)}`);
    }
  }
  if (taken.length > 0) console.error(`note: ${taken.join(' ')}, as ${checkpoint} was trained (from ${checkpoint}.json); data options typed here choose other data`);
  if (differing.length > 0) console.error(`note: ${checkpoint} was trained with ${differing.join(' ')} (from ${checkpoint}.json); reading the data typed here instead`);
  return result;
}

const sameData = (a: string | undefined, b: string | undefined) => (a === undefined || b === undefined ? a === b : samePath(a, b));

/**
 * The dataset options with the training run's split seed where the same data is split again: taken from
 * the report when --split-seed was not typed, and another typed seed refused. Says what it did on stderr.
 */
export function asTrained<O extends DatasetOptions>(checkpoint: string, o: O, typed: ReadonlySet<string>): O {
  const trained = trainedData(checkpoint);
  if (!trained || trained.dataset !== o.dataset) return o;
  if (!sameData(trained.data, o.data)) {
    if (o.dataset === 'tabular' && o.rows === undefined && o.labelColumn !== 'none') {
      console.error(`note: ${o.data} is not the table ${checkpoint} was trained on (${trained.data}): a labelled table is split as train splits it, and only its held-out rows are read; --rows all reads every row`);
    }
    return o;
  }
  const seed = trained.splitSeed;
  if (typeof seed !== 'number' || seed === o.splitSeed || !seedChoosesTestSamples(o)) return o;
  if (o.dataset === 'mnist' || o.dataset === 'cifar10') {
    if (trained.protocol !== 'paper' || trained.normalClass !== o.normalClass) return o;
  }
  if (typed.has('splitSeed')) {
    throw invalidArgument('--split-seed', `${seed}, the split seed ${checkpoint} was trained with (its report ${checkpoint}.json says so)`, o.splitSeed,
      'Another seed holds out other samples, among them samples the model was trained on. Leave --split-seed out to test on the held-out split of training.');
  }
  console.error(`note: split seed ${seed}, as ${checkpoint} was trained (from ${checkpoint}.json), so that the held-out samples are ones it never saw`);
  return { ...o, splitSeed: seed };
}
