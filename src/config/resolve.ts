/**
 * The final options a command runs with: defaults, then each layer in order
 * (config file, then flags), the later layer winning field by field.
 */
import { NormalityError } from '../errors.js';
import { camelCase, expectedText, isSection, type OptionSpec, type OptionValues, type Scalar } from './spec.js';

/**
 * Merge `layers` (earliest first) over the spec's defaults. Booleans default to
 * false and repeated fields to []; a `required` field missing everywhere is an
 * error that says how to set it. `command` names the command in that message.
 */
export function resolveOptions(spec: readonly OptionSpec[], layers: readonly OptionValues[], command: string): OptionValues {
  return resolveLevel(spec, layers, [], command);
}

function resolveLevel(spec: readonly OptionSpec[], layers: readonly OptionValues[], path: readonly string[], command: string): OptionValues {
  const result: OptionValues = {};
  for (const option of spec) {
    const key = camelCase(option.name);
    if (isSection(option)) {
      const inner = layers.map((layer) => (layer[key] ?? {}) as OptionValues);
      result[key] = resolveLevel(option.fields, inner, [...path, option.name], command);
      continue;
    }
    let value: Scalar | Scalar[] | undefined;
    for (const layer of layers) {
      if (layer[key] !== undefined) value = layer[key] as Scalar | Scalar[];
    }
    if (value === undefined && option.default !== undefined) {
      value = Array.isArray(option.default) ? [...option.default] : (option.default as Scalar);
    }
    if (value === undefined && option.repeated) value = [];
    if (value === undefined && option.type === 'boolean') value = false;
    if (value === undefined && option.required) {
      const dotted = [...path, option.name].join('.');
      throw new NormalityError('INVALID_ARGUMENT',
        `Missing option --${dotted} for '${command}': expected ${expectedText(option)}. Pass --${dotted} <value> or set '${dotted}' in the config file.`);
    }
    result[key] = Array.isArray(value) ? [...value] : value;
  }
  return result;
}
