/**
 * The Python globals a `torch.save` file may refer to, and what they stand for here: containers
 * (pickle-builtins.ts), tensors and their storages. Any other global is a `PickleClass`: objects of it are
 * inert attribute holders (a whole nn.Module saved with torch.save(model), an argparse namespace), and a call
 * of it (numpy's array rebuilder, say) is refused by name, since unpickling it in Python would run its code.
 * Tensors come back as `TensorRef`s: descriptions of where their data lies, made into native tensors
 * only once the whole pickle has been read (so a bad file leaves nothing to free).
 */
import { badFile } from '../errors.js';
import type { DType } from '../tensor/dtype.js';
import { PickleClass, PickleFunction } from './pickle.js';
import { builtinGlobal } from './pickle-builtins.js';

const STORAGE_DTYPES: Record<string, DType> = {
  FloatStorage: 'float32', DoubleStorage: 'float64', HalfStorage: 'float16', BFloat16Storage: 'bfloat16',
  LongStorage: 'int64', IntStorage: 'int32', ShortStorage: 'int16', CharStorage: 'int8', ByteStorage: 'uint8', BoolStorage: 'bool',
};

export const ELEMENT_SIZES: Record<DType, number> = {
  float32: 4, float64: 8, float16: 2, bfloat16: 2, int64: 8, int32: 4, int16: 2, int8: 1, uint8: 1, bool: 1,
};

/** What `torch.FloatStorage` and its siblings stand for: the dtype of a storage. */
export class StorageType {
  constructor(readonly name: string, readonly dtype: DType) {}
}

/** A storage named by a persistent id: `key` finds its bytes (`data/<key>` in the zip), `numel` counts elements. */
export class StorageRef {
  constructor(readonly key: string, readonly dtype: DType, readonly numel: number) {}
}

/** A tensor as `_rebuild_tensor_v2` describes it: a strided window on a storage, in elements. */
export class TensorRef {
  constructor(readonly storage: StorageRef, readonly offset: number, readonly size: number[], readonly stride: number[]) {}

  get numel(): number {
    return this.size.reduce((a, b) => a * b, 1);
  }

  /** Row-major with no gaps (dimensions of size 1 may have any stride). */
  get isContiguous(): boolean {
    let expected = 1;
    for (let d = this.size.length - 1; d >= 0; d--) {
      if (this.size[d] !== 1 && this.stride[d] !== expected) return false;
      expected *= this.size[d]!;
    }
    return true;
  }
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isCounts = (v: unknown): v is number[] => Array.isArray(v) && v.every(isCount);

function rebuildTensor(path: string, args: unknown[]): TensorRef {
  const [storage, offset, size, stride] = args;
  if (!(storage instanceof StorageRef) || !isCount(offset) || !isCounts(size) || !isCounts(stride) || size.length !== stride.length) {
    throw badFile(path, 'holds a tensor whose storage, offset, size or stride is malformed', 'Save the file again with torch.save.');
  }
  const ref = new TensorRef(storage, offset, size, stride);
  const last = offset + size.reduce((sum, n, d) => sum + (n - 1) * stride[d]!, 0);
  if (ref.numel > 0 && last >= storage.numel) {
    throw badFile(path, `holds a tensor of size [${size.join(', ')}] that reaches element ${last} of storage '${storage.key}', which has ${storage.numel}`,
      'Save the file again with torch.save.');
  }
  return ref;
}

/** `(data, requires_grad, backward_hooks[, state])` → the data: loaded tensors carry no autograd state. */
function rebuildParameter(path: string, args: unknown[]): TensorRef {
  if (!(args[0] instanceof TensorRef)) throw badFile(path, 'holds a Parameter whose data is not a tensor', 'Save the file again with torch.save.');
  return args[0];
}

/** The stand-in for the Python global `module.name`. */
export function torchGlobal(path: string, module: string, name: string): unknown {
  const builtin = builtinGlobal(path, module, name);
  if (builtin !== undefined) return builtin;
  const qualified = `${module}.${name}`;
  switch (qualified) {
    case 'torch._utils._rebuild_tensor_v2': return new PickleFunction(qualified, (args) => rebuildTensor(path, args));
    case 'torch._utils._rebuild_parameter':
    case 'torch._utils._rebuild_parameter_with_state': return new PickleFunction(qualified, (args) => rebuildParameter(path, args));
    case 'torch.Size': return new PickleFunction(qualified, (args) => (Array.isArray(args[0]) ? [...args[0]] : []));
  }
  if (module === 'torch' && name.endsWith('Storage')) {
    if (Object.hasOwn(STORAGE_DTYPES, name)) return new StorageType(name, STORAGE_DTYPES[name]!);
    throw badFile(path, `holds a tensor stored as torch.${name}, a type Normality does not support`,
      `Convert such tensors to one of ${Object.values(STORAGE_DTYPES).join(', ')} before saving.`);
  }
  return new PickleClass(qualified, () => badFile(path, `refers to Python object '${qualified}', which Normality does not unpickle for safety`,
    'Save only tensors and containers of them (dicts, lists, tuples, numbers, strings), e.g. torch.save(model.state_dict(), path); turn numpy arrays into tensors with torch.from_numpy.'));
}

/** Resolves `('storage', storage_type, key, location, numel[, view_metadata])`; the location (e.g. 'cuda:0') is ignored. */
export function storageFromId(path: string, id: unknown): StorageRef {
  const [kind, type, key, , numel, view] = Array.isArray(id) ? id : [];
  if (kind !== 'storage' || !(type instanceof StorageType) || typeof key !== 'string' || !isCount(numel)) {
    throw badFile(path, 'refers to a tensor storage with a malformed persistent id', 'Save the file again with torch.save.');
  }
  if (view !== undefined && view !== null) {
    throw badFile(path, 'uses storage views, written only by PyTorch before 0.4', 'Load it in a current PyTorch and save it again with torch.save.');
  }
  return new StorageRef(key, type.dtype, numel);
}
