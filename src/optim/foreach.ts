/**
 * PyTorch's `_foreach_` ops: one native call updates a whole list of tensors, so an optimizer step costs a
 * handful of calls whatever the number of parameters (libtorch loops over the list on the CPU and fuses the
 * list into a few kernels on CUDA). Each list op does exactly what the single-tensor op does to each
 * element, so results match PyTorch's single-tensor optimizers bit for bit on the CPU. Lists must be
 * non-empty. Ops without `_` return new tensors that the caller owns (or the enclosing `tidy`).
 */
import type { Handle } from '../native/binding.js';
import { op } from '../tensor/op.js';
import { Tensor } from '../tensor/tensor.js';

const OPS = {
  add: op('aten::_foreach_add.List'), add_: op('aten::_foreach_add_.List'), addScalar_: op('aten::_foreach_add_.Scalar'),
  mul_: op('aten::_foreach_mul_.Scalar'), div_: op('aten::_foreach_div_.Scalar'), neg: op('aten::_foreach_neg'),
  sqrt: op('aten::_foreach_sqrt'), maximum_: op('aten::_foreach_maximum_.List'),
  addcmul_: op('aten::_foreach_addcmul_.Scalar'), addcdiv_: op('aten::_foreach_addcdiv_.Scalar'),
} as const;

const handles = (list: readonly Tensor[]): Handle[] => list.map((t) => t.handle);
const tensors = (raw: unknown): Tensor[] => (raw as Handle[]).map((handle) => new Tensor(handle));

/** self[i] + alpha * other[i], new tensors. */
export const add = (self: readonly Tensor[], other: readonly Tensor[], alpha: number): Tensor[] =>
  tensors(OPS.add.call([handles(self), handles(other), alpha]));

/** self[i] += alpha * other[i] */
export function add_(self: readonly Tensor[], other: readonly Tensor[], alpha: number): void {
  OPS.add_.call([handles(self), handles(other), alpha]);
}

/** self[i] += value */
export function addScalar_(self: readonly Tensor[], value: number): void {
  OPS.addScalar_.call([handles(self), value]);
}

/** self[i] *= value */
export function mul_(self: readonly Tensor[], value: number): void {
  OPS.mul_.call([handles(self), value]);
}

/** self[i] /= value */
export function div_(self: readonly Tensor[], value: number): void {
  OPS.div_.call([handles(self), value]);
}

/** -self[i], new tensors. */
export const neg = (self: readonly Tensor[]): Tensor[] => tensors(OPS.neg.call([handles(self)]));

/** √self[i], new tensors. */
export const sqrt = (self: readonly Tensor[]): Tensor[] => tensors(OPS.sqrt.call([handles(self)]));

/** self[i] = max(self[i], other[i]) */
export function maximum_(self: readonly Tensor[], other: readonly Tensor[]): void {
  OPS.maximum_.call([handles(self), handles(other)]);
}

/** self[i] += value * t1[i] * t2[i] */
export function addcmul_(self: readonly Tensor[], t1: readonly Tensor[], t2: readonly Tensor[], value: number): void {
  OPS.addcmul_.call([handles(self), handles(t1), handles(t2), value]);
}

/** self[i] += value * t1[i] / t2[i] */
export function addcdiv_(self: readonly Tensor[], t1: readonly Tensor[], t2: readonly Tensor[], value: number): void {
  OPS.addcdiv_.call([handles(self), handles(t1), handles(t2), value]);
}
