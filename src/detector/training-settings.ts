/**
 * The settings every trained detector carries, checked when the detector is created: otherwise a bad seed,
 * batch size or device would surface only inside fit, and a bad contamination only after the whole training,
 * when the threshold is fitted.
 */
import { invalidArgument } from '../errors.js';
import { checkPrecision } from './precision.js';
import { checkDevice } from '../tensor/device.js';
import { checkSeed } from '../tensor/runtime.js';
import type { CommonConfig, FitOptions } from './types.js';

export interface TrainingConfig extends CommonConfig {
  /** Passes over the training data that `fit` makes (its `epochs` option overrides it). MemAE: 30 for images, 10 for tables; MemAE-3D 100; MNAD 60. */
  epochs: number;
  /** Samples (clips, windows) per training step. MemAE: 64 for images, 1024 for tables; MemAE-3D 10; MNAD 4. */
  batchSize: number;
  /** Adam's learning rate. MemAE 1e-3 (MemAE-3D 1e-4); MNAD 2e-4, cosine-annealed over the epochs. */
  lr: number;
}

export function checkTrainingSettings(config: TrainingConfig): void {
  checkSeed('seed', config.seed);
  checkEpochsAndBatchSize(config.epochs, config.batchSize);
  if (!(typeof config.lr === 'number' && config.lr > 0 && Number.isFinite(config.lr))) throw invalidArgument('lr', 'a positive number', config.lr);
  if (!(typeof config.contamination === 'number' && config.contamination >= 0 && config.contamination <= 0.5)) {
    throw invalidArgument('contamination', 'a number in [0, 0.5]', config.contamination, 'It is the fraction of the training data the threshold leaves above it; 0 fits no threshold.');
  }
  checkPrecision(config.precision);
  checkDevice('device', config.device);
}

/** The epochs and batch size a fit runs with: its options' where given (they override the configuration's), checked. */
export function epochsAndBatchSize(options: Pick<FitOptions, 'epochs' | 'batchSize'>, config: TrainingConfig): { epochs: number; batchSize: number } {
  const epochs = options.epochs ?? config.epochs;
  const batchSize = options.batchSize ?? config.batchSize;
  checkEpochsAndBatchSize(epochs, batchSize);
  return { epochs, batchSize };
}

function checkEpochsAndBatchSize(epochs: unknown, batchSize: unknown): void {
  if (!Number.isInteger(epochs) || (epochs as number) < 0) throw invalidArgument('epochs', 'a non-negative integer', epochs);
  if (!Number.isInteger(batchSize) || (batchSize as number) < 1) throw invalidArgument('batchSize', 'a positive integer', batchSize);
}

/**
 * A checked configuration, frozen (its lists too): the checks ran when the detector was created, so a
 * setting changed afterwards (`detector.config.memorySize = -3`) would reach the network unchecked.
 * Other settings take a new detector.
 */
export function frozenConfig<C extends object>(config: C): C {
  // Frozen copies: the caller's own arrays (`hiddenSizes: mine`) stay theirs to change.
  const copy = Object.fromEntries(Object.entries(config).map(([key, value]) => [key, Array.isArray(value) ? Object.freeze([...value]) : value]));
  return Object.freeze(copy) as C;
}

/**
 * Settings that act only while a network trains (and the precision it trained in): trained weights score the
 * same whatever they were. A threshold survives another value of them; an imported network never ran them.
 */
export const TRAINING_ONLY_SETTINGS: ReadonlySet<string> = new Set(['seed', 'epochs', 'batchSize', 'lr', 'precision', 'clipsPerEpoch', 'windowsPerEpoch',
  'entropyWeight', 'weightDecay', 'compactnessWeight', 'separatenessWeight', 'separatenessMargin', 'featureLossReduction']);
