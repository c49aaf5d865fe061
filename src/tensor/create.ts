/** Creating tensors: from JavaScript data, constants, ranges and random numbers. */
import { native } from '../native/binding.js';
import { invalidArgument } from '../errors.js';
import { dtypeCode, dtypeOfArray, type DType } from './dtype.js';
import { isGradEnabled } from './grad-mode.js';
import { op } from './op.js';
import { Tensor, type Device } from './tensor.js';

export interface CreateOptions {
  dtype?: DType;
  device?: Device;
  requiresGrad?: boolean;
}

type NestedNumbers = number | boolean | readonly NestedNumbers[];

function shapeOfNested(data: NestedNumbers): number[] {
  const shape: number[] = [];
  let level: NestedNumbers = data;
  while (Array.isArray(level)) {
    shape.push(level.length);
    level = (level as readonly NestedNumbers[])[0]!;
  }
  return shape;
}

function typedArrayFor(dtype: DType, values: ArrayLike<number | boolean>): ArrayBufferView {
  const n = values.length;
  switch (dtype) {
    case 'float32': return Float32Array.from(values as ArrayLike<number>);
    case 'float64': return Float64Array.from(values as ArrayLike<number>);
    case 'int32': return Int32Array.from(values as ArrayLike<number>);
    case 'int64': return BigInt64Array.from({ length: n }, (_, i) => BigInt(Math.trunc(Number(values[i]))));
    case 'int16': return Int16Array.from(values as ArrayLike<number>);
    case 'int8': return Int8Array.from(values as ArrayLike<number>);
    case 'uint8':
    case 'bool': return Uint8Array.from(values as ArrayLike<number>, Number);
    default: throw invalidArgument('dtype', 'float32, float64, int64, int32, int16, int8, uint8 or bool for data given as numbers (pass float16/bfloat16 raw data as a Uint16Array)', dtype);
  }
}

function finish(t: Tensor, options: CreateOptions): Tensor {
  if (options.requiresGrad) t.requiresGrad_(true);
  return t;
}

/**
 * A tensor from a TypedArray (with `shape`, default 1-D) or from nested arrays of numbers.
 * The data is copied. Uint16Array data needs `dtype: 'float16' | 'bfloat16'`.
 */
export function tensor(data: ArrayBufferView | NestedNumbers, options: CreateOptions & { shape?: readonly number[] } = {}): Tensor {
  let buffer: ArrayBufferView;
  let shape: readonly number[];
  let dtype: DType;
  if (ArrayBuffer.isView(data)) {
    const natural = dtypeOfArray(data);
    dtype = options.dtype ?? natural ?? (undefined as never);
    if (dtype === undefined) throw invalidArgument('dtype', "'float16' or 'bfloat16' for a Uint16Array", undefined);
    const length = (data as unknown as ArrayLike<number>).length;
    shape = options.shape ?? [length];
    buffer = natural === dtype || (data instanceof Uint8Array && dtype === 'bool') || (data instanceof Uint16Array && (dtype === 'float16' || dtype === 'bfloat16'))
      ? data
      : typedArrayFor(dtype, data as unknown as ArrayLike<number>);
  } else {
    shape = options.shape ?? shapeOfNested(data);
    const flat = Array.isArray(data) ? (data as unknown[]).flat(Infinity) as (number | boolean)[] : [data as number | boolean];
    dtype = options.dtype ?? (typeof flat[0] === 'boolean' ? 'bool' : 'float32');
    buffer = typedArrayFor(dtype, flat);
  }
  const expected = shape.reduce((a, b) => a * b, 1);
  const length = (buffer as unknown as ArrayLike<number>).length;
  if (expected !== length) {
    throw invalidArgument('shape', `a shape with ${length} elements to match the data`, `[${shape.join(', ')}] (${expected} elements)`);
  }
  return finish(new Tensor(native.fromBuffer(buffer, shape, dtypeCode(dtype), options.device)), options);
}

/** A 0-d tensor holding one number. */
export function scalar(value: number, options: CreateOptions = {}): Tensor {
  return tensor([value], { ...options, shape: [] });
}

function factory(o: ReturnType<typeof op>, args: unknown[], options: CreateOptions, defaultDtype: DType = 'float32'): Tensor {
  const kwargs = { dtype: dtypeCode(options.dtype ?? defaultDtype), device: options.device ?? 'cpu' };
  return finish(new Tensor(native.callOp(o.id, isGradEnabled(), kwargs, ...args) as number), options);
}

const ops = {
  zeros: op('aten::zeros'), ones: op('aten::ones'), full: op('aten::full'), empty: op('aten::empty.memory_format'),
  arange: op('aten::arange.start_step'), linspace: op('aten::linspace'), rand: op('aten::rand'), randn: op('aten::randn'),
  randint: op('aten::randint.low'), randperm: op('aten::randperm'), eye: op('aten::eye'),
};

export const zeros = (shape: readonly number[], options: CreateOptions = {}) => factory(ops.zeros, [shape], options);
export const ones = (shape: readonly number[], options: CreateOptions = {}) => factory(ops.ones, [shape], options);
export const full = (shape: readonly number[], value: number, options: CreateOptions = {}) => factory(ops.full, [shape, value], options);
export const empty = (shape: readonly number[], options: CreateOptions = {}) => factory(ops.empty, [shape], options);
/** start, start+step, ... < end. */
export const arange = (start: number, end: number, step = 1, options: CreateOptions = {}) => factory(ops.arange, [start, end, step], options, 'int64');
export const linspace = (start: number, end: number, steps: number, options: CreateOptions = {}) => factory(ops.linspace, [start, end, steps], options);
/** Uniform in [0, 1). */
export const rand = (shape: readonly number[], options: CreateOptions = {}) => factory(ops.rand, [shape], options);
/** Standard normal. */
export const randn = (shape: readonly number[], options: CreateOptions = {}) => factory(ops.randn, [shape], options);
/** Integers in [low, high). */
export const randint = (low: number, high: number, shape: readonly number[], options: CreateOptions = {}) => factory(ops.randint, [low, high, shape], options, 'int64');
/** A random permutation of 0..n-1. */
export const randperm = (n: number, options: CreateOptions = {}) => factory(ops.randperm, [n], options, 'int64');
export const eye = (n: number, options: CreateOptions = {}) => factory(ops.eye, [n], options);

export const zerosLike = (t: Tensor, options: CreateOptions = {}) => zeros(t.shape, { dtype: t.dtype, device: t.device, ...options });
export const onesLike = (t: Tensor, options: CreateOptions = {}) => ones(t.shape, { dtype: t.dtype, device: t.device, ...options });
export const fullLike = (t: Tensor, value: number, options: CreateOptions = {}) => full(t.shape, value, { dtype: t.dtype, device: t.device, ...options });
export const randnLike = (t: Tensor, options: CreateOptions = {}) => randn(t.shape, { dtype: t.dtype, device: t.device, ...options });
