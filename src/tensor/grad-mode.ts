/**
 * Gradient recording on or off. The state travels with asynchronous calls (AsyncLocalStorage), so
 * `noGrad(async () => ...)` holds across awaits without leaking into code that runs in between.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { invalidArgument } from '../errors.js';

const gradState = new AsyncLocalStorage<boolean>();

export function isGradEnabled(): boolean {
  return gradState.getStore() ?? true;
}

/** Run `fn` without recording gradients (PyTorch's `torch.no_grad()`); works for async functions too. */
export function noGrad<T>(fn: () => T): T {
  if (typeof fn !== 'function') throw invalidArgument('noGrad(fn)', 'a function to run without recording gradients', fn, 'Call noGrad(() => ...).');
  return gradState.run(false, fn);
}

/** Run `fn` with gradient recording on, even inside `noGrad`. */
export function enableGrad<T>(fn: () => T): T {
  if (typeof fn !== 'function') throw invalidArgument('enableGrad(fn)', 'a function to run recording gradients', fn, 'Call enableGrad(() => ...).');
  return gradState.run(true, fn);
}
