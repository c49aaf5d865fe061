/** Shape and dimension arguments, checked in TypeScript so that a bad entry is named before libtorch sees it. */
import { invalidArgument } from '../errors.js';

/**
 * A shape given by a user: an array of non-negative integers, or one integer n for [n] (as `torch.zeros(3)`).
 * `name` is what the message calls it.
 */
export function checkShape(name: string, value: unknown): readonly number[] {
  if (typeof value === 'number') return checkShape(name, [value]);
  if (!Array.isArray(value)) throw invalidArgument(name, 'an array of non-negative integers, such as [2, 3]', value);
  for (let i = 0; i < value.length; i++) {
    const size = value[i] as unknown;
    if (!Number.isSafeInteger(size) || (size as number) < 0) throw invalidArgument(`${name}[${i}]`, 'a non-negative integer', size);
  }
  return value as readonly number[];
}

/**
 * The sizes or dims of a method that takes them as PyTorch does, either spread or as one array:
 * `x.reshape(2, 3)` and `x.reshape([2, 3])`. Only integers are checked here; libtorch checks their ranges.
 */
export function sizesFrom(method: string, name: string, args: readonly unknown[]): readonly number[] {
  const sizes = args.length === 1 && Array.isArray(args[0]) ? (args[0] as readonly unknown[]) : args;
  for (let i = 0; i < sizes.length; i++) {
    if (!Number.isSafeInteger(sizes[i])) {
      throw invalidArgument(`${name}[${i}]`, 'an integer', sizes[i], `Call ${method}(2, 3) or ${method}([2, 3]).`);
    }
  }
  return sizes as readonly number[];
}
