/**
 * How a module's state is found: by walking the instance's own fields (tinygrad's way), with no
 * registration calls.
 *
 * - a `Parameter` field is a parameter, a plain `Tensor` field a buffer, a `Module` field a child;
 * - fields whose name starts with `_` are left out (caches, scratch tensors, a back-reference to a
 *   parent); `#private` fields are invisible to the walk anyway;
 * - fields holding `null` or `undefined` (a layer built with `bias: false`) are skipped;
 * - arrays are not walked: an array holding modules or tensors throws, because its parameters would
 *   silently be missing from `parameters()` and the state dict. Use `ModuleList` or `Sequential`.
 *
 * Tensor names become snake_case in keys (`runningMean` → `running_mean`); child names stay as
 * written, so to load a PyTorch checkpoint whose submodule is `up_sample`, name the field `up_sample`.
 *
 * Order follows the fields' declaration (then assignment) order, which is what PyTorch's
 * registration order gives for the same class written the usual way.
 */
import { NormalityError } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';
import { Parameter } from './parameter.js';

export interface OwnMembers<M> {
  parameters: [string, Parameter][];
  buffers: [string, Tensor][];
  children: [string, M][];
}

/** `runningMean` → `running_mean`: leaf tensor names follow PyTorch's snake_case in state-dict keys. */
export function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function holdsState(value: readonly unknown[], isModule: (v: unknown) => boolean): boolean {
  return value.some((item) => item instanceof Tensor || isModule(item));
}

/**
 * The parameters, buffers and children held by `module`'s own fields. Tensor names come back in
 * snake_case; child names as written. `isModule` is passed in because Module imports this file.
 */
export function ownMembers<M>(module: object, isModule: (v: unknown) => v is M): OwnMembers<M> {
  const members: OwnMembers<M> = { parameters: [], buffers: [], children: [] };
  for (const [field, value] of Object.entries(module)) {
    if (field.startsWith('_') || value === null || value === undefined) continue;
    if (value instanceof Parameter) members.parameters.push([snakeCase(field), value]);
    else if (value instanceof Tensor) members.buffers.push([snakeCase(field), value]);
    else if (isModule(value)) members.children.push([field, value]);
    else if (Array.isArray(value) && holdsState(value, isModule)) {
      const owner = module.constructor.name;
      throw new NormalityError(
        'INVALID_ARGUMENT',
        `${owner}.${field} is an array of modules or tensors, which the state walk does not enter: their parameters would be missing from parameters() and stateDict(). ` +
          `Hold modules in a ModuleList or Sequential (this.${field} = new ModuleList([...])), or name the field _${field} to keep it out of the state on purpose.`,
      );
    }
  }
  return members;
}
