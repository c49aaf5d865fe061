/**
 * The command registry: one line per command. Each command file default-exports
 * `defineCommand({...})` (see ../command.ts); main.ts picks up every export of this module.
 */
export { default as demo } from './demo.js';
export { default as import } from './import.js';
export { default as info } from './info.js';
export { default as reproduce } from './reproduce.js';
export { default as score } from './score.js';
export { default as test } from './test.js';
export { default as train } from './train.js';
