/**
 * Which data each data option is read for. A flag typed for data that does not read it (`--normal-class 5`
 * on a table) would be ignored without a word while the user believes it applied, so it is refused, with
 * where it does apply. A config file is shared between commands and datasets, so its values are not checked.
 */
import { NormalityError } from '../errors.js';
import { camelCase } from '../config/spec.js';
import { DATA_OPTIONS, TABLE_ROWS_OPTION } from './common-options.js';

/** What a command reads: a dataset by name, the test (or training) videos of a folder, or one recording (`score --video`). */
export interface DataUse {
  command: 'train' | 'test' | 'score';
  data: string | 'video recording';
}

interface Scope {
  /** Where the option applies, for the message. */
  where: string | ((use: DataUse) => string);
  applies(use: DataUse, value: unknown): boolean;
}

const oneClass: Scope = { where: '--dataset mnist or cifar10', applies: (u) => u.data === 'mnist' || u.data === 'cifar10' };
const notOneRecording = (where: string): Scope => ({ where, applies: (u) => u.data !== 'video recording' });

const CHECKED_OPTIONS = [...DATA_OPTIONS, TABLE_ROWS_OPTION];

const SCOPES: Partial<Record<(typeof CHECKED_OPTIONS)[number]['name'], Scope>> = {
  // A video checkpoint's test and score read video data whatever --dataset says.
  'dataset': {
    where: (u) => (u.data === 'video recording' ? 'datasets, not one --video recording' : 'the data a checkpoint reads (a video checkpoint reads video data: --dataset video)'),
    applies: (u, value) => u.data === value,
  },
  'data': notOneRecording('datasets, not one --video recording (give its path to --video)'),
  'normal-class': oneClass,
  'protocol': oneClass,
  'label-column': { where: '--dataset tabular', applies: (u) => u.data === 'tabular' },
  'delimiter': { where: '--dataset tabular (CSV files)', applies: (u) => u.data === 'tabular' },
  'rows': { where: '--dataset tabular (which rows of a table test and score read)', applies: (u) => u.data === 'tabular' },
  'labels': { where: 'the test videos of a video dataset', applies: (u) => u.data === 'video' },
  // test and score check it against the size a video checkpoint was trained at (videoFormat); score --video too.
  'frame-size': { where: 'video data', applies: (u) => u.data === 'video' || u.data === 'video recording' },
  'max-train': notOneRecording('datasets, not one --video recording'),
  'max-test': notOneRecording('datasets, not one --video recording'),
  'split-seed': { where: 'the splits and subsets of mnist, cifar10, kdd, tabular and images (video splits are fixed folders)', applies: (u) => u.data !== 'video' && u.data !== 'video recording' },
};

/** Refuse a data option typed on the command line where `use` would ignore it. */
export function refuseUnusedDataOptions(options: Record<string, unknown>, typed: ReadonlySet<string>, use: DataUse): void {
  for (const option of CHECKED_OPTIONS) {
    const scope = SCOPES[option.name];
    const key = camelCase(option.name);
    const value = options[key];
    if (!scope || !typed.has(key) || scope.applies(use, value)) continue;
    const reading = use.data === 'video recording' ? 'one --video recording' : use.data === 'video' ? 'video data' : `--dataset ${use.data}`;
    const where = typeof scope.where === 'string' ? scope.where : scope.where(use);
    throw new NormalityError('INVALID_ARGUMENT',
      `--${option.name} ${String(value)} has no effect on ${use.command} with ${reading}: it applies to ${where}. Leave it out (or choose the data it is for).`);
  }
}
