/** The threshold `predict` flags with, checked: a missing one says how to get one; anything but a finite number is refused. */
import { NormalityError, describe } from '../errors.js';
import { TRAINING_ONLY_SETTINGS } from './training-settings.js';

export function usableThreshold(modelName: string, threshold: unknown): number {
  if (threshold === undefined) {
    throw new NormalityError('INVALID_ARGUMENT', `${modelName} has no threshold: fit it with contamination > 0, call fitThreshold(scores, contamination), or set detector.threshold.`);
  }
  // 'abc' or NaN would flag nothing, null everything: a wrong answer, not a prediction.
  if (typeof threshold !== 'number' || !Number.isFinite(threshold)) {
    throw new NormalityError('INVALID_ARGUMENT', `${modelName}'s threshold is ${describe(threshold)}, not a finite number: set detector.threshold to a number, or fit it with fitThreshold(scores, contamination).`);
  }
  return threshold;
}

/** The threshold as a file stores it: null when there is none; a value predict would refuse is refused here too, not saved. */
export function savedThreshold(modelName: string, threshold: unknown): number | null {
  return threshold === undefined ? null : usableThreshold(modelName, threshold);
}

/** Settings that shape how a network trains or where it runs, never the scores of trained weights. */
const NOT_SCORING = new Set([...TRAINING_ONLY_SETTINGS, 'device']);

/**
 * The settings given when loading that differ from those a saved threshold was fitted under (`saved`, the
 * file's config): other scoring settings score otherwise, another contamination asks for another threshold.
 */
export function thresholdSettingsChanged(saved: unknown, current: object): string[] {
  if (typeof saved !== 'object' || saved === null) return [];
  const now = current as Record<string, unknown>;
  return Object.keys(now).filter((key) => !NOT_SCORING.has(key) && key in saved && JSON.stringify((saved as Record<string, unknown>)[key]) !== JSON.stringify(now[key]));
}

/**
 * The contamination fitThreshold uses: the one given, else the detector's own. Its own is 0 by default (no
 * threshold fitted), and a missing argument should not be reported as a 0 the caller never typed.
 */
export function contaminationFor(modelName: string, given: number | undefined, configured: number): number {
  if (given !== undefined || configured > 0) return given ?? configured;
  throw new NormalityError('INVALID_ARGUMENT', `${modelName}'s contamination is 0 (the default: fit fits no threshold), so fitThreshold(scores) has no fraction to use. Pass one, e.g. fitThreshold(scores, 0.1) for 10%.`);
}
