/**
 * Reading PyTorch checkpoints written by `torch.save`, through libtorch's own unpickler (which builds
 * only tensors and containers: it cannot run arbitrary pickled code). Nested dicts and lists are
 * flattened to dotted keys, so `torch.save(model.state_dict())` and `{'model': state_dict}` both load.
 */
import { existsSync, readFileSync } from 'node:fs';
import { native } from '../native/binding.js';
import { Tensor } from '../tensor/tensor.js';
import { badFile, fileNotFound } from '../errors.js';

type Unpickled = null | number | boolean | string | { tensor: number } | Unpickled[] | Map<unknown, Unpickled>;

function isTensor(value: unknown): value is { tensor: number } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Map) && 'tensor' in value;
}

function flatten(value: Unpickled, prefix: string, into: Map<string, Tensor>): void {
  const key = (name: unknown) => (prefix === '' ? String(name) : `${prefix}.${String(name)}`);
  if (isTensor(value)) into.set(prefix, new Tensor(value.tensor));
  else if (value instanceof Map) for (const [name, item] of value) flatten(item, key(name), into);
  else if (Array.isArray(value)) value.forEach((item, i) => flatten(item, key(i), into));
  // numbers, strings and None carry no tensors: a state dict's metadata is dropped.
}

/** Load the tensors of a `torch.save` file as a flat Map of dotted names (new tensors, owned by the caller). */
export function loadTorch(path: string): Map<string, Tensor> {
  if (!existsSync(path)) throw fileNotFound(path, 'PyTorch checkpoint');
  let value: Unpickled;
  try {
    value = native.pickleLoad(readFileSync(path)) as Unpickled;
  } catch (cause) {
    throw badFile(path, `is not a PyTorch checkpoint that libtorch can read (${(cause as Error).message})`,
      'Save plain state dicts with torch.save(model.state_dict(), path).');
  }
  const tensors = new Map<string, Tensor>();
  flatten(value, '', tensors);
  return tensors;
}
