/**
 * The caps on how many samples a loader or a split keeps (maxTrain, maxTest, maxVideos): one rule
 * everywhere, so that 0, -5, 1.5 or '2' are refused rather than read as "all" or rounded.
 */
import { invalidArgument } from '../errors.js';

/** A cap is a whole number >= 1, or undefined for no cap. */
export function checkMaxCount(name: string, value: unknown, noun: string): void {
  if (value === undefined || (Number.isInteger(value) && (value as number) >= 1)) return;
  throw invalidArgument(name, `a whole number of ${noun} >= 1, or undefined for all,`, value);
}
