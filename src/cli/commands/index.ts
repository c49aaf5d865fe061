/**
 * The command registry: one line per command. Each command file default-exports
 * `defineCommand({...})` (see ../command.ts); add it here as
 *
 *   export { default as train } from './train.js';
 *
 * main.ts picks up every export of this module, listed in alphabetical order.
 */
export {};
