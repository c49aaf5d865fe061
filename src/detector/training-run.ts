/**
 * What every training loop (TorchDetector's, MNAD's) says when it stops before its epochs are done
 * against its will: an abort from the caller's signal, or a loss that is no longer a number.
 */
import { NormalityError, invalidArgument } from '../errors.js';
import { checkOptionKeys } from '../config/option-keys.js';
import type { FitOptions } from './types.js';

// A record over every key of FitOptions, so that an option added to the interface must be listed here.
const FIT_OPTIONS: Record<keyof FitOptions, true> = {
  epochs: true, batchSize: true, onStep: true, onEpoch: true, checkpointPath: true, checkpointMetadata: true, stopEarly: true, signal: true, maxSeconds: true, beforeThreshold: true,
};
const FIT_OPTION_KEYS = Object.keys(FIT_OPTIONS);
const CALLBACKS = ['onStep', 'onEpoch', 'stopEarly', 'beforeThreshold'] as const;

/**
 * The options of `model`'s fit, checked before training starts: an unknown key (`epoch`) would be
 * ignored, a callback that is not a function would fail after the first step, and a `signal` that is
 * not an AbortSignal would never stop training.
 */
export function checkFitOptions(model: string, options: FitOptions): void {
  checkOptionKeys(`${model} fit()`, options, FIT_OPTION_KEYS);
  for (const key of CALLBACKS) {
    if (options[key] !== undefined && typeof options[key] !== 'function') throw invalidArgument(key, 'a function', options[key]);
  }
  if (options.checkpointPath !== undefined && (typeof options.checkpointPath !== 'string' || options.checkpointPath === '')) {
    throw invalidArgument('checkpointPath', 'a file path', options.checkpointPath);
  }
  if (options.checkpointMetadata !== undefined && (typeof options.checkpointMetadata !== 'object' || options.checkpointMetadata === null || Array.isArray(options.checkpointMetadata))) {
    throw invalidArgument('checkpointMetadata', 'an object of JSON values', options.checkpointMetadata);
  }
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
    throw invalidArgument('signal', 'an AbortSignal (e.g. new AbortController().signal)', options.signal);
  }
}

/**
 * Throw an ABORTED error, its cause the signal's reason, once `signal` is aborted. Called before each
 * step, so no step runs after the abort (`where` says which would have), and before training starts
 * (no `where`), so that an aborted call changes nothing.
 */
export function throwIfAborted(signal: AbortSignal | undefined, where?: { epoch: number; step: number }): void {
  if (!signal?.aborted) return;
  const reason: unknown = signal.reason;
  if (reason instanceof NormalityError && reason.code === 'DISPOSED') throw reason; // the detector's own dispose()
  const why = reason instanceof Error ? reason.message : printable(reason);
  const stopped = where ? `training stopped at epoch ${where.epoch + 1}, step ${where.step + 1}` : 'training did not start';
  throw new NormalityError('ABORTED', `${stopped}: aborted (${why})`, { cause: reason });
}

/** A reason as text; one that cannot be made a string (no prototype, a throwing toString) still stops training as ABORTED. */
function printable(reason: unknown): string {
  try {
    return String(reason);
  } catch {
    return 'a reason that cannot be printed';
  }
}

/**
 * The error for a loss that is NaN or infinite. `badData`, where the caller found it, names a value of
 * the batch that explains it (video frames are not checked up front: it would cost every step a pass).
 */
export function divergedError(loss: number, where: { epoch: number; step: number }, lr: number, badData?: string): NormalityError {
  const at = `at epoch ${where.epoch + 1}, step ${where.step + 1}`;
  const error = badData
    ? new NormalityError('INVALID_ARGUMENT', `training stopped: the loss is ${loss} ${at}, and the batch holds ${badData}. Float frames must be finite and in [−1, 1] (or give bytes 0–255).`)
    : new NormalityError('INVALID_ARGUMENT', `training diverged: the loss is ${loss} ${at}. Lower the learning rate (lr = ${lr}) or check the data for NaN.`);
  divergences.set(error, `the loss was ${loss} ${at}`);
  return error;
}

/** The errors of divergedError, with what happened: by them the detector knows its weights are no longer finite. */
const divergences = new WeakMap<Error, string>();

/** What diverged, when `error` is divergedError's; else undefined. */
export function divergenceOf(error: unknown): string | undefined {
  return error instanceof Error ? divergences.get(error) : undefined;
}
