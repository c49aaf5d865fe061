/**
 * Which data each data option is read for. Given with other data an option would be ignored without a
 * word (`--normal-class 5` on a table), and the user would believe it applied; so a value other than the
 * option's default is refused there, with where it does apply. (A default value changes nothing either way.)
 */
import { NormalityError } from '../errors.js';
import { camelCase } from '../config/spec.js';
import { DATA_OPTIONS } from './common-options.js';

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

const SCOPES: Partial<Record<(typeof DATA_OPTIONS)[number]['name'], Scope>> = {
  // A video checkpoint's test and score read video data whatever --dataset says.
  'dataset': {
    where: (u) => (u.data === 'video recording' ? 'datasets, not one --video recording' : 'the data a checkpoint reads (a video checkpoint reads video data: --dataset video)'),
    applies: (u, value) => u.data === value,
  },
  'data': notOneRecording('datasets, not one --video recording (give its path to --video)'),
  'normal-class': oneClass,
  'protocol': oneClass,
  'label-column': { where: '--dataset tabular', applies: (u) => u.data === 'tabular' },
  'labels': { where: 'the test videos of a video dataset', applies: (u) => u.data === 'video' },
  // test and score check it against the size a video checkpoint was trained at (videoFormat).
  'frame-size': { where: 'video data', applies: (u) => u.data === 'video' },
  'max-train': notOneRecording('datasets, not one --video recording'),
  'max-test': notOneRecording('datasets, not one --video recording'),
  'split-seed': { where: 'the splits and subsets of mnist, cifar10, kdd, tabular and images (video splits are fixed folders)', applies: (u) => u.data !== 'video' && u.data !== 'video recording' },
};

/** Refuse a data option given a value (other than its default) where `use` would ignore it. */
export function refuseUnusedDataOptions(options: Record<string, unknown>, use: DataUse): void {
  for (const option of DATA_OPTIONS) {
    const scope = SCOPES[option.name];
    const value = options[camelCase(option.name)];
    const unset = 'default' in option ? option.default : undefined;
    if (!scope || value === undefined || value === unset || scope.applies(use, value)) continue;
    const reading = use.data === 'video recording' ? 'one --video recording' : use.data === 'video' ? 'video data' : `--dataset ${use.data}`;
    const where = typeof scope.where === 'string' ? scope.where : scope.where(use);
    throw new NormalityError('INVALID_ARGUMENT',
      `--${option.name} ${String(value)} has no effect on ${use.command} with ${reading}: it applies to ${where}. Leave it out (or choose the data it is for).`);
  }
}
