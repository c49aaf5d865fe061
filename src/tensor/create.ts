/** Creating tensors: from JavaScript data, constants, ranges and random numbers. */
import { native } from '../native/binding.js';
import { checkOptionKeys } from '../config/option-keys.js';
import { described, invalidArgument } from '../errors.js';
import { checkDevice, type Device } from './device.js';
import { dtypeCode, dtypeOfArray, type DType } from './dtype.js';
import { isGradEnabled } from './grad-mode.js';
import { op } from './op.js';
import { convertTypedArray, readNested } from './read-data.js';
import { checkShape } from './shape.js';
import { Tensor } from './tensor.js';

export interface CreateOptions {
  dtype?: DType;
  device?: Device;
  requiresGrad?: boolean;
}

type NestedNumbers = number | boolean | bigint | readonly NestedNumbers[];

/** Apply `requiresGrad`; libtorch refuses it for integer and bool tensors, and then the new tensor is freed. */
function finish(t: Tensor, options: CreateOptions): Tensor {
  if (options.requiresGrad) {
    try {
      t.requiresGrad_(true);
    } catch (error) {
      t.dispose();
      throw error;
    }
  }
  return t;
}

const OPTION_KEYS: readonly (keyof CreateOptions)[] = ['dtype', 'device', 'requiresGrad'];
const TENSOR_OPTION_KEYS: readonly string[] = [...OPTION_KEYS, 'shape'];

/** The options object itself: plain-JavaScript callers may pass anything, or misspell a key (`dtyp`). */
function checkOptions(options: unknown, where: string, keys: readonly string[] = OPTION_KEYS): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw invalidArgument('options', 'an object such as { dtype: \'float32\', device: \'cpu\' }', options);
  }
  checkOptionKeys(where, options, keys);
  const requiresGrad = (options as CreateOptions).requiresGrad;
  if (requiresGrad !== undefined && typeof requiresGrad !== 'boolean') throw invalidArgument('requiresGrad', 'true or false', requiresGrad);
}

/**
 * A tensor from a TypedArray (with `shape`, default 1-D) or from nested arrays of numbers, booleans
 * (dtype bool) or bigints (dtype int64). The data is copied. Uint16Array data needs `dtype: 'float16' | 'bfloat16'`.
 */
export function tensor(data: ArrayBufferView | NestedNumbers, options: CreateOptions & { shape?: readonly number[] } = {}): Tensor {
  checkOptions(options, 'tensor()', TENSOR_OPTION_KEYS);
  let buffer: ArrayBufferView;
  let shape: readonly number[];
  let dtype: DType;
  if (ArrayBuffer.isView(data)) {
    const natural = dtypeOfArray(data);
    if (natural === undefined && !(data instanceof Uint16Array)) {
      throw invalidArgument('data', 'a Float32Array, Float64Array, BigInt64Array, Int32Array, Int16Array, Int8Array, Uint8Array, Uint16Array (raw float16/bfloat16) or nested arrays of numbers', data);
    }
    dtype = options.dtype ?? natural ?? (undefined as never);
    if (dtype === undefined) throw invalidArgument('dtype', "'float16' or 'bfloat16' for a Uint16Array", undefined);
    const length = (data as unknown as ArrayLike<number>).length;
    shape = options.shape === undefined ? [length] : checkShape('shape', options.shape);
    buffer = natural === dtype || (data instanceof Uint16Array && (dtype === 'float16' || dtype === 'bfloat16'))
      ? data
      : convertTypedArray(data as unknown as ArrayLike<number | bigint>, dtype);
  } else {
    const read = readNested(data, options.dtype);
    shape = options.shape === undefined ? read.shape : checkShape('shape', options.shape);
    dtype = read.dtype;
    buffer = read.values;
  }
  const expected = shape.reduce((a, b) => a * b, 1);
  const length = (buffer as unknown as ArrayLike<number>).length;
  if (expected !== length) {
    throw invalidArgument('shape', `a shape with ${length} elements to match the data`, described(`[${shape.join(', ')}] (${expected} elements)`));
  }
  const device = options.device === undefined ? undefined : checkDevice('device', options.device);
  return finish(new Tensor(native.fromBuffer(buffer, shape, dtypeCode(dtype), device)), options);
}

