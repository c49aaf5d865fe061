/**
 * The core of every ranking metric: the scores of the anomalies and of the
 * normal samples, each sorted ascending. Walking both from the top visits the
 * distinct thresholds in descending order with the number of each class at each
 * threshold (sklearn's `_binary_clf_curve`).
 *
 * Why two sorted arrays instead of an index sort: the labels need not travel with
 * the scores because each array holds one class, and a plain Float64Array sorts
 * far faster than indices through a JavaScript comparator (see sort-float64.ts).
 * 10 million scores take well under a second.
 */
import { sortAscending } from './sort-float64.js';
import { checkLabelledScores } from './validate.js';

export interface ClassSplit {
  /** Scores of samples labelled 1, ascending. */
  readonly positives: Float64Array;
  /** Scores of samples labelled 0, ascending. */
  readonly negatives: Float64Array;
  /** Optional weight of each entry of `positives` (same order); 1 each when absent. */
  readonly positiveWeights?: Float64Array;
}

/** Validate `labels` (0/1) and `scores` (finite, same length) and split the scores by class. */
export function splitByClass(labels: ArrayLike<number>, scores: ArrayLike<number>, labelsName = 'labels', scoresName = 'scores'): ClassSplit {
  const positiveCount = checkLabelledScores(labelsName, labels, scoresName, scores);
  const positives = new Float64Array(positiveCount);
  const negatives = new Float64Array(labels.length - positiveCount);
  let p = 0;
  let q = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] === 1) positives[p++] = scores[i];
    else negatives[q++] = scores[i];
  }
  sortAscending(positives);
  sortAscending(negatives);
  return { positives, negatives };
}

/**
 * Called once per distinct score, highest first: the threshold, and the weight of
 * the positives and the count of negatives whose score equals it.
 */
export type ThresholdVisitor = (threshold: number, positivesAtThreshold: number, negativesAtThreshold: number) => void;

/** Visit the distinct thresholds of `split` in descending order. Ties (and -0/+0) form one group. */
export function forEachThreshold(split: ClassSplit, visit: ThresholdVisitor): void {
  const { positives, negatives, positiveWeights } = split;
  let i = positives.length - 1;
  let j = negatives.length - 1;
  while (i >= 0 || j >= 0) {
    const threshold = i < 0 ? negatives[j] : j < 0 ? positives[i] : Math.max(positives[i], negatives[j]);
    let positiveMass = 0;
    if (positiveWeights === undefined) {
      const start = i;
      while (i >= 0 && positives[i] === threshold) i--;
      positiveMass = start - i;
    } else {
      while (i >= 0 && positives[i] === threshold) positiveMass += positiveWeights[i--];
    }
    const start = j;
    while (j >= 0 && negatives[j] === threshold) j--;
    visit(threshold, positiveMass, start - j);
  }
}

/** Cumulative counts at each distinct threshold, descending (as sklearn's `_binary_clf_curve`). */
export interface ThresholdCounts {
  readonly thresholds: Float64Array;
  /** Positives (or their weight) with score >= threshold. */
  readonly truePositives: Float64Array;
  /** Negatives with score >= threshold. */
  readonly falsePositives: Float64Array;
}

export function countsAtThresholds(split: ClassSplit): ThresholdCounts {
  const capacity = split.positives.length + split.negatives.length;
  const thresholds = new Float64Array(capacity);
  const truePositives = new Float64Array(capacity);
  const falsePositives = new Float64Array(capacity);
  let k = 0;
  let tp = 0;
  let fp = 0;
  forEachThreshold(split, (threshold, positives, negatives) => {
    tp += positives;
    fp += negatives;
    thresholds[k] = threshold;
    truePositives[k] = tp;
    falsePositives[k] = fp;
    k++;
  });
  return { thresholds: thresholds.slice(0, k), truePositives: truePositives.slice(0, k), falsePositives: falsePositives.slice(0, k) };
}
