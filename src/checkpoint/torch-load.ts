/**
 * Reading the tensors of PyTorch checkpoints written by `torch.save`, with a pickle reader of our own
 * that builds only containers, tensors and inert attribute holders (see pickle-torch.ts for what it
 * allows): a checkpoint from an untrusted source cannot run code. Nested dicts, lists and tuples are
 * flattened to dotted keys, so `torch.save(model.state_dict())` gives `encoder.0.weight` and
 * `{'model': state_dict}` gives `model.encoder.0.weight`; a whole model, `torch.save(model)`, gives its
 * state_dict()'s keys; numbers, strings, None and other objects are dropped.
 *
 * - Every tensor comes back on the CPU, contiguous and owning its memory, whatever its saved location
 *   ('cuda:0' included), strides or sharing: views of one storage become independent tensors.
 * - Tensors come back without requiresGrad, Parameters included.
 * - A tensor saved on its own comes back under the key ''.
 * - Both the zip format (PyTorch ≥ 1.6) and the older pickle-stream format are read.
 */
import { closeSync, existsSync, openSync, readFileSync, readSync } from 'node:fs';
import { native } from '../native/binding.js';
import { badFile, fileNotFound } from '../errors.js';
import { dtypeCode, type DType } from '../tensor/dtype.js';
import { tidy } from '../tensor/memory.js';
import { op } from '../tensor/op.js';
import { Tensor } from '../tensor/tensor.js';
import { unpickle } from './pickle.js';
import { looksLikeLegacyTorch, readLegacyTorch } from './pickle-legacy.js';
import { ELEMENT_SIZES, TensorRef, storageFromId, torchGlobal } from './pickle-torch.js';
import { flattenTensors } from './pickle-flatten.js';
import { looksLikeZip, ZipFile } from './torch-zip.js';
import { fileKind } from './file-kind.js';

const SAVE_AGAIN = 'Save plain state dicts with torch.save(model.state_dict(), path).';
/** Overlapping views (expanded tensors) may be larger than their storage, but not beyond this. */
const MAX_EXPANDED_BYTES = 2 ** 30;

/** Load the tensors of a `torch.save` file as a flat Map of dotted names (new tensors, owned by the caller). */
export function loadTorch(path: string): Map<string, Tensor> {
  if (!existsSync(path)) throw fileNotFound(path, 'PyTorch checkpoint');
  const head = readHead(path);
  if (looksLikeZip(head)) return loadZip(path);
  if (head[0] === 0x80) {
    const bytes = readFileSync(path);
    if (!looksLikeLegacyTorch(bytes, path)) {
      throw badFile(path, 'is a Python pickle but not a torch.save file (it lacks torch.save\'s magic number)', SAVE_AGAIN);
    }
    const { value, storages } = readLegacyTorch(bytes, path);
    return materialise(path, flattenTensors(path, value), (key) => {
      const bytes = storages.get(key);
      if (bytes === undefined) throw badFile(path, `refers to tensor storage '${key}', which the file does not hold`, SAVE_AGAIN);
      return bytes;
    });
  }
  const shown = [...head.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  const seems = fileKind(head);
  throw badFile(path, 'is not a PyTorch checkpoint: torch.save writes a zip archive (starting with bytes 50 4b 03 04), or before PyTorch 1.6 a pickle ' +
    `(starting with 80), but it starts with ${shown ? `${shown}${seems ? ` (${seems.description})` : ''}` : 'nothing (the file is empty)'}`,
    // Both a state dict and a whole model load (MNAD's authors save the whole model).
    'Pass the file that torch.save wrote: a state dict, torch.save(model.state_dict(), path), or a whole model, torch.save(model, path).');
}

/** The file's first bytes: enough to tell its format (a safetensors header, for fileKind, included). */
function readHead(path: string): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(64 * 1024);
    return head.subarray(0, readSync(fd, head, 0, head.length, 0));
  } finally {
    closeSync(fd);
  }
}

