/**
 * Option objects of the public functions are checked, not trusted. Called from plain JavaScript,
 * `oneClassSplit(a, b, { normalClass: 1, maxtrain: 100 })` would otherwise run on every image and say
 * nothing, and `loadMnist()` would fail with a destructuring TypeError that names no option.
 */
import { NormalityError, invalidArgument } from '../errors.js';
import { closest } from './suggest.js';

const isOptionsObject = (value: unknown): value is object => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Throw INVALID_ARGUMENT on the first key of `options` (with a defined value) that `known` lacks, suggesting
 * the closest known key: `Unknown option 'maxtrain' for oneClassSplit. Did you mean 'maxTrain'? Its options: …`.
 * `where` names the function. Undefined options pass (every option has a default); a value that is not an
 * object (null, a number, an array) is refused.
 */
export function checkOptionKeys(where: string, options: unknown, known: readonly string[]): void {
  if (options === undefined) return;
  if (!isOptionsObject(options)) {
    throw invalidArgument(`${where} options`, `an object with some of ${known.join(', ')}`, options, 'Leave it out for the defaults.');
  }
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined || known.includes(key)) continue;
    const guess = closest(key, known);
    const hint = guess ? ` Did you mean '${guess}'?` : '';
    throw new NormalityError('INVALID_ARGUMENT', `Unknown option '${key}' for ${where}.${hint} Its options: ${known.join(', ')}.`);
  }
}

/**
 * For options with required keys: refuse a missing or non-object options argument, saying what it needs
 * (`required`, e.g. "split ('train' or 'test')") and showing a call (`example`).
 */
export function requireOptions(where: string, options: unknown, required: string, example: string): asserts options is object {
  if (!isOptionsObject(options)) {
    throw invalidArgument(`${where} options`, `an object with ${required}`, options, `For example: ${example}.`);
  }
}
