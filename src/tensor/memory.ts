/**
 * Ownership of native tensors: every tensor made inside `tidy(fn)` is freed when `fn` returns, except
 * what `fn` returns and what was passed to `keep`. `liveTensors()` counts every native tensor not yet
 * freed, so tests can prove that nothing leaked.
 */
import { native } from '../native/binding.js';
import { NormalityError, invalidArgument } from '../errors.js';

/** What a tidy scope tracks: the Tensor class implements it. */
export interface Tracked {
  readonly isDisposed: boolean;
  kept: boolean;
  dispose(): void;
}

const scopes: Tracked[][] = [];

/** Called by every new Tensor: the innermost open scope (if any) takes ownership. */
export function track(tensor: Tracked): void {
  const scope = scopes[scopes.length - 1];
  if (scope !== undefined) scope.push(tensor);
}

/** Keep a tensor alive past the enclosing `tidy` scopes. */
export function keep<T extends Tracked>(tensor: T): T {
  if (!isTracked(tensor)) throw invalidArgument('keep(tensor)', 'a Tensor', tensor, 'Keep each tensor of a result: keep(t).');
  tensor.kept = true;
  return tensor;
}

function isTracked(value: unknown): value is Tracked {
  return typeof value === 'object' && value !== null && 'kept' in value && typeof (value as Tracked).dispose === 'function';
}

/** Collect the tensors in a returned value: a tensor, or arrays, Maps and plain objects of them. */
function collect(value: unknown, into: Set<Tracked>, depth = 0): void {
  if (depth > 4 || typeof value !== 'object' || value === null) return;
  if (isTracked(value)) into.add(value);
  else if (Array.isArray(value)) for (const item of value) collect(item, into, depth + 1);
  else if (value instanceof Map) for (const item of value.values()) collect(item, into, depth + 1);
  else if (Object.getPrototypeOf(value) === Object.prototype) for (const item of Object.values(value)) collect(item, into, depth + 1);
}

/**
 * Run `fn` and free every tensor it created, except those it returns (which move to the enclosing
 * scope) and those passed to `keep`. `fn` must be synchronous: an async function's tensors outlive
 * the call, so manage them with `dispose()` or `using` instead.
 */
export function tidy<T>(fn: () => T): T;
/** tfjs's form: the name only labels the scope for the reader. */
export function tidy<T>(name: string, fn: () => T): T;
export function tidy<T>(nameOrFn: string | (() => T), maybeFn?: () => T): T {
  const named = typeof nameOrFn === 'string';
  const fn = named ? maybeFn : nameOrFn;
  if (typeof fn !== 'function') {
    throw invalidArgument(named ? 'tidy(name, fn)' : 'tidy(fn)', 'a function that returns the tensors to keep', fn, 'Call tidy(() => ...).');
  }
  const scope: Tracked[] = [];
  scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (error) {
    scopes.pop();
    for (const tensor of scope) if (!tensor.kept) tensor.dispose();
    throw error;
  }
  scopes.pop();
  if (result instanceof Promise) {
    // What fn made before its first await is freed here; what it makes after runs outside any scope.
    for (const tensor of scope) if (!tensor.kept) tensor.dispose();
    throw new NormalityError('INVALID_ARGUMENT', 'tidy(fn) needs a synchronous function but fn returned a Promise. Free tensors of async code with dispose() or `using`.');
  }
  const returned = new Set<Tracked>();
  collect(result, returned);
  const parent = scopes[scopes.length - 1];
  for (const tensor of scope) {
    if (returned.has(tensor)) parent?.push(tensor);
    else if (!tensor.kept) tensor.dispose();
  }
  return result;
}

/** The number of native tensors alive now (created and not yet freed). */
export function liveTensors(): number {
  return native.liveCount();
}

/** Free every tensor in a value (a tensor, or arrays, Maps and plain objects of them). */
export function dispose(value: unknown): void {
  const found = new Set<Tracked>();
  collect(value, found);
  for (const tensor of found) tensor.dispose();
}
