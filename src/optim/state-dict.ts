/**
 * An optimizer's state in a form `saveTensors` writes: the state tensors by key `state.<index>.<name>` and
 * one JSON text (`meta`) with the step counts and each group's hyper-parameters, laid out like PyTorch's
 * `optimizer.state_dict()` (snake_case names, parameters numbered across the groups in order):
 *
 *   {"type":"Adam","state":{"0":{"step":5}},"param_groups":[{"lr":0.001,"betas":[0.9,0.999],...,"params":[0,1]}]}
 */
import { NormalityError } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';
import { renameKeys, toCamel, toSnake } from './names.js';

export interface OptimizerStateDict {
  /** The optimizer's live state tensors, not copies: do not dispose them. */
  tensors: Map<string, Tensor>;
  /** JSON: the optimizer type, step counts and the groups' hyper-parameters. */
  meta: string;
}

/** The names one parameter's state holds (camelCase): all of `required` once it has any, maybe `optional`. */
export interface StateKeys {
  required: readonly string[];
  optional: readonly string[];
}

interface SavedMeta {
  type: string;
  state: Record<string, Record<string, number>>;
  param_groups: (Record<string, unknown> & { params: number[] })[];
}

type Groups = readonly ({ params: readonly Tensor[] } & object)[];
type States = ReadonlyMap<Tensor, Readonly<Record<string, Tensor | number | undefined>>>;

export function encodeState(type: string, groups: Groups, states: States): OptimizerStateDict {
  const tensors = new Map<string, Tensor>();
  const state: SavedMeta['state'] = {};
  let index = 0;
  const paramGroups = groups.map(({ params, ...hyper }) => {
    const indices = params.map((p) => {
      for (const [name, value] of Object.entries(states.get(p) ?? {})) {
        if (value instanceof Tensor) tensors.set(`state.${index}.${toSnake(name)}`, value);
        else if (typeof value === 'number') (state[index] ??= {})[toSnake(name)] = value;
      }
      return index++;
    });
    return { ...renameKeys(hyper, toSnake), params: indices };
  });
  const meta: SavedMeta = { type, state, param_groups: paramGroups };
  return { tensors, meta: JSON.stringify(meta) };
}

export interface DecodedState {
  /** Each group's saved hyper-parameters (camelCase), without `params`. */
  hyper: Record<string, unknown>[];
  /** By parameter index: its state entries (camelCase names); tensors are the caller's, not yet copied. */
  state: Map<number, Map<string, Tensor | number>>;
}

const problem = (type: string, text: string, fix = 'Load a state saved by the same optimizer over the same parameters.') =>
  new NormalityError('STATE_DICT', `Error loading the state dict into ${type}: ${text}. ${fix}`);

function parseMeta(type: string, meta: unknown): SavedMeta {
  let parsed: unknown;
  try {
    parsed = typeof meta === 'string' ? JSON.parse(meta) : undefined;
  } catch {
    parsed = undefined;
  }
  const m = parsed as SavedMeta | undefined;
  if (typeof m !== 'object' || m === null || typeof m.state !== 'object' || !Array.isArray(m.param_groups) || m.param_groups.some((g) => !Array.isArray(g?.params))) {
    throw problem(type, 'meta is not the JSON text that stateDict() returns', 'Pass { tensors, meta } exactly as optimizer.stateDict() returned them.');
  }
  if (m.type !== type) throw problem(type, `the state was saved by ${String(m.type)}`, `Build a ${String(m.type)} optimizer to load it.`);
  return m;
}

/** Check a saved state against the optimizer's groups and state names, before anything changes. */
export function decodeState(type: string, groups: Groups, keys: StateKeys, sd: { tensors: Map<string, Tensor> | Record<string, Tensor>; meta: string }): DecodedState {
  const meta = parseMeta(type, sd?.meta);
  if (meta.param_groups.length !== groups.length) {
    throw problem(type, `the state has ${meta.param_groups.length} parameter groups but the optimizer has ${groups.length}`);
  }
  const params = groups.flatMap((g) => g.params);
  for (const [i, group] of meta.param_groups.entries()) {
    if (group.params.length !== groups[i]!.params.length) {
      throw problem(type, `parameter group ${i} has ${group.params.length} parameters in the state but ${groups[i]!.params.length} in the optimizer`);
    }
  }
  const known = new Set([...keys.required, ...keys.optional]);
  const state = new Map<number, Map<string, Tensor | number>>();
  const put = (indexText: string, snakeName: string, value: Tensor | number, key: string) => {
    const index = Number(indexText);
    const name = toCamel(snakeName);
    if (!Number.isInteger(index) || index < 0 || index >= params.length || !known.has(name)) {
      throw problem(type, `unexpected entry '${key}' (${type} keeps ${[...known].map(toSnake).join(', ')} for parameters 0 to ${params.length - 1})`);
    }
    if (!state.has(index)) state.set(index, new Map());
    state.get(index)!.set(name, value);
  };
  for (const [index, entries] of Object.entries(meta.state)) {
    for (const [name, value] of Object.entries(entries ?? {})) {
      if (typeof value !== 'number') throw problem(type, `state.${index}.${name} in meta is not a number`);
      put(index, name, value, `state.${index}.${name}`);
    }
  }
  for (const [key, value] of sd.tensors instanceof Map ? sd.tensors : Object.entries(sd.tensors ?? {})) {
    const match = /^state\.(\d+)\.([a-z0-9_]+)$/.exec(key);
    if (match === null || !(value instanceof Tensor)) throw problem(type, `unexpected entry '${key}'`, 'Pass only the tensors that optimizer.stateDict() returned.');
    put(match[1]!, match[2]!, value, key);
    const shape = params[Number(match[1])]!.shape;
    if (value.shape.length !== shape.length || value.shape.some((n, d) => n !== shape[d])) {
      throw problem(type, `'${key}' has shape [${value.shape.join(', ')}] but parameter ${match[1]} has shape [${shape.join(', ')}]`);
    }
  }
  for (const [index, entries] of state) {
    const missing = keys.required.filter((name) => !entries.has(name));
    if (missing.length > 0) throw problem(type, `the state of parameter ${index} misses ${missing.map(toSnake).join(', ')}`);
  }
  const hyper = meta.param_groups.map(({ params: _, ...saved }) => renameKeys(saved, toCamel));
  return { hyper, state };
}
