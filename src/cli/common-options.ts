/** Options several commands share, declared once. */
import { invalidArgument } from '../errors.js';
import { checkSeed, setCudaFlags, setNumThreads } from '../tensor/runtime.js';
import { checkDevice } from '../tensor/device.js';
import type { Precision } from '../detector/types.js';
import { DATASETS } from './datasets.js';
import { ONE_CLASS_PROTOCOLS } from '../data/oneclass.js';
import { loadDetector } from '../models/index.js';
import { MnadDetector, type MnadConfig } from '../models/mnad/index.js';
import type { Detector } from '../detector/types.js';
import { SCORE_MODEL_OPTIONS, modelSettings, namedByFlags } from './model-options.js';
import { kebabCase } from '../config/spec.js';

export const RUNTIME_OPTIONS = [
  { name: 'seed', type: 'integer', default: 1, description: 'Seed of the weights and the training order (train, reproduce, demo): the same seed gives the same model and scores; test and score only record it in their results. Splits take --split-seed' },
  { name: 'device', type: 'string', default: 'cpu', description: "Where to compute: 'cpu', 'cuda' or 'cuda:N'" },
  { name: 'threads', type: 'integer', default: 0, description: 'CPU threads for libtorch (0 = every core). On a machine whose cores are busy with other work, fewer threads (--threads 1) can run many times faster: libtorch\'s threads wait on one another for a core' },
  {
    name: 'precision', type: 'choice', choices: ['fp32', 'tf32', 'bf16'], default: 'fp32',
    description: 'Arithmetic: fp32 (PyTorch\'s defaults: on CUDA, TF32 in cuDNN convolutions only), tf32 (CUDA: TF32 matmuls too), bf16 (bfloat16 autocast, on CUDA or the CPU)',
  },
  { name: 'quiet', type: 'boolean', description: 'No progress bars' },
] as const;

/** Shared by the data options and `reproduce` (memae-mnist, memae-cifar10). */
export const ONE_CLASS_PROTOCOL_OPTION = {
  name: 'protocol', type: 'choice', choices: ONE_CLASS_PROTOCOLS, default: 'standard',
  description: 'MNIST/CIFAR-10 one-class split: standard (train on the class\'s training images, test on the whole test split) or paper (MemAE: the class\'s images of both splits 2:1, anomalies 30% of the test set)',
} as const;

export const DATA_OPTIONS = [
  { name: 'dataset', type: 'choice', choices: DATASETS, default: 'mnist', description: 'Which data: mnist (embedded), cifar10, kdd, tabular (a .npz/.mat/.csv file), images (a folder of images, or train/good + test/<good|defect> as MVTec AD; resized for the network) or video (a folder of frame folders)' },
  { name: 'data', type: 'string', placeholder: 'path', description: 'Dataset folder or file (default: the embedded MNIST, or ../shared/data)' },
  { name: 'normal-class', type: 'integer', default: 0, description: 'MNIST/CIFAR-10: the class that is normal; every other class is an anomaly' },
  ONE_CLASS_PROTOCOL_OPTION,
  {
    name: 'label-column', type: 'string', placeholder: 'name',
    description: "Tables: the labels' column (CSV, default label) or array (.npz/.mat, default y), 0 = normal; none for a table of normal rows without labels (train on every row, score every row in file order)",
  },
  { name: 'delimiter', type: 'string', placeholder: 'char', description: "CSV tables: the character between fields (default ,); tab or \\t for a tab" },
  { name: 'max-train', type: 'integer', default: 0, description: 'Use at most this many training samples (video: the first N training videos) (0 = all)' },
  { name: 'max-test', type: 'integer', default: 0, description: 'Use at most this many test samples (video: the first N test videos) (0 = all)' },
  { name: 'labels', type: 'string', placeholder: 'path', description: 'Video: the test videos\' frame labels (UCSDped*.m, a .mat, frame_labels_*.npy, or a folder of per-video .npy masks) when the folder holds several or keeps them elsewhere' },
  { name: 'frame-size', type: 'integer', default: 0, description: 'Video: square frames of this size: train trains at it (0 = the model\'s default, 256); test and score read the checkpoint\'s size (0, or that size)' },
  { name: 'split-seed', type: 'integer', default: 0, description: 'Seed of the train/test split and subsampling' },
] as const;

/** test and score: which rows of a labelled table they read. */
export const TABLE_ROWS_OPTION = {
  name: 'rows', type: 'choice', choices: ['held-out', 'all'],
  description: "Tables with labels: held-out (default; the rows train left out under the same --split-seed: half the normal rows, then every anomaly) or all (every row in file order: a table the detector was not trained on, as a separate test file)",
} as const;

