/**
 * Precision–recall curve and its two usual summaries: average precision (a step
 * sum, sklearn's `average_precision_score`) and PR AUC (the trapezoidal area,
 * sklearn's `auc(recall, precision)`). The trapezoid is optimistic for PR curves;
 * report average precision unless a paper asks for the trapezoid.
 */
import { countsAtThresholds, splitByClass, type ThresholdCounts } from './class-split.js';
import { requirePositives } from './validate.js';

export interface PrecisionRecallCurve {
  /** Precision at each threshold, then a final 1 (as sklearn). Length = thresholds.length + 1. */
  readonly precision: Float64Array;
  /** Recall at each threshold, descending, then a final 0. */
  readonly recall: Float64Array;
  /** Distinct scores, ascending; score >= threshold counts as an anomaly. */
  readonly thresholds: Float64Array;
}

/**
 * Equal to sklearn's `precision_recall_curve(labels, scores)` (all thresholds, in
 * its order: ascending thresholds, recall falling to the final point (0, 1)).
 * Needs at least one anomaly; normal samples are optional.
 */
export function precisionRecallCurve(labels: ArrayLike<number>, scores: ArrayLike<number>): PrecisionRecallCurve {
  return curveFromCounts(prCounts(labels, scores, 'precisionRecallCurve'));
}

/** Average precision: sum over thresholds of (recall gained) × precision; equals sklearn's `average_precision_score`. */
export function averagePrecision(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  const counts = prCounts(labels, scores, 'averagePrecision');
  const positives = counts.truePositives[counts.truePositives.length - 1];
  let sum = 0;
  let previousRecall = 0;
  for (let i = 0; i < counts.thresholds.length; i++) {
    const tp = counts.truePositives[i];
    const recall = tp / positives;
    sum += (recall - previousRecall) * (tp / (tp + counts.falsePositives[i]));
    previousRecall = recall;
  }
  return sum;
}

/** Trapezoidal area under the precision–recall curve; equals sklearn's `auc(recall, precision)`. */
export function prAuc(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  const counts = prCounts(labels, scores, 'prAuc');
  const positives = counts.truePositives[counts.truePositives.length - 1];
  // Start at sklearn's end point (recall 0, precision 1) and walk down the thresholds.
  let area = 0;
  let previousRecall = 0;
  let previousPrecision = 1;
  for (let i = 0; i < counts.thresholds.length; i++) {
    const tp = counts.truePositives[i];
    const recall = tp / positives;
    const precision = tp / (tp + counts.falsePositives[i]);
    area += (recall - previousRecall) * (precision + previousPrecision) / 2;
    previousRecall = recall;
    previousPrecision = precision;
  }
  return area;
}

function prCounts(labels: ArrayLike<number>, scores: ArrayLike<number>, metric: string): ThresholdCounts {
  const split = splitByClass(labels, scores);
  requirePositives(metric, 'labels', split.positives.length, labels.length);
  return countsAtThresholds(split);
}

function curveFromCounts(counts: ThresholdCounts): PrecisionRecallCurve {
  const k = counts.thresholds.length;
  const positives = counts.truePositives[k - 1];
  const precision = new Float64Array(k + 1);
  const recall = new Float64Array(k + 1);
  const thresholds = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const from = k - 1 - i; // counts run from the highest threshold down
    const tp = counts.truePositives[from];
    precision[i] = tp / (tp + counts.falsePositives[from]);
    recall[i] = tp / positives;
    thresholds[i] = counts.thresholds[from];
  }
  precision[k] = 1;
  recall[k] = 0;
  return { precision, recall, thresholds };
}
