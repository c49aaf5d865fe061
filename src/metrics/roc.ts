/**
 * Receiver operating characteristic: the AUC as the Mann–Whitney statistic (ties
 * count one half, the average-rank convention) and the full curve.
 * Scores: higher = more anomalous. Labels: 1 = anomaly, 0 = normal.
 */
import { countsAtThresholds, forEachThreshold, splitByClass, type ClassSplit } from './class-split.js';
import { requireBothClasses } from './validate.js';

/**
 * Area under the ROC curve, equal to sklearn's `roc_auc_score`: the probability
 * that a random anomaly scores above a random normal sample, ties counting 1/2.
 * O(n log n): one native sort per class.
 */
export function rocAuc(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  return rocAucOfSplit(splitByClass(labels, scores), 'rocAuc', 'labels');
}

/** ROC AUC of scores already split by class (shared with the pixel-level metric). */
export function rocAucOfSplit(split: ClassSplit, metric: string, labelsName: string): number {
  const positives = split.positives.length;
  const negatives = split.negatives.length;
  requireBothClasses(metric, labelsName, positives, negatives);
  // Count pairs (anomaly, normal) ranked correctly; a tie counts one half. The
  // sum is a multiple of 1/2 below 2^52, so it is exact in a double.
  let negativesBelow = negatives;
  let correctPairs = 0;
  forEachThreshold(split, (_threshold, positivesHere, negativesHere) => {
    negativesBelow -= negativesHere;
    correctPairs += positivesHere * negativesBelow + 0.5 * positivesHere * negativesHere;
  });
  return correctPairs / positives / negatives;
}

export interface RocCurve {
  /** False positive rate at each threshold, ascending from 0 to 1. */
  readonly fpr: Float64Array;
  /** True positive rate at each threshold, ascending from 0 to 1. */
  readonly tpr: Float64Array;
  /** Score >= threshold counts as an anomaly. Descending; the first is Infinity (no sample flagged). */
  readonly thresholds: Float64Array;
}

/**
 * The ROC curve at every distinct score, as sklearn's
 * `roc_curve(labels, scores, drop_intermediate=False)`: it starts at (0, 0) and
 * ends at (1, 1). The first threshold is Infinity as in scikit-learn >= 1.3
 * (older versions wrote max(score) + 1 there).
 */
export function rocCurve(labels: ArrayLike<number>, scores: ArrayLike<number>): RocCurve {
  const split = splitByClass(labels, scores);
  const positives = split.positives.length;
  const negatives = split.negatives.length;
  requireBothClasses('rocCurve', 'labels', positives, negatives);
  const counts = countsAtThresholds(split);
  const k = counts.thresholds.length;
  const fpr = new Float64Array(k + 1);
  const tpr = new Float64Array(k + 1);
  const thresholds = new Float64Array(k + 1);
  thresholds[0] = Infinity;
  for (let i = 0; i < k; i++) {
    fpr[i + 1] = counts.falsePositives[i] / negatives;
    tpr[i + 1] = counts.truePositives[i] / positives;
    thresholds[i + 1] = counts.thresholds[i];
  }
  return { fpr, tpr, thresholds };
}
