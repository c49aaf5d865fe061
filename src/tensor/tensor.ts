/**
 * A libtorch tensor owned by JavaScript. Methods mirror PyTorch's (camelCase), each a thin call of one
 * ATen op through the dispatcher, autograd included. Free a tensor with `dispose()`, `using`, or `tidy`.
 */
import { native, type Handle } from '../native/binding.js';
import { NormalityError, described, invalidArgument } from '../errors.js';
import { checkDevice, type Device } from './device.js';
import { ARRAY_NAMES, DTYPES, dtypeCode, dtypeName, type DType, type TypedArrayOf } from './dtype.js';
import { isGradEnabled, noGrad } from './grad-mode.js';
import { track, type Tracked } from './memory.js';
import { op, type Op } from './op.js';
import { sizesFrom } from './shape.js';

export type { Device };
export type Dims = number | readonly number[];
/** Sizes or dims given spread, `(2, 3)`, or as one array, `([2, 3])`. */
type Sizes = number[] | [readonly number[]];

interface Meta {
  dtype: DType;
  device: Device;
  shape: readonly number[];
}

/** Scratch space the native side writes a tensor's metadata into (see native.describe). */
const scratch = new Float64Array(3 + 64);

function metaFrom(description: Float64Array): Meta {
  const device = description[1]!;
  const shape = Array.from(description.subarray(3, 3 + description[2]!));
  return { dtype: dtypeName(description[0]!), device: device < 0 ? 'cpu' : `cuda:${device}`, shape };
}

/** Wrap the raw result of an op call: a new tensor handle, or the caller's own tensor for in-place ops. */
function wrap(raw: unknown, self?: Tensor): Tensor {
  if (self !== undefined && raw === self.handle) return self;
  return new Tensor(raw as Handle);
}

/** The handle of a Tensor argument, or an error naming the argument and saying what it received instead. */
export function handleOf(value: unknown, name: string, orNumber = false): Handle {
  if (value instanceof Tensor) return value.handle;
  const fix = Array.isArray(value) || ArrayBuffer.isView(value) ? 'Make a tensor of it first: tensor(data).' : undefined;
  throw invalidArgument(name, orNumber ? 'a Tensor or a number' : 'a Tensor', value, fix);
}

/** The handle of an optional Tensor argument (a bias): null when left out. */
export function optionalHandleOf(value: unknown, name: string): Handle | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Tensor) return value.handle;
  throw invalidArgument(name, 'a Tensor (or null for none)', value);
}

/** The handles of an array of Tensors (`orNull`: null entries stand for a full slice, as in `index`). */
function handlesOf(values: unknown, name: string, orNull = false): (Handle | null)[] {
  if (!Array.isArray(values)) throw invalidArgument(name, orNull ? 'an array of Tensors or nulls' : 'an array of Tensors', values);
  const handles = new Array<Handle | null>(values.length);
  for (let i = 0; i < values.length; i++) {
    const value: unknown = values[i];
    handles[i] = value instanceof Tensor ? value.handle : orNull && (value === null || value === undefined) ? null : handleOf(value, `${name}[${i}]`);
  }
  return handles;
}

function call(o: Op, args: unknown[], kwargs?: Record<string, unknown>): unknown {
  return native.callOp(o.id, isGradEnabled(), kwargs, ...args);
}

