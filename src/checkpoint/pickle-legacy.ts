/**
 * The format `torch.save` wrote before PyTorch 1.6 (and still writes with
 * `_use_new_zipfile_serialization=False`): five things in a row —
 * a pickled magic number, the pickled protocol version (1001), a pickled dict of system information,
 * the pickled object itself, a pickled list of storage keys — then each storage listed, as its element
 * count (little-endian int64) followed by its raw bytes.
 */
import { badFile } from '../errors.js';
import { unpickle } from './pickle.js';
import { ELEMENT_SIZES, StorageRef, storageFromId, torchGlobal } from './pickle-torch.js';

const MAGIC = 0x1950a86a20f9469cfc6cn;
const PROTOCOL_VERSION = 1001;
const RESAVE = 'Load it in PyTorch and save it again with torch.save(obj, path) (PyTorch ≥ 1.6 writes the zip format).';

/** Whether bytes start a pickle whose first value is torch.save's magic number. */
export function looksLikeLegacyTorch(bytes: Uint8Array, path: string): boolean {
  if (bytes[0] !== 0x80) return false;
  try {
    return unpickle(bytes, { path, findGlobal: () => { throw new Error('not the magic number'); } }).value === MAGIC;
  } catch {
    return false;
  }
}

/** The unpickled object and the bytes of each storage it refers to. */
export function readLegacyTorch(bytes: Uint8Array, path: string): { value: unknown; storages: Map<string, Uint8Array> } {
  const findGlobal = (module: string, name: string) => torchGlobal(path, module, name);
  const next = (start: number, persistentLoad?: (id: unknown) => unknown) => unpickle(bytes, { path, start, findGlobal, persistentLoad });

  const magic = next(0);
  const protocol = next(magic.end);
  if (magic.value !== MAGIC || protocol.value !== PROTOCOL_VERSION) {
    throw badFile(path, `is a pickle but not one written by torch.save (expected magic number ${MAGIC} and protocol ${PROTOCOL_VERSION})`, RESAVE);
  }
  const system = next(protocol.end);
  if (system.value instanceof Map && system.value.get('little_endian') === false) {
    throw badFile(path, 'was written on a big-endian machine, which Normality does not read', RESAVE);
  }
  const referenced = new Map<string, StorageRef>();
  const object = next(system.end, (id) => {
    const storage = storageFromId(path, id);
    referenced.set(storage.key, storage);
    return storage;
  });
  const keys = next(object.end);
  if (!Array.isArray(keys.value) || !keys.value.every((k) => typeof k === 'string')) {
    throw badFile(path, 'lacks the list of storage keys that follows the pickled object', RESAVE);
  }

  const storages = new Map<string, Uint8Array>();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = keys.end;
  for (const key of keys.value as string[]) {
    const storage = referenced.get(key);
    if (storage === undefined) throw badFile(path, `lists storage '${key}', which its pickle never refers to`, RESAVE);
    if (pos + 8 > bytes.length) throw badFile(path, `is truncated: it ends before storage '${key}'`, RESAVE);
    const numel = Number(view.getBigInt64(pos, true));
    const length = numel * ELEMENT_SIZES[storage.dtype];
    if (numel < storage.numel || pos + 8 + length > bytes.length) {
      throw badFile(path, `is truncated: storage '${key}' needs ${storage.numel} elements of ${storage.dtype} but the file ends first`, RESAVE);
    }
    storages.set(key, bytes.subarray(pos + 8, pos + 8 + length));
    pos += 8 + length;
  }
  return { value: object.value, storages };
}
