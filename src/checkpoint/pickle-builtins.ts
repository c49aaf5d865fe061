/**
 * Plain Python values that pickle protocol 2 spells as calls of globals, implemented here (never by
 * running anything from the file): OrderedDict, set and frozenset, and bytes, which Python 3 writes as
 * `_codecs.encode(text, 'latin1')` (or `bytes()` when empty).
 */
import { badFile } from '../errors.js';
import { PickleFunction } from './pickle.js';

const RESAVE = 'Save the file again with torch.save.';

/** The stand-in for a builtin value type, or undefined when `module.name` is not one. */
export function builtinGlobal(path: string, module: string, name: string): PickleFunction | undefined {
  const qualified = `${module}.${name}`;
  switch (qualified) {
    // OrderedDict() and then SETITEMS; a BUILD later sets attributes such as _metadata, which are ignored.
    case 'collections.OrderedDict': return new PickleFunction(qualified, (args) => new Map(pairs(path, args[0])));
    case 'builtins.set':
    case 'builtins.frozenset':
    case '__builtin__.set':
    case '__builtin__.frozenset': return new PickleFunction(qualified, (args) => items(path, qualified, args[0]));
    case 'builtins.bytes':
    case '__builtin__.bytes': return new PickleFunction(qualified, (args) => Uint8Array.from(items(path, qualified, args[0]) as number[]));
    case '_codecs.encode': return new PickleFunction(qualified, ([text, encoding]) => {
      if (typeof text !== 'string' || (encoding !== 'latin1' && encoding !== 'latin-1')) {
        throw badFile(path, `calls _codecs.encode with ${String(encoding)} where only latin1 (how pickle writes bytes) is allowed`, RESAVE);
      }
      return new Uint8Array(Buffer.from(text, 'latin1'));
    });
    default: return undefined;
  }
}

function items(path: string, what: string, value: unknown): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw badFile(path, `builds a ${what} from something that is not a list`, RESAVE);
  return [...value];
}

/** OrderedDict's optional argument: a list of (key, value) pairs. */
function pairs(path: string, value: unknown): [unknown, unknown][] {
  const list = items(path, 'collections.OrderedDict', value);
  if (!list.every((p) => Array.isArray(p) && p.length === 2)) {
    throw badFile(path, 'builds an OrderedDict from something that is not a list of pairs', RESAVE);
  }
  return list as [unknown, unknown][];
}
