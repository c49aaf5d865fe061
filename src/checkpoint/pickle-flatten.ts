/**
 * The tensors in an unpickled checkpoint, by dotted key: dicts and lists are walked (`model.encoder.0.weight`),
 * everything else carries no tensors and is dropped. Guarded against pickles that nest too deeply,
 * contain themselves, or share containers so often that walking them would never end.
 */
import { badFile } from '../errors.js';
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
    if (!(value instanceof Map) && !Array.isArray(value)) return;
    if (depth >= MAX_DEPTH) throw badFile(path, `nests containers more than ${MAX_DEPTH} deep`, RESAVE);
    if (open.has(value)) throw badFile(path, `holds a container that contains itself (at '${prefix}')`, RESAVE);
    open.add(value);
    const key = (name: string) => (prefix === '' ? name : `${prefix}.${name}`);
    if (value instanceof Map) for (const [name, item] of value) visit(item, key(keyText(path, name)), depth + 1);
    else value.forEach((item, i) => visit(item, key(String(i)), depth + 1));
    open.delete(value);
  };
  visit(root, '', 0);
  return found;
}