function loadZip(path: string): Map<string, Tensor> {
  const zip = ZipFile.open(path);
  try {
    const names = [...zip.entries.keys()];
    const pickle = names.find((name) => /^[^/]+\/data\.pkl$/.test(name));
    if (pickle === undefined) throw badFile(path, 'is a zip archive but not a torch.save file (it has no <name>/data.pkl entry)', SAVE_AGAIN);
    const prefix = pickle.slice(0, -'data.pkl'.length);
    if (zip.entries.has(`${prefix}constants.pkl`) || names.some((name) => name.startsWith(`${prefix}code/`))) {
      throw badFile(path, 'is a TorchScript archive (written by torch.jit.save), not a torch.save checkpoint',
        'In Python, load it with torch.jit.load(path) and save its weights with torch.save(model.state_dict(), path).');
    }
    if (zip.entries.has(`${prefix}byteorder`) && Buffer.from(zip.read(`${prefix}byteorder`)).toString() !== 'little') {
      throw badFile(path, 'was written on a big-endian machine, which Normality does not read', SAVE_AGAIN);
    }
    const { value } = unpickle(zip.read(pickle), {
      path,
      findGlobal: (module, name) => torchGlobal(path, module, name),
      persistentLoad: (id) => storageFromId(path, id),
    });
    return materialise(path, flattenTensors(path, value), (key) => {
      const name = `${prefix}data/${key}`;
      if (!zip.entries.has(name)) throw badFile(path, `refers to tensor storage '${name}', which the archive lacks`, SAVE_AGAIN);
      return zip.read(name);
    });
  } finally {
    zip.close();
  }
}

const asStrided = op('aten::as_strided');
const clone = op('aten::clone');
const CONTIGUOUS_FORMAT = 0;

/**
 * Native tensors for the references, reading each storage once and letting go of it after its last
 * tensor. A contiguous tensor is copied straight from its slice of the storage; others go through a
 * storage tensor, `as_strided` and a contiguous clone.
 */
function materialise(path: string, refs: Map<string, TensorRef>, storageBytes: (key: string) => Uint8Array): Map<string, Tensor> {
  const remaining = new Map<string, number>();
  for (const ref of refs.values()) remaining.set(ref.storage.key, (remaining.get(ref.storage.key) ?? 0) + 1);
  const bytesOf = new Map<string, Uint8Array>();
  const tensorOf = new Map<string, Map<DType, Tensor>>();
  return tidy(() => {
    const tensors = new Map<string, Tensor>();
    for (const [name, ref] of refs) {
      const { key, dtype, numel } = ref.storage;
      const size = ELEMENT_SIZES[dtype];
      let bytes = bytesOf.get(key);
      if (bytes === undefined) {
        bytes = storageBytes(key);
        if (bytes.length < numel * size) {
          throw badFile(path, `holds storage '${key}' of ${bytes.length} bytes where ${numel} elements of ${dtype} need ${numel * size}`, SAVE_AGAIN);
        }
        bytesOf.set(key, bytes);
      }
      if (ref.numel * size > Math.max(numel * size, MAX_EXPANDED_BYTES)) {
        throw badFile(path, `expands storage '${key}' of ${numel} elements to a tensor of size [${ref.size.join(', ')}], too large to load`, SAVE_AGAIN);
      }
      if (ref.isContiguous) {
        const data = bytes.subarray(ref.offset * size, (ref.offset + ref.numel) * size);
        tensors.set(name, new Tensor(native.fromBuffer(data, ref.size, dtypeCode(dtype))));
      } else {
        const byDtype = tensorOf.get(key) ?? new Map<DType, Tensor>();
        tensorOf.set(key, byDtype);
        let storage = byDtype.get(dtype);
        if (storage === undefined) {
          storage = new Tensor(native.fromBuffer(bytes.subarray(0, numel * size), [numel], dtypeCode(dtype)));
          byDtype.set(dtype, storage);
        }
        const view = new Tensor(asStrided.call([storage.handle, ref.size, ref.stride, ref.offset]) as number);
        tensors.set(name, new Tensor(clone.call([view.handle, CONTIGUOUS_FORMAT]) as number));
        view.dispose();
      }
      const left = remaining.get(key)! - 1;
      remaining.set(key, left);
      if (left === 0) {
        bytesOf.delete(key);
        for (const t of tensorOf.get(key)?.values() ?? []) t.dispose();
        tensorOf.delete(key);
      }
    }
    return tensors;
  });
}