const OPS = {
  add: op('aten::add.Tensor'), addScalar: op('aten::add.Scalar'), add_: op('aten::add_.Tensor'), addScalar_: op('aten::add_.Scalar'),
  sub: op('aten::sub.Tensor'), subScalar: op('aten::sub.Scalar'), sub_: op('aten::sub_.Tensor'), subScalar_: op('aten::sub_.Scalar'),
  rsubScalar: op('aten::rsub.Scalar'),
  mul: op('aten::mul.Tensor'), mulScalar: op('aten::mul.Scalar'), mul_: op('aten::mul_.Tensor'), mulScalar_: op('aten::mul_.Scalar'),
  div: op('aten::div.Tensor'), divScalar: op('aten::div.Scalar'), div_: op('aten::div_.Tensor'), divScalar_: op('aten::div_.Scalar'),
  pow: op('aten::pow.Tensor_Tensor'), powScalar: op('aten::pow.Tensor_Scalar'),
  maximum: op('aten::maximum'), minimum: op('aten::minimum'),
  neg: op('aten::neg'), abs: op('aten::abs'), exp: op('aten::exp'), log: op('aten::log'), sqrt: op('aten::sqrt'),
  sqrt_: op('aten::sqrt_'), rsqrt: op('aten::rsqrt'), reciprocal: op('aten::reciprocal'), square: op('aten::square'),
  sign: op('aten::sign'), floor: op('aten::floor'), round: op('aten::round'), log10: op('aten::log10'),
  clamp: op('aten::clamp'), clamp_: op('aten::clamp_'),
  addcmul_: op('aten::addcmul_'), addcdiv_: op('aten::addcdiv_'), lerp_: op('aten::lerp_.Scalar'),
  relu: op('aten::relu'), relu_: op('aten::relu_'), leakyRelu: op('aten::leaky_relu'), sigmoid: op('aten::sigmoid'),
  tanh: op('aten::tanh'), gelu: op('aten::gelu'), softmax: op('aten::softmax.int'), logSoftmax: op('aten::log_softmax.int'),
  matmul: op('aten::matmul'), mm: op('aten::mm'), bmm: op('aten::bmm'),
  sumAll: op('aten::sum'), sum: op('aten::sum.dim_IntList'), meanAll: op('aten::mean'), mean: op('aten::mean.dim'),
  maxAll: op('aten::max'), maxDim: op('aten::max.dim'), minAll: op('aten::min'), minDim: op('aten::min.dim'),
  amax: op('aten::amax'), amin: op('aten::amin'), argmax: op('aten::argmax'), argmin: op('aten::argmin'),
  var: op('aten::var.correction'), std: op('aten::std.correction'), norm: op('aten::linalg_vector_norm'),
  logsumexp: op('aten::logsumexp'), topk: op('aten::topk'), sort: op('aten::sort'), cumsum: op('aten::cumsum'),
  eq: op('aten::eq.Tensor'), eqScalar: op('aten::eq.Scalar'), ne: op('aten::ne.Tensor'), neScalar: op('aten::ne.Scalar'),
  gt: op('aten::gt.Tensor'), gtScalar: op('aten::gt.Scalar'), ge: op('aten::ge.Tensor'), geScalar: op('aten::ge.Scalar'),
  lt: op('aten::lt.Tensor'), ltScalar: op('aten::lt.Scalar'), le: op('aten::le.Tensor'), leScalar: op('aten::le.Scalar'),
  logicalNot: op('aten::logical_not'), logicalAnd: op('aten::logical_and'), logicalOr: op('aten::logical_or'),
  where: op('aten::where.self'), maskedFill: op('aten::masked_fill.Scalar'), maskedFill_: op('aten::masked_fill_.Scalar'),
  reshape: op('aten::reshape'), view: op('aten::view'), flatten: op('aten::flatten.using_ints'), unsqueeze: op('aten::unsqueeze'),
  squeezeAll: op('aten::squeeze'), squeeze: op('aten::squeeze.dim'), permute: op('aten::permute'), transpose: op('aten::transpose.int'),
  expand: op('aten::expand'), contiguous: op('aten::contiguous'), stride: op('aten::stride.int'), narrow: op('aten::narrow'), select: op('aten::select.int'),
  slice: op('aten::slice.Tensor'), indexSelect: op('aten::index_select'), gather: op('aten::gather'), index: op('aten::index.Tensor'),
  split: op('aten::split.Tensor'), chunk: op('aten::chunk'), repeat: op('aten::repeat'), flip: op('aten::flip'),
  clone: op('aten::clone'), detach: op('aten::detach'), toDtype: op('aten::to.dtype'), toDevice: op('aten::to.device'),
  fill_: op('aten::fill_.Scalar'), zero_: op('aten::zero_'), copy_: op('aten::copy_'),
  uniform_: op('aten::uniform_'), normal_: op('aten::normal_'), item: op('aten::item'),
  cat: op('aten::cat'), stack: op('aten::stack'),
} as const;

export class Tensor implements Tracked {
  #handle: Handle;
  #meta: Meta | undefined;
  #freedDescription: Float64Array | undefined;
  /** Set by `keep()`: survives the enclosing `tidy` scopes. */
  kept = false;

  /** Internal: wraps a native handle. Use the creation functions (`tensor`, `zeros`, ...) instead. */
  constructor(handle: Handle) {
    this.#handle = handle;
    track(this);
  }

