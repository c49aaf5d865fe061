/**
 * Loading a state dict into a module's live tensors (`Module.loadStateDict`). Everything is checked
 * before anything is copied, so a failed load leaves the module as it was.
 */
import { NormalityError, invalidArgument } from '../errors.js';
import { noGrad } from '../tensor/grad-mode.js';
import { Tensor } from '../tensor/tensor.js';

/** Named tensors, as `stateDict()` returns them or `loadTensors` reads them from a file. */
export type StateDict = Map<string, Tensor> | Record<string, Tensor>;

export interface LoadResult {
  /** Keys the module has but the state dict lacks (left untouched). */
  missingKeys: string[];
  /** Keys the state dict has but the module lacks (ignored). */
  unexpectedKeys: string[];
}

/** Keys named in a message: a whole other network's would run to hundreds. */
const KEYS_SHOWN = 20;
const quoted = (keys: readonly string[]) => keys.slice(0, KEYS_SHOWN).map((k) => `'${k}'`).join(', ') + (keys.length > KEYS_SHOWN ? ` and ${keys.length - KEYS_SHOWN} more` : '');

/** The last sentence of a key mismatch's message: a library fix, which a command reporting the mismatch leaves out. */
export const STATE_DICT_FIX = 'Load a state dict saved from the same architecture, or pass { strict: false } to load only the keys that match.';
/** The last sentence of a single size mismatch's message, a library fix too. */
export const SHAPE_FIX = 'Build the model with the configuration the state dict was saved from.';
const shapeText = (shape: readonly number[]) => `[${shape.join(', ')}]`;

function keyProblems(owner: string, missingKeys: string[], unexpectedKeys: string[], sizeMismatches: string[] = []): NormalityError {
  const parts = [`Error loading the state dict into ${owner}.`];
  if (missingKeys.length > 0) parts.push(`Missing keys: ${quoted(missingKeys)}.`);
  if (unexpectedKeys.length > 0) parts.push(`Unexpected keys: ${quoted(unexpectedKeys)}.`);
  if (sizeMismatches.length > 0) {
    parts.push(`Size mismatch for ${sizeMismatches.slice(0, KEYS_SHOWN).join(', ')}${sizeMismatches.length > KEYS_SHOWN ? ` and ${sizeMismatches.length - KEYS_SHOWN} more` : ''}.`);
  }
  parts.push(STATE_DICT_FIX);
  return new NormalityError('STATE_DICT', parts.join(' '));
}

/**
 * Copy `source` into `target` (a module's `stateDict()`), in place and without recording gradients,
 * so Parameter objects keep their identity and an optimizer holding them keeps working. Values are
 * converted to each target's dtype and device. A shape mismatch always throws; missing or unexpected
 * keys throw only when `strict`.
 */
export function loadState(owner: string, target: Map<string, Tensor>, source: StateDict, strict: boolean): LoadResult {
  if (!(source instanceof Map) && (typeof source !== 'object' || source === null)) {
    throw invalidArgument('state dict', 'a Map or a plain object of tensors', source, 'Pass module.stateDict() or loadTensors(path).tensors.');
  }
  const given = source instanceof Map ? source : new Map(Object.entries(source));
  const missingKeys = [...target.keys()].filter((key) => !given.has(key));
  const unexpectedKeys = [...given.keys()].filter((key) => !target.has(key));

  const pairs: [Tensor, Tensor][] = [];
  const mismatches: { key: string; from: readonly number[]; to: readonly number[] }[] = [];
  for (const [key, destination] of target) {
    const value = given.get(key);
    if (value === undefined) continue;
    if (!(value instanceof Tensor)) throw invalidArgument(`state dict entry '${key}'`, 'a Tensor', value);
    const from = value.shape;
    const to = destination.shape;
    if (from.length !== to.length || from.some((n, i) => n !== to[i])) mismatches.push({ key, from, to });
    else pairs.push([destination, value]);
  }
  const keysWrong = strict && (missingKeys.length > 0 || unexpectedKeys.length > 0);
  if (mismatches.length === 1 && !keysWrong) {
    const [{ key, from, to }] = mismatches as [(typeof mismatches)[number]];
    throw new NormalityError(
      'STATE_DICT',
      `Size mismatch for '${key}' while loading the state dict into ${owner}: the state dict holds shape ${shapeText(from)} but the model expects ${shapeText(to)}. ${SHAPE_FIX}`,
    );
  }
  // Every problem at once, as PyTorch lists them: a fix for the keys alone would meet the shapes next.
  if (keysWrong || mismatches.length > 0) {
    const sizes = mismatches.map(({ key, from, to }) => `'${key}' (the state dict holds ${shapeText(from)}, the model expects ${shapeText(to)})`);
    throw keyProblems(owner, strict ? missingKeys : [], strict ? unexpectedKeys : [], sizes);
  }
  noGrad(() => {
    for (const [destination, value] of pairs) destination.copy_(value);
  });
  return { missingKeys, unexpectedKeys };
}
