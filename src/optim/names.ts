/**
 * PyTorch's snake_case names for the camelCase fields used here (`weightDecay` ↔ `weight_decay`,
 * `expAvgSq` ↔ `exp_avg_sq`), so saved optimizer and scheduler state reads like PyTorch's state_dict.
 */
export const toSnake = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

export const toCamel = (name: string): string => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** A copy of a plain object with its keys renamed. */
export function renameKeys(object: Readonly<Record<string, unknown>>, rename: (key: string) => string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).map(([key, value]) => [rename(key), value]));
}
