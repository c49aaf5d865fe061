/**
 * Percentiles with numpy's default ('linear') method, step for step so results
 * match `np.percentile` to the last bit on float64 input, and the PyOD rule that
 * turns a contamination rate into a score threshold.
 */
import { invalidArgument } from '../errors.js';
import { sortAscending } from './sort-float64.js';
import { checkAllFinite, checkNonEmpty, checkNumberArray } from './validate.js';

/** `np.percentile(values, q)`, q in [0, 100], linear interpolation between the closest ranks. */
export function percentile(values: ArrayLike<number>, q: number): number {
  checkNumberArray('values', values);
  checkNonEmpty('values', values);
  if (typeof q !== 'number' || !(q >= 0 && q <= 100)) {
    throw invalidArgument('q', 'a percentile between 0 and 100', q, 'For the median pass 50.');
  }
  checkAllFinite('values', values);
  const sorted = Float64Array.from(values);
  sortAscending(sorted);
  return interpolateSorted(sorted, q / 100);
}

/**
 * The score threshold that flags a fraction `contamination` of `scores`, the value PyOD fits:
 * `np.percentile(scores, 100 * (1 - contamination))`. Unlike PyOD, which flags scores above it, a score
 * equal to it is an anomaly too (`predict` flags score >= threshold): the rule of the ROC and PR curves'
 * thresholds and of `precisionRecallF1`, so that a threshold taken from them means the same in `predict`.
 * The two differ only for a score exactly on the threshold (ties, or an interpolation that lands on a score).
 */
export function thresholdFromContamination(scores: ArrayLike<number>, contamination: number): number {
  checkContamination(contamination);
  checkNumberArray('scores', scores);
  checkNonEmpty('scores', scores);
  checkAllFinite('scores', scores);
  const sorted = Float64Array.from(scores);
  sortAscending(sorted);
  return interpolateSorted(sorted, (100 * (1 - contamination)) / 100);
}

/** Refuses a contamination outside (0, 0.5], by name. */
export function checkContamination(contamination: number): void {
  if (typeof contamination !== 'number' || !(contamination > 0 && contamination <= 0.5)) {
    throw invalidArgument('contamination', 'a fraction in (0, 0.5]', contamination,
      'Pass the expected share of anomalies in the data, e.g. 0.1 for 10%.');
  }
}

/** numpy's linear method on ascending `sorted`, `quantile` in [0, 1]; numpy's own rounding order. */
function interpolateSorted(sorted: Float64Array, quantile: number): number {
  const last = sorted.length - 1;
  const virtualIndex = last * quantile;
  if (virtualIndex >= last) return sorted[last];
  const below = Math.floor(virtualIndex);
  const gamma = virtualIndex - below;
  const a = sorted[below];
  const b = sorted[below + 1];
  const difference = b - a;
  // numpy interpolates from the nearer end; doing the same matches it bit for bit.
  return gamma >= 0.5 ? b - difference * (1 - gamma) : a + difference * gamma;
}
