/**
 * Argument and input checks shared by the layers, so every layer says the same thing the same way:
 * `Expected a positive integer for Conv2d inChannels but received 0 of type number.`
 */
import { closest } from '../config/suggest.js';
import { NormalityError, invalidArgument } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';

const isInt = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value);

export function positiveInt(layer: string, name: string, value: unknown): number {
  if (!isInt(value) || value < 1) throw invalidArgument(`${layer} ${name}`, 'a positive integer', value);
  return value;
}

export function positiveNumber(layer: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) throw invalidArgument(`${layer} ${name}`, 'a positive number', value);
  return value;
}

export function finiteNumber(layer: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidArgument(`${layer} ${name}`, 'a finite number', value);
  return value;
}

export function boolean(layer: string, name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw invalidArgument(`${layer} ${name}`, 'true or false', value);
  return value;
}

/** A probability in [0, 1]. */
export function probability(layer: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) throw invalidArgument(`${layer} ${name}`, 'a number between 0 and 1', value);
  return value;
}

/**
 * One integer per spatial dim: a number stands for all of them (PyTorch's `kernel_size=3`), an array
 * gives each. `min` is 1 for sizes and strides, 0 for paddings.
 */
export function intTuple(layer: string, name: string, value: unknown, dims: number, min: 0 | 1): number[] {
  const kind = min === 1 ? 'positive integer' : 'non-negative integer';
  const ok = (v: unknown) => isInt(v) && v >= min;
  if (ok(value)) return Array.from({ length: dims }, () => value as number);
  if (Array.isArray(value) && value.length === dims && value.every(ok)) return [...value] as number[];
  throw invalidArgument(`${layer} ${name}`, `a ${kind} or an array of ${dims} ${kind}s`, value);
}

/** Throws on option names the layer does not know, with the closest known one as a hint. */
export function checkOptions(layer: string, options: object, known: readonly string[]): void {
  if (typeof options !== 'object' || options === null) throw invalidArgument(`${layer} options`, 'an object', options);
  for (const name of Object.keys(options)) {
    if (known.includes(name)) continue;
    const guess = closest(name, known);
    const hint = guess ? ` Did you mean '${guess}'?` : '';
    throw new NormalityError('INVALID_ARGUMENT', `Unknown option '${name}' for ${layer}.${hint} Known options: ${known.join(', ')}.`);
  }
}

const shapeText = (t: Tensor) => `[${t.shape.join(', ')}]`;

/** The input is a tensor with at least `minRank` dims. */
export function expectTensor(layer: string, x: unknown, minRank: number, layout: string): asserts x is Tensor {
  if (!(x instanceof Tensor)) throw invalidArgument(`${layer} input`, 'a Tensor', x);
  if (x.ndim < minRank) throw new NormalityError('SHAPE_MISMATCH', `${layer} expects an input of at least ${minRank} dims ${layout} but received shape ${shapeText(x)}.`);
}

/**
 * The input is a tensor of one of `ranks`; `layout` names the dims, e.g. '(N, C, H, W)'.
 * One dim short means the batch dim is missing, so the message says how to add it.
 */
export function expectRank(layer: string, x: unknown, ranks: readonly number[], layout: string): asserts x is Tensor {
  if (!(x instanceof Tensor)) throw invalidArgument(`${layer} input`, 'a Tensor', x);
  if (ranks.includes(x.ndim)) return;
  const wanted = ranks.map((r) => `${r}-D`).join(' or ');
  const fix = x.ndim === Math.min(...ranks) - 1 ? ' Add a batch dimension with x.unsqueeze(0).' : '';
  throw new NormalityError('SHAPE_MISMATCH', `${layer} expects a ${wanted} input ${layout} but received shape ${shapeText(x)}.${fix}`);
}

/** Dim `dim` of the input has the size the layer was built for (`option` names the constructor argument). */
export function expectSize(layer: string, x: Tensor, dim: number, size: number, option: string): void {
  if (x.size(dim) === size) return;
  const where = dim === -1 ? 'the last dim' : `dim ${dim}`;
  throw new NormalityError(
    'SHAPE_MISMATCH',
    `${layer} was built with ${option} = ${size} and expects ${size} in ${where} of its input, but received shape ${shapeText(x)}.`,
  );
}
