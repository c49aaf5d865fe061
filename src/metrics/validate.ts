/**
 * Argument checks shared by the metrics. Each throws a NormalityError that names
 * the input, what was expected, what came in and how to fix it. The per-element
 * checks are small functions so the hot loops that call them stay fast.
 */
import { NormalityError, invalidArgument } from '../errors.js';

/** An array of numbers: a plain array or any typed array (not a DataView). */
export function checkNumberArray(name: string, value: unknown): asserts value is ArrayLike<number> {
  const ok = Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
  if (!ok) throw invalidArgument(name, 'an array or typed array of numbers', value);
}

export function checkNonEmpty(name: string, value: ArrayLike<number>): void {
  if (value.length === 0) throw invalidArgument(name, 'a non-empty array', value);
}

/** `second` must have as many entries as `first`: one score per label. */
export function checkSameLength(firstName: string, first: ArrayLike<number>, secondName: string, second: ArrayLike<number>): void {
  if (first.length !== second.length) {
    throw invalidArgument(secondName, `the same length as ${firstName} (${first.length})`, second,
      `Pass exactly one entry of ${secondName} per entry of ${firstName}.`);
  }
}

/** A label or a binary prediction: 1 = anomaly, 0 = normal. */
export function checkBinary(name: string, value: number, index: number): void {
  if (value !== 0 && value !== 1) {
    throw invalidArgument(`${name}[${index}]`, '0 (normal) or 1 (anomaly)', value,
      `Map ${name} to 0/1 first, e.g. with (v) => (v ? 1 : 0).`);
  }
}

export function checkFinite(name: string, value: number, index: number): void {
  if (!Number.isFinite(value)) {
    throw invalidArgument(`${name}[${index}]`, 'a finite number', value, 'Drop or replace NaN and infinite scores before evaluating.');
  }
}

/** Check every entry of `values` is finite, reporting the first bad index. */
export function checkAllFinite(name: string, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) checkFinite(name, values[i], i);
  }
}

/**
 * Check a labels/scores pair: arrays of the same non-zero length, labels 0 or 1,
 * scores finite. Returns the number of anomalies (labels equal to 1).
 */
export function checkLabelledScores(labelsName: string, labels: unknown, scoresName: string, scores: unknown): number {
  checkNumberArray(labelsName, labels);
  checkNumberArray(scoresName, scores);
  checkSameLength(labelsName, labels, scoresName, scores);
  checkNonEmpty(labelsName, labels);
  let positives = 0;
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (label === 1) positives++;
    else if (label !== 0) checkBinary(labelsName, label, i);
    if (!Number.isFinite(scores[i])) checkFinite(scoresName, scores[i], i);
  }
  return positives;
}

/** `1 label`, `3 labels`. */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** Whether labels hold both an anomaly (1) and a normal sample: what ROC AUC and the curves need. */
export function hasBothClasses(labels: ArrayLike<number>): boolean {
  let normal = false;
  let anomaly = false;
  for (let i = 0; i < labels.length; i++) (labels[i] === 1 ? (anomaly = true) : (normal = true));
  return normal && anomaly;
}

/** Metrics such as ROC AUC are undefined unless both classes occur. */
export function requireBothClasses(metric: string, labelsName: string, positives: number, negatives: number): void {
  if (positives > 0 && negatives > 0) return;
  const total = positives + negatives;
  const only = positives === 0 ? '0 (normal)' : '1 (anomaly)';
  throw new NormalityError('INVALID_ARGUMENT',
    `Expected both classes in ${labelsName} for ${metric} but received ${count(total, 'label')}, all ${only}. ` +
    `${metric} is undefined with a single class: include at least one anomaly (1) and one normal (0) sample.`);
}

/** Precision–recall metrics need at least one anomaly; normal samples are optional. */
export function requirePositives(metric: string, labelsName: string, positives: number, total: number): void {
  if (positives > 0) return;
  throw new NormalityError('INVALID_ARGUMENT',
    `Expected at least one anomaly (1) in ${labelsName} for ${metric} but received ${count(total, 'label')}, all 0 (normal). ` +
    `Recall is undefined without anomalies: include at least one sample labelled 1.`);
}
