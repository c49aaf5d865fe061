/**
 * Mini-batches of a `SampleArray` as tensors: shuffled with a seeded generator for training, in order
 * for scoring. Rows are gathered into one reused buffer, so an epoch allocates no JavaScript memory.
 */
import { Rng } from '../data/random.js';
import { described, invalidArgument } from '../errors.js';
import { tensor } from '../tensor/create.js';
import type { Device, Tensor } from '../tensor/tensor.js';
import type { SampleArray } from './types.js';
import { videoModelNames } from '../models/registry.js';

export function sampleCount(data: SampleArray): number {
  return data.shape[0] ?? 0;
}

export function checkSamples(data: SampleArray, name: string, sampleShape?: readonly number[]): void {
  checkSampleArrayFields(data, name);
  const total = data.shape.reduce((a, b) => a * b, 1);
  if (total !== data.x.length) {
    throw invalidArgument(`${name}.shape`, `a shape whose product is x.length = ${data.x.length}`, described(`[${data.shape.join(', ')}]`));
  }
  checkSampleShape(data, name, sampleShape);
  if (sampleCount(data) === 0) throw invalidArgument(name, 'at least one sample', described(`shape (${data.shape.join(', ')})`));
  const { labels } = data as { labels?: ArrayLike<number> };
  if (labels !== undefined && labels !== null && labels.length !== sampleCount(data)) {
    throw invalidArgument(`${name}.labels`, `one label per sample (${sampleCount(data)})`, described(`${labels.length} labels`), 'Give labels of the same samples, in the same order, or leave them out.');
  }
  // Labels are 0 or 1: a 7 (a class number) would be neither, and every metric would read it as one of them.
  for (let i = 0; i < (labels?.length ?? 0); i++) {
    if (labels![i] !== 0 && labels![i] !== 1) {
      throw invalidArgument(`${name}.labels[${i}]`, '0 (normal) or 1 (anomaly)', labels![i], 'Map classes to 0 and 1 first: oneClassSplit does, for a normal class.');
    }
  }
  checkFinite(data, name);
}

/** The shape of one sample, where the model has one. */
export function checkSampleShape(data: SampleArray, name: string, sampleShape: readonly number[] | undefined): void {
  if (sampleShape && data.shape.slice(1).join(',') !== sampleShape.join(',')) {
    throw invalidArgument(name, `samples of shape (N, ${sampleShape.join(', ')}), the shape this model was built for,`, described(`shape (${data.shape.join(', ')})`),
      'Resize or reshape the samples, or build the model for this sample shape.');
  }
}

/** The fields' types, each named in the message: `x` as a Float64Array or `shape` as strings is a common slip. */
function checkSampleArrayFields(data: SampleArray, name: string): void {
  if (!data || typeof data !== 'object' || Array.isArray(data) || ArrayBuffer.isView(data)) {
    throw invalidArgument(name, 'samples as { x: Float32Array, shape: [N, ...] }', data,
      'Pass the values as one row-major Float32Array x with their shape, e.g. { x, shape: [N, 8] }, or make them from rows with fromRows(rows).');
  }
  if (Array.isArray((data as { videos?: unknown }).videos)) {
    throw invalidArgument(name, 'samples as { x: Float32Array, shape: [N, ...] }', described('a VideoSet { videos, ... }'),
      `This model reads images or table rows; for videos use a video model (${videoModelNames().join(', ')}).`);
  }
  if (!(data.x instanceof Float32Array)) {
    const fix = Array.isArray(data.x) && (data.x as unknown[]).some(Array.isArray) ? 'For rows of values (number[][]) use fromRows(rows), which gives { x, shape }.'
      : ArrayBuffer.isView(data.x) || Array.isArray(data.x) ? 'Convert it with Float32Array.from(x).' : 'Pass the values as one Float32Array, row-major.';
    throw invalidArgument(`${name}.x`, 'a Float32Array', data.x, fix);
  }
  if (!Array.isArray(data.shape) || data.shape.length === 0 || !data.shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw invalidArgument(`${name}.shape`, 'an array of non-negative integers [N, ...]', Array.isArray(data.shape) ? described(`[${data.shape.map((d) => (typeof d === 'string' ? JSON.stringify(d) : String(d))).join(', ')}]`) : data.shape);
  }
}

/** NaN or ±∞ in the input would train a NaN network or give NaN scores, which no AUC or threshold survives. */
function checkFinite(data: SampleArray, name: string): void {
  const { x } = data;
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i])) {
      const perSample = x.length / data.shape[0]!;
      throw invalidArgument(name, 'finite values', described(`${x[i]} in sample ${Math.floor(i / perSample)}, value ${i % perSample} of the sample`),
        'Fill in or drop missing values (NaN) and infinities before fitting or scoring.');
    }
  }
}

/** Fisher–Yates with the seeded generator. */
export function shuffledIndices(n: number, rng: Rng): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}

export class BatchMaker {
  readonly #data: SampleArray;
  readonly #device: Device;
  readonly #sampleSize: number;
  #buffer = new Float32Array(0);

  constructor(data: SampleArray, device: Device) {
    this.#data = data;
    this.#device = device;
    this.#sampleSize = data.shape.slice(1).reduce((a, b) => a * b, 1);
  }

  /** Samples `indices[start..end)` as one tensor (B, ...sample shape). */
  gather(indices: ArrayLike<number>, start: number, end: number): Tensor {
    const count = end - start;
    const size = this.#sampleSize;
    if (this.#buffer.length < count * size) this.#buffer = new Float32Array(count * size);
    const batch = this.#buffer.subarray(0, count * size);
    for (let i = 0; i < count; i++) {
      const row = indices[start + i]!;
      batch.set(this.#data.x.subarray(row * size, (row + 1) * size), i * size);
    }
    return tensor(batch, { shape: [count, ...this.#data.shape.slice(1)], device: this.#device });
  }

  /** Consecutive samples `[start, end)`, without copying on the JavaScript side. */
  slice(start: number, end: number): Tensor {
    const size = this.#sampleSize;
    return tensor(this.#data.x.subarray(start * size, end * size), { shape: [end - start, ...this.#data.shape.slice(1)], device: this.#device });
  }
}