  get handle(): Handle {
    if (this.#handle < 0) throw this.#disposedError();
    return this.#handle;
  }

  get isDisposed(): boolean {
    return this.#handle < 0;
  }

  #describe(): Meta {
    if (this.#meta === undefined) {
      native.describe(this.handle, scratch);
      const ndim = scratch[2]!;
      if (3 + ndim <= scratch.length) {
        this.#meta = metaFrom(scratch);
      } else {
        // More dimensions than the scratch space holds (rare): ask again with room for all of them.
        const long = new Float64Array(3 + ndim);
        native.describe(this.handle, long);
        this.#meta = metaFrom(long);
      }
    }
    return this.#meta;
  }

  #disposedError(): NormalityError {
    const meta = this.#meta ?? (this.#freedDescription ? metaFrom(this.#freedDescription) : undefined);
    const what = meta ? `A tensor of shape [${meta.shape.join(', ')}] and dtype ${meta.dtype}` : 'A tensor';
    return new NormalityError('DISPOSED', `${what} was used after dispose(). Keep it alive with keep() or create it outside the tidy() that freed it.`);
  }

  /** Free the native tensor. Safe to call more than once. */
  dispose(): void {
    if (this.#handle < 0) return;
    if (this.#meta === undefined) {
      // Remember what was freed, so a later use can say so; raw numbers are cheaper than a Meta object.
      native.free(this.#handle, scratch);
      // (A tensor of more than 64 dimensions is remembered by its first 64 sizes.)
      this.#freedDescription = scratch.slice(0, Math.min(scratch.length, 3 + scratch[2]!));
    } else {
      native.free(this.#handle);
    }
    this.#handle = -1;
  }

  /**
   * @internal Take over `other`'s native tensor, freeing this one's; `other` ends up disposed. Lets
   * `Module.to(device)` move a parameter while everything that holds the Parameter object keeps it.
   */
  _replaceWith(other: Tensor): void {
    const handle = other.handle;
    if (this.#handle >= 0) native.free(this.#handle);
    this.#handle = handle;
    this.#meta = undefined;
    other.#handle = -1;
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  get shape(): readonly number[] { return this.#describe().shape; }
  get dtype(): DType { return this.#describe().dtype; }
  get device(): Device { return this.#describe().device; }
  get ndim(): number { return this.#describe().shape.length; }
  get numel(): number { return this.#describe().shape.reduce((a, b) => a * b, 1); }

  /** Size of one dimension; negative dims count from the end. */
  size(dim: number): number {
    const shape = this.shape;
    const d = dim < 0 ? dim + shape.length : dim;
    if (d < 0 || d >= shape.length) throw invalidArgument('dim', `an integer in [${-shape.length}, ${shape.length - 1}]`, dim);
    return shape[d]!;
  }

  toString(): string {
    if (this.isDisposed) return 'Tensor(disposed)';
    return `Tensor(shape=[${this.shape.join(', ')}], dtype=${this.dtype}, device=${this.device})`;
  }

  // ---- data ----

  /**
   * A copy of the data in the TypedArray of `dtype`, which must be the tensor's (default float32): `data('int64')`
   * of an argmax is a BigInt64Array, typed as one. Another dtype is refused rather than typed as the wrong array
   * (a bigint read as a number throws only at the first arithmetic). float16/bfloat16 come as raw 16-bit words.
   */
  data<D extends DType = 'float32'>(dtype: D = 'float32' as D): TypedArrayOf[D] {
    this.#requireDtype(dtype, 'data');
    return native.toBuffer(this.handle, true) as TypedArrayOf[D];
  }

  /** A zero-copy view of the tensor's memory where possible (contiguous CPU tensors); it stays valid after dispose(). `dtype` as for data(). */
  dataView<D extends DType = 'float32'>(dtype: D = 'float32' as D): TypedArrayOf[D] {
    this.#requireDtype(dtype, 'dataView');
    return native.toBuffer(this.handle, false) as TypedArrayOf[D];
  }

  #requireDtype(dtype: DType, method: string): void {
    if (!DTYPES.includes(dtype)) throw invalidArgument(`${method}() dtype`, `one of ${DTYPES.join(', ')}`, dtype);
    const actual = this.dtype;
    if (actual !== dtype) {
      throw new NormalityError('DTYPE_MISMATCH', `${method}('${dtype}') of ${actual.startsWith('int') ? 'an' : 'a'} ${actual} tensor: name its dtype, ${method}('${actual}'), for its values as ${ARRAY_NAMES[actual]}, or convert it first with .to('${dtype}').`);
    }
  }

  /** The value of a one-element tensor. */
  item(): number {
    if (this.numel !== 1) throw invalidArgument('item()', 'a tensor with one element', described(this.toString()));
    const value = call(OPS.item, [this.handle]);
    return typeof value === 'boolean' ? Number(value) : (value as number);
  }

  /** The data as (nested) plain arrays of numbers. */
  toArray(): number | unknown[] {
    const flat = Array.from(this.data(this.dtype) as ArrayLike<number | bigint>, Number);
    const build = (offset: number, dim: number): number | unknown[] => {
      if (dim === this.ndim) return flat[offset]!;
      const stride = this.shape.slice(dim + 1).reduce((a, b) => a * b, 1);
      return Array.from({ length: this.shape[dim]! }, (_, i) => build(offset + i * stride, dim + 1));
    };
    return build(0, 0);
  }

  // ---- autograd ----

  get requiresGrad(): boolean { return native.requiresGrad(this.handle); }
  set requiresGrad(value: boolean) { native.setRequiresGrad(this.handle, value); }

  /** Set requiresGrad in place and return this tensor (PyTorch's `requires_grad_`). */
  requiresGrad_(value = true): this {
    native.setRequiresGrad(this.handle, value);
    return this;
  }

  get isLeaf(): boolean { return native.isLeaf(this.handle); }

  /** The accumulated gradient as a new handle (dispose it, or read it inside `tidy`), or null. */
  get grad(): Tensor | null {
    const handle = native.grad(this.handle);
    return handle === null ? null : new Tensor(handle);
  }

  set grad(value: Tensor | null) {
    const handle = value === null ? null : handleOf(value, 'grad');
    // PyTorch checks this too: a gradient of another shape or dtype would only fail later, in backward or a step.
    if (value !== null && (value.shape.join(',') !== this.shape.join(',') || value.dtype !== this.dtype || value.device !== this.device)) {
      throw invalidArgument('grad', `a tensor of this tensor's shape [${this.shape.join(', ')}], dtype ${this.dtype} and device ${this.device}`, described(`shape [${value.shape.join(', ')}], dtype ${value.dtype}, device ${value.device}`));
    }
    native.setGrad(this.handle, handle);
  }

  backward(gradient?: Tensor, options: { retainGraph?: boolean } = {}): void {
    native.backward(this.handle, gradient === undefined || gradient === null ? null : handleOf(gradient, 'gradient'), options.retainGraph ?? false);
  }

  detach(): Tensor { return wrap(call(OPS.detach, [this.handle])); }

  /** A second owner of the same tensor (same storage and autograd history), freed independently. */
  share(): Tensor { return new Tensor(native.share(this.handle)); }

  // ---- arithmetic: a Tensor or a number ----

  add(other: Tensor | number, alpha?: number): Tensor {
    return typeof other === 'number' ? wrap(call(OPS.addScalar, [this.handle, other, alpha])) : wrap(call(OPS.add, [this.handle, handleOf(other, 'other', true), alpha]));
  }
  sub(other: Tensor | number, alpha?: number): Tensor {
    return typeof other === 'number' ? wrap(call(OPS.subScalar, [this.handle, other, alpha])) : wrap(call(OPS.sub, [this.handle, handleOf(other, 'other', true), alpha]));
  }
  /** `other - this` for a number (PyTorch's rsub). */
  rsub(other: number): Tensor { return wrap(call(OPS.rsubScalar, [this.handle, other])); }
  mul(other: Tensor | number): Tensor {
    return typeof other === 'number' ? wrap(call(OPS.mulScalar, [this.handle, other])) : wrap(call(OPS.mul, [this.handle, handleOf(other, 'other', true)]));
  }
  div(other: Tensor | number): Tensor {
    return typeof other === 'number' ? wrap(call(OPS.divScalar, [this.handle, other])) : wrap(call(OPS.div, [this.handle, handleOf(other, 'other', true)]));
  }
  pow(exponent: Tensor | number): Tensor {
    return typeof exponent === 'number' ? wrap(call(OPS.powScalar, [this.handle, exponent])) : wrap(call(OPS.pow, [this.handle, handleOf(exponent, 'exponent', true)]));
  }
  maximum(other: Tensor): Tensor { return wrap(call(OPS.maximum, [this.handle, handleOf(other, 'other')])); }
  minimum(other: Tensor): Tensor { return wrap(call(OPS.minimum, [this.handle, handleOf(other, 'other')])); }
  neg(): Tensor { return wrap(call(OPS.neg, [this.handle])); }
  abs(): Tensor { return wrap(call(OPS.abs, [this.handle])); }
  exp(): Tensor { return wrap(call(OPS.exp, [this.handle])); }
  log(): Tensor { return wrap(call(OPS.log, [this.handle])); }
  log10(): Tensor { return wrap(call(OPS.log10, [this.handle])); }
  sqrt(): Tensor { return wrap(call(OPS.sqrt, [this.handle])); }
  rsqrt(): Tensor { return wrap(call(OPS.rsqrt, [this.handle])); }
  reciprocal(): Tensor { return wrap(call(OPS.reciprocal, [this.handle])); }
  square(): Tensor { return wrap(call(OPS.square, [this.handle])); }
  sign(): Tensor { return wrap(call(OPS.sign, [this.handle])); }
  floor(): Tensor { return wrap(call(OPS.floor, [this.handle])); }
  round(): Tensor { return wrap(call(OPS.round, [this.handle])); }
  clamp(min: number | null, max: number | null = null): Tensor { return wrap(call(OPS.clamp, [this.handle, min, max])); }
  clampMin(min: number): Tensor { return this.clamp(min, null); }
  clampMax(max: number): Tensor { return this.clamp(null, max); }

  // ---- in-place (return this tensor) ----

  add_(other: Tensor | number, alpha?: number): this {
    return typeof other === 'number' ? (wrap(call(OPS.addScalar_, [this.handle, other, alpha]), this) as this) : (wrap(call(OPS.add_, [this.handle, handleOf(other, 'other', true), alpha]), this) as this);
  }
  sub_(other: Tensor | number, alpha?: number): this {
    return typeof other === 'number' ? (wrap(call(OPS.subScalar_, [this.handle, other, alpha]), this) as this) : (wrap(call(OPS.sub_, [this.handle, handleOf(other, 'other', true), alpha]), this) as this);
  }
  mul_(other: Tensor | number): this {
    return typeof other === 'number' ? (wrap(call(OPS.mulScalar_, [this.handle, other]), this) as this) : (wrap(call(OPS.mul_, [this.handle, handleOf(other, 'other', true)]), this) as this);
  }
  div_(other: Tensor | number): this {
    return typeof other === 'number' ? (wrap(call(OPS.divScalar_, [this.handle, other]), this) as this) : (wrap(call(OPS.div_, [this.handle, handleOf(other, 'other', true)]), this) as this);
  }
  sqrt_(): this { return wrap(call(OPS.sqrt_, [this.handle]), this) as this; }
  relu_(): this { return wrap(call(OPS.relu_, [this.handle]), this) as this; }
  clamp_(min: number | null, max: number | null = null): this { return wrap(call(OPS.clamp_, [this.handle, min, max]), this) as this; }
  /** this += value * t1 * t2 */
  addcmul_(t1: Tensor, t2: Tensor, value = 1): this { return wrap(call(OPS.addcmul_, [this.handle, handleOf(t1, 't1'), handleOf(t2, 't2'), value]), this) as this; }
  /** this += value * t1 / t2 */
  addcdiv_(t1: Tensor, t2: Tensor, value = 1): this { return wrap(call(OPS.addcdiv_, [this.handle, handleOf(t1, 't1'), handleOf(t2, 't2'), value]), this) as this; }
  /** this += weight * (end - this) */
  lerp_(end: Tensor, weight: number): this { return wrap(call(OPS.lerp_, [this.handle, handleOf(end, 'end'), weight]), this) as this; }
  fill_(value: number): this { return wrap(call(OPS.fill_, [this.handle, value]), this) as this; }
  zero_(): this { return wrap(call(OPS.zero_, [this.handle]), this) as this; }
  copy_(source: Tensor): this { return wrap(call(OPS.copy_, [this.handle, handleOf(source, 'source')]), this) as this; }
  maskedFill_(mask: Tensor, value: number): this { return wrap(call(OPS.maskedFill_, [this.handle, handleOf(mask, 'mask'), value]), this) as this; }
  /** Fill with U(low, high), without recording gradients (like `torch.nn.init`). */
  uniform_(low = 0, high = 1): this { return noGrad(() => wrap(call(OPS.uniform_, [this.handle, low, high]), this) as this); }
  /** Fill with N(mean, std), without recording gradients. */
  normal_(mean = 0, std = 1): this { return noGrad(() => wrap(call(OPS.normal_, [this.handle, mean, std]), this) as this); }

  // ---- activations ----

  relu(): Tensor { return wrap(call(OPS.relu, [this.handle])); }
  leakyRelu(negativeSlope = 0.01): Tensor { return wrap(call(OPS.leakyRelu, [this.handle, negativeSlope])); }
  sigmoid(): Tensor { return wrap(call(OPS.sigmoid, [this.handle])); }
  tanh(): Tensor { return wrap(call(OPS.tanh, [this.handle])); }
  gelu(approximate: 'none' | 'tanh' = 'none'): Tensor { return wrap(call(OPS.gelu, [this.handle, approximate])); }
  softmax(dim: number): Tensor { return wrap(call(OPS.softmax, [this.handle, dim])); }
  logSoftmax(dim: number): Tensor { return wrap(call(OPS.logSoftmax, [this.handle, dim])); }

  // ---- linear algebra ----

  matmul(other: Tensor): Tensor { return wrap(call(OPS.matmul, [this.handle, handleOf(other, 'other')])); }
  mm(other: Tensor): Tensor { return wrap(call(OPS.mm, [this.handle, handleOf(other, 'other')])); }
  bmm(other: Tensor): Tensor { return wrap(call(OPS.bmm, [this.handle, handleOf(other, 'other')])); }

  // ---- reductions ----

  sum(dim?: Dims, keepdim = false): Tensor {
    return dim === undefined ? wrap(call(OPS.sumAll, [this.handle])) : wrap(call(OPS.sum, [this.handle, dim, keepdim]));
  }
  mean(dim?: Dims, keepdim = false): Tensor {
    return dim === undefined ? wrap(call(OPS.meanAll, [this.handle])) : wrap(call(OPS.mean, [this.handle, dim, keepdim]));
  }
  /** The largest element (no dim) or, with a dim, the largest values along it. See `maxDim` for indices too. */
  max(dim?: Dims, keepdim = false): Tensor {
    return dim === undefined ? wrap(call(OPS.maxAll, [this.handle])) : wrap(call(OPS.amax, [this.handle, dim, keepdim]));
  }
  min(dim?: Dims, keepdim = false): Tensor {
    return dim === undefined ? wrap(call(OPS.minAll, [this.handle])) : wrap(call(OPS.amin, [this.handle, dim, keepdim]));
  }
  maxDim(dim: number, keepdim = false): { values: Tensor; indices: Tensor } {
    const [values, indices] = call(OPS.maxDim, [this.handle, dim, keepdim]) as [Handle, Handle];
    return { values: new Tensor(values), indices: new Tensor(indices) };
  }
  minDim(dim: number, keepdim = false): { values: Tensor; indices: Tensor } {
    const [values, indices] = call(OPS.minDim, [this.handle, dim, keepdim]) as [Handle, Handle];
    return { values: new Tensor(values), indices: new Tensor(indices) };
  }
  argmax(dim?: number, keepdim = false): Tensor { return wrap(call(OPS.argmax, [this.handle, dim ?? null, keepdim])); }
  argmin(dim?: number, keepdim = false): Tensor { return wrap(call(OPS.argmin, [this.handle, dim ?? null, keepdim])); }
  /** Variance with Bessel's correction by default (`correction = 1`), like PyTorch. */
  var(dim?: Dims, options: { correction?: number; keepdim?: boolean } = {}): Tensor {
    return wrap(call(OPS.var, [this.handle, dim ?? null], { correction: options.correction ?? 1, keepdim: options.keepdim ?? false }));
  }
  std(dim?: Dims, options: { correction?: number; keepdim?: boolean } = {}): Tensor {
    return wrap(call(OPS.std, [this.handle, dim ?? null], { correction: options.correction ?? 1, keepdim: options.keepdim ?? false }));
  }
  /** The vector p-norm over `dim` (all elements when omitted). */
  norm(p = 2, dim?: Dims, keepdim = false): Tensor { return wrap(call(OPS.norm, [this.handle, p, dim ?? null, keepdim])); }
  logsumexp(dim: Dims, keepdim = false): Tensor { return wrap(call(OPS.logsumexp, [this.handle, dim, keepdim])); }
  topk(k: number, dim = -1, largest = true, sorted = true): { values: Tensor; indices: Tensor } {
    const [values, indices] = call(OPS.topk, [this.handle, k, dim, largest, sorted]) as [Handle, Handle];
    return { values: new Tensor(values), indices: new Tensor(indices) };
  }
  sort(dim = -1, descending = false): { values: Tensor; indices: Tensor } {
    const [values, indices] = call(OPS.sort, [this.handle, dim, descending]) as [Handle, Handle];
    return { values: new Tensor(values), indices: new Tensor(indices) };
  }
  cumsum(dim: number): Tensor { return wrap(call(OPS.cumsum, [this.handle, dim])); }

  // ---- comparisons and selection ----

  eq(other: Tensor | number): Tensor { return typeof other === 'number' ? wrap(call(OPS.eqScalar, [this.handle, other])) : wrap(call(OPS.eq, [this.handle, handleOf(other, 'other', true)])); }
  ne(other: Tensor | number): Tensor { return typeof other === 'number' ? wrap(call(OPS.neScalar, [this.handle, other])) : wrap(call(OPS.ne, [this.handle, handleOf(other, 'other', true)])); }
  gt(other: Tensor | number): Tensor { return typeof other === 'number' ? wrap(call(OPS.gtScalar, [this.handle, other])) : wrap(call(OPS.gt, [this.handle, handleOf(other, 'other', true)])); }
  ge(other: Tensor | number): Tensor { return typeof other === 'number' ? wrap(call(OPS.geScalar, [this.handle, other])) : wrap(call(OPS.ge, [this.handle, handleOf(other, 'other', true)])); }
  lt(other: Tensor | number): Tensor { return typeof other === 'number' ? wrap(call(OPS.ltScalar, [this.handle, other])) : wrap(call(OPS.lt, [this.handle, handleOf(other, 'other', true)])); }
  le(other: Tensor | number): Tensor { return typeof other === 'number' ? wrap(call(OPS.leScalar, [this.handle, other])) : wrap(call(OPS.le, [this.handle, handleOf(other, 'other', true)])); }
  logicalNot(): Tensor { return wrap(call(OPS.logicalNot, [this.handle])); }
  logicalAnd(other: Tensor): Tensor { return wrap(call(OPS.logicalAnd, [this.handle, handleOf(other, 'other')])); }
  logicalOr(other: Tensor): Tensor { return wrap(call(OPS.logicalOr, [this.handle, handleOf(other, 'other')])); }
  /** Elements of this where `condition`, else of `other`. */
  where(condition: Tensor, other: Tensor): Tensor { return wrap(call(OPS.where, [handleOf(condition, 'condition'), this.handle, handleOf(other, 'other')])); }
  maskedFill(mask: Tensor, value: number): Tensor { return wrap(call(OPS.maskedFill, [this.handle, handleOf(mask, 'mask'), value])); }

  // ---- shape ----

  // Sizes and dims go spread or as one array, as in PyTorch: x.reshape(2, 3) or x.reshape([2, 3]).
  reshape(...shape: Sizes): Tensor { return wrap(call(OPS.reshape, [this.handle, sizesFrom('reshape', 'shape', shape)])); }
  view(...shape: Sizes): Tensor { return wrap(call(OPS.view, [this.handle, sizesFrom('view', 'shape', shape)])); }
  flatten(startDim = 0, endDim = -1): Tensor { return wrap(call(OPS.flatten, [this.handle, startDim, endDim])); }
  unsqueeze(dim: number): Tensor { return wrap(call(OPS.unsqueeze, [this.handle, dim])); }
  squeeze(dim?: number): Tensor { return dim === undefined ? wrap(call(OPS.squeezeAll, [this.handle])) : wrap(call(OPS.squeeze, [this.handle, dim])); }
  permute(...dims: Sizes): Tensor { return wrap(call(OPS.permute, [this.handle, sizesFrom('permute', 'dims', dims)])); }
  transpose(dim0: number, dim1: number): Tensor { return wrap(call(OPS.transpose, [this.handle, dim0, dim1])); }
  /** Transpose of a 2-D tensor. */
  t(): Tensor { return this.transpose(0, 1); }
  expand(...shape: Sizes): Tensor { return wrap(call(OPS.expand, [this.handle, sizesFrom('expand', 'shape', shape)])); }
  expandAs(other: Tensor): Tensor { return this.expand(...other.shape); }
  repeat(...repeats: Sizes): Tensor { return wrap(call(OPS.repeat, [this.handle, sizesFrom('repeat', 'repeats', repeats)])); }
  flip(...dims: Sizes): Tensor { return wrap(call(OPS.flip, [this.handle, sizesFrom('flip', 'dims', dims)])); }
  /** memoryFormat: 0 contiguous, 2 channels-last (4-D), 3 channels-last-3d (5-D). */
  contiguous(memoryFormat = 0): Tensor { return wrap(call(OPS.contiguous, [this.handle, memoryFormat])); }
  /** Elements between neighbours along `dim` in memory (channels-last tensors have stride 1 in dim 1). */
  stride(dim: number): number { return call(OPS.stride, [this.handle, dim]) as number; }
  narrow(dim: number, start: number, length: number): Tensor { return wrap(call(OPS.narrow, [this.handle, dim, start, length])); }
  select(dim: number, index: number): Tensor { return wrap(call(OPS.select, [this.handle, dim, index])); }
  /** Elements start..end (exclusive) with a step along `dim`, like `x[..., start:end:step]`. */
  slice(dim: number, start: number | null = null, end: number | null = null, step = 1): Tensor {
    return wrap(call(OPS.slice, [this.handle, dim, start, end, step]));
  }
  indexSelect(dim: number, index: Tensor): Tensor { return wrap(call(OPS.indexSelect, [this.handle, dim, handleOf(index, 'index')])); }
  gather(dim: number, index: Tensor): Tensor { return wrap(call(OPS.gather, [this.handle, dim, handleOf(index, 'index')])); }
  /** Advanced indexing `x[i0, i1, ...]` with index tensors (null for a full slice). */
  index(indices: readonly (Tensor | null)[]): Tensor { return wrap(call(OPS.index, [this.handle, handlesOf(indices, 'indices', true)])); }
  split(splitSize: number, dim = 0): Tensor[] { return (call(OPS.split, [this.handle, splitSize, dim]) as Handle[]).map((h) => new Tensor(h)); }
  chunk(chunks: number, dim = 0): Tensor[] { return (call(OPS.chunk, [this.handle, chunks, dim]) as Handle[]).map((h) => new Tensor(h)); }

  // ---- copies and conversions ----

  clone(): Tensor { return wrap(call(OPS.clone, [this.handle])); }
  /** Convert to a dtype or move to a device (a new tensor, or the same data when nothing changes). */
  to(target: DType | Device | { dtype?: DType; device?: Device }): Tensor {
    if (typeof target === 'string') {
      if (DTYPES.includes(target as DType)) return wrap(call(OPS.toDtype, [this.handle, dtypeCode(target as DType)]));
      if (target === 'cpu' || target.startsWith('cuda')) return wrap(call(OPS.toDevice, [this.handle, checkDevice('device', target), this.dtypeCodeOf()]));
    }
    if (typeof target !== 'object' || target === null) {
      throw invalidArgument('to(target)', `a dtype (${DTYPES.join(', ')}), a device ('cpu', 'cuda', 'cuda:N') or { dtype, device }`, target);
    }
    const moved = target.device ? this.to(target.device) : this.share();
    if (!target.dtype) return moved;
    const converted = moved.to(target.dtype);
    if (converted !== moved) moved.dispose();
    return converted;
  }
  float(): Tensor { return this.to('float32'); }
  long(): Tensor { return this.to('int64'); }

  private dtypeCodeOf(): number { return dtypeCode(this.dtype); }

  // ---- joining (static) ----

  static cat(tensors: readonly Tensor[], dim = 0): Tensor { return wrap(call(OPS.cat, [handlesOf(tensors, 'tensors'), dim])); }
  static stack(tensors: readonly Tensor[], dim = 0): Tensor { return wrap(call(OPS.stack, [handlesOf(tensors, 'tensors'), dim])); }
}
