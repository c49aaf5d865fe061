/**
 * Precision, recall and F1 of hard decisions, at a score threshold, and the best
 * F1 over all thresholds. A score >= threshold is flagged as an anomaly. Where a
 * ratio has a zero denominator it is 0 (sklearn's `zero_division=0`).
 */
import { invalidArgument } from '../errors.js';
import { countsAtThresholds, splitByClass } from './class-split.js';
import { checkBinary, checkFinite, checkNumberArray, checkSameLength, requirePositives } from './validate.js';

export interface PrecisionRecallF1 {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly truePositives: number;
  readonly falsePositives: number;
  readonly falseNegatives: number;
  readonly trueNegatives: number;
}

/** Scores of binary `predictions` (1 = flagged as anomaly) against `labels`. */
export function precisionRecallF1(labels: ArrayLike<number>, predictions: ArrayLike<number>): PrecisionRecallF1 {
  checkPair(labels, 'predictions', predictions);
  let tp = 0, fp = 0, fn = 0, tn = 0;
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    const predicted = predictions[i];
    checkBinary('labels', label, i);
    checkBinary('predictions', predicted, i);
    if (predicted === 1) {
      if (label === 1) tp++;
      else fp++;
    } else if (label === 1) fn++;
    else tn++;
  }
  return fromCounts(tp, fp, fn, tn);
}

/** Same as `precisionRecallF1(labels, scores.map((s) => s >= threshold ? 1 : 0))`. */
export function precisionRecallF1AtThreshold(labels: ArrayLike<number>, scores: ArrayLike<number>, threshold: number): PrecisionRecallF1 {
  checkPair(labels, 'scores', scores);
  if (typeof threshold !== 'number' || Number.isNaN(threshold)) {
    throw invalidArgument('threshold', 'a number (score >= threshold is an anomaly)', threshold);
  }
  let tp = 0, fp = 0, fn = 0, tn = 0;
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    const score = scores[i];
    checkBinary('labels', label, i);
    if (!Number.isFinite(score)) checkFinite('scores', score, i);
    if (score >= threshold) {
      if (label === 1) tp++;
      else fp++;
    } else if (label === 1) fn++;
    else tn++;
  }
  return fromCounts(tp, fp, fn, tn);
}

export interface BestF1 {
  readonly f1: number;
  /** Flag score >= threshold; the highest threshold that reaches the best F1. */
  readonly threshold: number;
  readonly precision: number;
  readonly recall: number;
}

/** F1-max: the best F1 over every distinct score used as the threshold. */
export function bestF1(labels: ArrayLike<number>, scores: ArrayLike<number>): BestF1 {
  const split = splitByClass(labels, scores);
  const positives = split.positives.length;
  requirePositives('bestF1', 'labels', positives, labels.length);
  const counts = countsAtThresholds(split);
  let best: BestF1 = { f1: -1, threshold: Infinity, precision: 0, recall: 0 };
  for (let i = 0; i < counts.thresholds.length; i++) {
    const tp = counts.truePositives[i];
    const flagged = tp + counts.falsePositives[i];
    const f1 = (2 * tp) / (flagged + positives);
    // Strictly greater: on a tie keep the higher threshold, which flags fewer samples.
    if (f1 > best.f1) best = { f1, threshold: counts.thresholds[i], precision: tp / flagged, recall: tp / positives };
  }
  return best;
}

function checkPair(labels: ArrayLike<number>, secondName: string, second: ArrayLike<number>): void {
  checkNumberArray('labels', labels);
  checkNumberArray(secondName, second);
  checkSameLength('labels', labels, secondName, second);
}

function fromCounts(tp: number, fp: number, fn: number, tn: number): PrecisionRecallF1 {
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  const f1 = tp > 0 ? (2 * tp) / (2 * tp + fp + fn) : 0;
  return { precision, recall, f1, truePositives: tp, falsePositives: fp, falseNegatives: fn, trueNegatives: tn };
}
