/** Tensors to and from safetensors files. */
import { Tensor, type Device } from '../tensor/tensor.js';
import { native } from '../native/binding.js';
import { dtypeCode, type DType } from '../tensor/dtype.js';
import { invalidArgument } from '../errors.js';
import { loadSafetensors, saveSafetensors, type RawTensor, type SafeDtype } from './safetensors.js';

const toSafe: Record<DType, SafeDtype> = {
  float64: 'F64', float32: 'F32', float16: 'F16', bfloat16: 'BF16', int64: 'I64', int32: 'I32', int16: 'I16', int8: 'I8', uint8: 'U8', bool: 'BOOL',
};
const fromSafe = Object.fromEntries(Object.entries(toSafe).map(([k, v]) => [v, k])) as Record<SafeDtype, DType>;

/** The bytes of a tensor as stored in a file (a copy, moved to the CPU). */
export function toRaw(t: Tensor): RawTensor {
  const view: ArrayBufferView = t.data(t.dtype);
  return { dtype: toSafe[t.dtype], shape: [...t.shape], data: new Uint8Array(view.buffer, view.byteOffset, view.byteLength) };
}

export function fromRaw(raw: RawTensor, device?: Device): Tensor {
  // The native side copies byte-wise, so unaligned views into a file buffer are fine.
  return new Tensor(native.fromBuffer(raw.data, raw.shape, dtypeCode(fromSafe[raw.dtype]), device));
}

export type TensorMap = Map<string, Tensor> | Record<string, Tensor>;

/** Save named tensors with string metadata, atomically. */
export function saveTensors(path: string, tensors: TensorMap, metadata?: Record<string, string>): void {
  const entries = tensors instanceof Map ? [...tensors] : Object.entries(tensors);
  const raw = new Map<string, RawTensor>();
  for (const [name, t] of entries) {
    if (!(t instanceof Tensor)) throw invalidArgument(`tensors['${name}']`, 'a Tensor', t);
    raw.set(name, toRaw(t));
  }
  saveSafetensors(path, raw, metadata);
}

/** Load every tensor of a safetensors file (new tensors, owned by the caller). */
export function loadTensors(path: string, options: { device?: Device } = {}): { tensors: Map<string, Tensor>; metadata: Record<string, string> } {
  const contents = loadSafetensors(path);
  const tensors = new Map<string, Tensor>();
  for (const [name, raw] of contents.tensors) tensors.set(name, fromRaw(raw, options.device));
  return { tensors, metadata: contents.metadata };
}
