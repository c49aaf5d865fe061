/**
 * Unknown configuration keys are refused, not ignored: `createDetector('memae', { memorySise: 50 })`
 * would otherwise train with the default memory and say nothing.
 */
import { closest } from '../config/suggest.js';
import { NormalityError } from '../errors.js';

/** Throw on the first key of `options` (with a defined value) that `known` lacks, suggesting the closest known key. */
export function checkConfigKeys(model: string, options: object, known: readonly string[]): void {
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined || known.includes(key)) continue;
    const guess = closest(key, known);
    const hint = guess ? ` Did you mean '${guess}'?` : '';
    throw new NormalityError('INVALID_ARGUMENT', `Unknown option '${key}' for ${model}.${hint} Its options: ${known.join(', ')}.`);
  }
}
