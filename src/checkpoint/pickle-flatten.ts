/**
 * The tensors in an unpickled checkpoint, by dotted key: dicts and lists are walked (`model.encoder.0.weight`),
 * and a whole nn.Module (`torch.save(model)`) gives the keys of its state_dict(): its parameters and persistent
 * buffers, then its submodules'. Everything else carries no tensors and is dropped. Guarded against pickles that
 * nest too deeply, contain themselves, or share containers so often that walking them would never end.
 */
import { badFile } from '../errors.js';
import { PickleObject } from './pickle.js';
import { TensorRef } from './pickle-torch.js';

const MAX_DEPTH = 256;
const MAX_VISITS = 1 << 24;
const RESAVE = 'Save plain state dicts with torch.save(model.state_dict(), path).';

/** A dict key as text: Python's str() for the keys checkpoints use (strings, numbers, tuples of them). */
function keyText(path: string, key: unknown): string {
  if (typeof key === 'string' || typeof key === 'number' || typeof key === 'bigint') return String(key);
  if (typeof key === 'boolean') return key ? 'True' : 'False';
  if (key === null) return 'None';
  if (Array.isArray(key) && key.every((part) => typeof part !== 'object' || part === null)) return `(${key.map((part) => keyText(path, part)).join(', ')})`;
  throw badFile(path, 'holds a dict whose key is not a string, a number or a tuple of them', RESAVE);
}

export function flattenTensors(path: string, root: unknown): Map<string, TensorRef> {
  const found = new Map<string, TensorRef>();
  const open = new Set<unknown>();
  let visits = 0;
  const visit = (value: unknown, prefix: string, depth: number): void => {
    if (++visits > MAX_VISITS) throw badFile(path, `holds more than ${MAX_VISITS} values once shared containers are expanded`, RESAVE);
    if (value instanceof TensorRef) {
      if (found.has(prefix)) throw badFile(path, `holds two tensors under the key '${prefix}'`, 'Give them distinct names before saving.');
      found.set(prefix, value);
      return;
    }
    const module = value instanceof PickleObject ? moduleParts(value) : undefined;
    if (!(value instanceof Map) && !Array.isArray(value) && module === undefined) return;
    if (depth >= MAX_DEPTH) throw badFile(path, `nests containers more than ${MAX_DEPTH} deep`, RESAVE);
    if (open.has(value)) throw badFile(path, `holds a container that contains itself (at '${prefix}')`, RESAVE);
    open.add(value);
    const key = (name: string) => (prefix === '' ? name : `${prefix}.${name}`);
    if (module !== undefined) for (const [name, item] of module) visit(item, key(name), depth + 1);
    else if (value instanceof Map) for (const [name, item] of value) visit(item, key(keyText(path, name)), depth + 1);
    else if (Array.isArray(value)) value.forEach((item, i) => visit(item, key(String(i)), depth + 1));
    open.delete(value);
  };
  visit(root, '', 0);
  return found;
}

/**
 * What an nn.Module's state_dict() holds, in its order: `_parameters`, then `_buffers` less the names in
 * `_non_persistent_buffers_set`, then each of `_modules` (None entries, unset optional parameters, are left
 * out). Undefined for an object that is not a module.
 */
function moduleParts(object: PickleObject): [string, unknown][] | undefined {
  const state = object.state;
  if (!(state instanceof Map)) return undefined;
  const parameters = state.get('_parameters');
  const buffers = state.get('_buffers');
  const modules = state.get('_modules');
  if (!(parameters instanceof Map) || !(buffers instanceof Map) || !(modules instanceof Map)) return undefined;
  const transient = state.get('_non_persistent_buffers_set');
  const skipped = new Set(Array.isArray(transient) ? transient : []);
  const parts: [string, unknown][] = [];
  for (const [name, value] of parameters) if (value !== null) parts.push([String(name), value]);
  for (const [name, value] of buffers) if (value !== null && !skipped.has(name)) parts.push([String(name), value]);
  for (const [name, value] of modules) if (value !== null) parts.push([String(name), value]);
  return parts;
}