/** A 0-d tensor holding one number (or boolean, or bigint). */
export function scalar(value: number | boolean | bigint, options: CreateOptions = {}): Tensor {
  const kind = typeof value;
  if (kind !== 'number' && kind !== 'boolean' && kind !== 'bigint') throw invalidArgument('value', 'a number', value, 'Use tensor() for arrays.');
  return tensor(value, options);
}

function factory(o: ReturnType<typeof op>, args: unknown[], options: CreateOptions, defaultDtype: DType = 'float32'): Tensor {
  checkOptions(options, `${o.name.replace('aten::', '')}()`);
  const kwargs = { dtype: dtypeCode(options.dtype ?? defaultDtype), device: options.device === undefined ? 'cpu' : checkDevice('device', options.device) };
  return finish(new Tensor(native.callOp(o.id, isGradEnabled(), kwargs, ...args) as number), options);
}

const ops = {
  zeros: op('aten::zeros'), ones: op('aten::ones'), full: op('aten::full'), empty: op('aten::empty.memory_format'),
  arange: op('aten::arange.start_step'), linspace: op('aten::linspace'), rand: op('aten::rand'), randn: op('aten::randn'),
  randint: op('aten::randint.low'), randperm: op('aten::randperm'), eye: op('aten::eye'),
};

export const zeros = (shape: readonly number[], options: CreateOptions = {}) => factory(ops.zeros, [checkShape('shape', shape)], options);
export const ones = (shape: readonly number[], options: CreateOptions = {}) => factory(ops.ones, [checkShape('shape', shape)], options);
export const full = (shape: readonly number[], value: number, options: CreateOptions = {}) => factory(ops.full, [checkShape('shape', shape), value], options);
export const empty = (shape: readonly number[], options: CreateOptions = {}) => factory(ops.empty, [checkShape('shape', shape)], options);
/** start, start+step, ... < end. */
export const arange = (start: number, end: number, step = 1, options: CreateOptions = {}) => factory(ops.arange, [start, end, step], options, 'int64');
export const linspace = (start: number, end: number, steps: number, options: CreateOptions = {}) => factory(ops.linspace, [start, end, steps], options);
/** Uniform in [0, 1). */
export const rand = (shape: readonly number[], options: CreateOptions = {}) => factory(ops.rand, [checkShape('shape', shape)], options);
/** Standard normal. */
export const randn = (shape: readonly number[], options: CreateOptions = {}) => factory(ops.randn, [checkShape('shape', shape)], options);
/** Integers in [low, high). */
export const randint = (low: number, high: number, shape: readonly number[], options: CreateOptions = {}) => factory(ops.randint, [low, high, checkShape('shape', shape)], options, 'int64');
/** A random permutation of 0..n-1. */
export const randperm = (n: number, options: CreateOptions = {}) => factory(ops.randperm, [n], options, 'int64');
export const eye = (n: number, options: CreateOptions = {}) => factory(ops.eye, [n], options);

export const zerosLike = (t: Tensor, options: CreateOptions = {}) => zeros(t.shape, { dtype: t.dtype, device: t.device, ...options });
export const onesLike = (t: Tensor, options: CreateOptions = {}) => ones(t.shape, { dtype: t.dtype, device: t.device, ...options });
export const fullLike = (t: Tensor, value: number, options: CreateOptions = {}) => full(t.shape, value, { dtype: t.dtype, device: t.device, ...options });
export const randnLike = (t: Tensor, options: CreateOptions = {}) => randn(t.shape, { dtype: t.dtype, device: t.device, ...options });