/**
 * Apply --threads and --precision and check --seed and --device before any work starts (the library would
 * check the seed too, but name it 'seed', not the flag). Returns the detectors' precision ('bf16' or 'fp32';
 * TF32 is a global switch of libtorch, not a detector setting). Off CUDA, --precision tf32 becomes fp32 in `o`
 * itself, with a note, so that the results written from `o` record what ran.
 */
export function applyRuntime(o: { threads: number; device: string; precision?: string; seed?: number }): Precision {
  if (!Number.isInteger(o.threads) || o.threads < 0) throw invalidArgument('--threads', 'a positive integer, or 0 for every core', o.threads);
  if (o.seed !== undefined) checkSeed('--seed', o.seed);
  if (o.threads > 0) setNumThreads(o.threads, '--threads');
  checkDevice('--device', o.device);
  if (o.precision === 'tf32' && !o.device.startsWith('cuda')) {
    // TF32 is a mode of NVIDIA's tensor cores: elsewhere the run is fp32, and the options its results record say so.
    console.error(`note: --precision tf32 acts on CUDA's matrix products alone: on ${o.device === 'cpu' ? 'the CPU' : o.device} this runs in fp32 (and is recorded so)`);
    o.precision = 'fp32';
  }
  if (o.device.startsWith('cuda')) {
    // Frame and batch sizes are fixed through a run, so cuDNN's autotuning pays for itself at once.
    setCudaFlags({ benchmarkCudnn: true, ...(o.precision === 'fp32' ? {} : { allowTF32: true }) });
  }
  return o.precision === 'bf16' ? 'bf16' : 'fp32';
}

/**
 * The `<checkpoint>` positional of `test` and `score`: checked, runtime applied, the detector loaded
 * with the scoring settings of the `model` section in place of the saved ones (`typed`: the command's flags).
 */
export function openCheckpoint(positionals: string[], o: { threads: number; device: string; precision?: string; seed?: number; model: Record<string, unknown> }, typed: ReadonlySet<string>): { path: string; detector: Detector<unknown> } {
  const path = positionals[0];
  if (!path) throw invalidArgument('<checkpoint>', 'the path of a detector saved by normality train', path);
  const precision = applyRuntime(o);
  const detector = namedByFlags(() => loadDetector(path, (model) => ({ ...modelSettings(model, o.model, SCORE_MODEL_OPTIONS, typed), device: o.device, precision })));
  const rescored = detector instanceof MnadDetector ? Object.keys(detector.rescoredSettings) as (keyof MnadConfig)[] : [];
  if (rescored.length > 0) {
    const { config, rescoredSettings } = detector as MnadDetector;
    // Named as the flags of the model section (--model.freeze-memory is testUpdate negated).
    const settings = (values: Partial<MnadConfig>) => rescored.map((key) => (key === 'testUpdate' ? `freeze-memory ${!values[key]}` : `${kebabCase(key)} ${JSON.stringify(values[key])}`)).join(', ');
    console.error(`note: the thresholds saved in ${path} were fitted to S with ${settings(rescoredSettings)}; with ${settings(config)} given here they do not apply, so no frame is flagged`);
  }
  return { path, detector };
}

/** The training settings `train` and `reproduce` let a user override; a key left out keeps the default. */
export interface TrainingOverrides {
  epochs?: number;
  batchSize?: number;
  lr?: number;
}

/** --epochs, --batch-size and --lr: 0 keeps the default; a negative value is a mistake, not "the default". */
export function trainingOverrides(o: { epochs: number; batchSize: number; lr: number }): TrainingOverrides {
  const overrides: TrainingOverrides = {};
  for (const [key, flag, integer] of [['epochs', '--epochs', true], ['batchSize', '--batch-size', true], ['lr', '--lr', false]] as const) {
    const value = o[key];
    if (value === 0) continue;
    if (!(value > 0) || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
      throw invalidArgument(flag, `${integer ? 'a positive integer' : 'a positive number'}, or 0 for the default`, value);
    }
    overrides[key] = value;
  }
  return overrides;
}

/** --max-minutes: 0 means no limit; a negative budget is a mistake, not "no limit". */
export function checkedMaxMinutes(value: number): number | undefined {
  if (value < 0 || !Number.isFinite(value)) throw invalidArgument('--max-minutes', 'a positive number of minutes, or 0 for no limit', value);
  return value > 0 ? value : undefined;
}
