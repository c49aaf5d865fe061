/** The features that make a table row anomalous: its largest per-feature errors and their share of the row's total. */
import type { FeatureErrors } from '../detector/types.js';

export interface FeatureShare {
  /** Column index. */
  feature: number;
  /** This feature's error over the sum of the row's errors, in [0, 1]. */
  share: number;
}

/** Row `row`'s `count` largest feature errors, largest first (ties: the earlier column first). */
export function topFeatures(errors: FeatureErrors, row: number, count: number): FeatureShare[] {
  const [, features] = errors.shape;
  const values = errors.data.subarray(row * features, (row + 1) * features);
  let total = 0;
  for (const v of values) total += v;
  return Array.from(values, (value, feature) => ({ feature, value }))
    .sort((a, b) => b.value - a.value || a.feature - b.feature)
    .slice(0, count)
    .map(({ feature, value }) => ({ feature, share: total > 0 ? value / total : 0 }));
}
