/**
 * The base of every optimizer (PyTorch's `torch.optim.Optimizer`): parameter groups that share
 * hyper-parameters, per-parameter state owned by the optimizer, `zeroGrad`, `step`, and a state dict
 * that `saveTensors` can write. The optimizer never owns the parameters; `dispose()` frees its state.
 */
import { checkOptionKeys } from '../config/option-keys.js';
import { NormalityError, invalidArgument } from '../errors.js';
import { noGrad } from '../tensor/grad-mode.js';
import { keep, tidy } from '../tensor/memory.js';
import { empty, zeros } from '../tensor/create.js';
import { isFloatingPoint } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { decodeState, encodeState, type OptimizerStateDict, type StateKeys } from './state-dict.js';

/** Every optimizer has a learning rate; schedulers change it between steps. */
export interface BaseOptions {
  lr: number;
}

/** Parameters that share hyper-parameters. `initialLr` is set by the first scheduler attached. */
export type ParamGroup<O extends BaseOptions = BaseOptions> = O & { params: Tensor[]; initialLr?: number };

/** The parameters, or groups of them whose options override the optimizer's (`[{ params, lr: 1e-3 }, ...]`). */
export type Params<O extends BaseOptions> = readonly Tensor[] | readonly (Partial<O> & { params: readonly Tensor[] })[];

/** Per-parameter state: counts as numbers, buffers as tensors (camelCase names; saved in snake_case). */
export type ParamState = Record<string, Tensor | number | undefined>;

export abstract class Optimizer<O extends BaseOptions = BaseOptions, S extends ParamState = ParamState> implements Disposable {
  /** The class name, as saved in the state dict and used in error messages ('Adam'). */
  readonly name: string;
  readonly defaults: Readonly<O>;
  readonly paramGroups: ParamGroup<O>[] = [];
  /** State by parameter, created on a parameter's first step. */
  protected readonly state = new Map<Tensor, S>();
  /** The names the state of one parameter may hold (loading rejects others). */
  protected abstract readonly stateKeys: StateKeys;

  protected constructor(name: string, params: Params<O>, defaults: O) {
    this.name = name;
    this.checkOptions(defaults, name);
    this.defaults = Object.freeze({ ...defaults });
    if (!Array.isArray(params) || params.length === 0) {
      throw invalidArgument(`${name} params`, 'a non-empty array of tensors or of parameter groups', params, 'Pass model.parameters().');
    }
    const groups = params.every((p) => p instanceof Tensor) ? [{ params: params as readonly Tensor[] }] : params;
    for (const group of groups as readonly (Partial<O> & { params: readonly Tensor[] })[]) this.addParamGroup(group);
  }

  /** Throw if an option is out of range; `label` names the optimizer or the group in the message. */
  protected abstract checkOptions(options: O, label: string): void;

  /** Update the parameters of one group from their gradients; runs under `noGrad` inside `tidy`. */
  protected abstract updateGroup(group: ParamGroup<O>): void;

  /** Add parameters with their own options (PyTorch's `add_param_group`), e.g. to unfreeze a layer. */
  addParamGroup(group: Partial<O> & { params: readonly Tensor[] }): void {
    const label = `${this.name} paramGroups[${this.paramGroups.length}]`;
    if (typeof group !== 'object' || group === null || !Array.isArray(group.params) || group.params.length === 0) {
      throw invalidArgument(`${label}.params`, 'a non-empty array of tensors', group?.params, 'Pass { params: [...tensors], ...options }.');
    }
    // The optimizer's own options (checked by the constructor), and initialLr, which a group copied from a scheduled optimizer holds.
    checkOptionKeys(label, group, ['params', ...Object.keys(this.defaults), 'initialLr']);
    const taken = new Set(this.paramGroups.flatMap((g) => g.params));
    const seen = new Set<Tensor>();
    for (const [i, p] of group.params.entries()) {
      const where = `${label}.params[${i}]`;
      if (!(p instanceof Tensor) || p.isDisposed) throw invalidArgument(where, 'a live Tensor', p);
      if (!isFloatingPoint(p.dtype)) throw badParameter(where, 'a floating-point tensor', p.toString(), 'Only floating-point tensors have gradients.');
      if (!p.isLeaf) throw badParameter(where, 'a leaf tensor', 'a tensor computed from others', 'Optimize the parameters themselves, not results computed from them.');
      if (taken.has(p) || seen.has(p)) {
        throw new NormalityError('INVALID_ARGUMENT', `${where} (${p.toString()}) appears more than once in ${this.name}'s parameter groups. Pass each parameter to one group only.`);
      }
      seen.add(p);
    }
    const { params, ...overrides } = group;
    const merged = withDefaults(this.defaults, overrides as unknown as Partial<O>);
    this.checkOptions(merged, label);
    this.paramGroups.push({ ...merged, params: [...params] });
  }

  /** Forget the gradients: set them to null (the default, PyTorch ≥ 2.0) or, with `setToNone = false`, to zero. */
  zeroGrad(setToNone = true): void {
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        if (setToNone) {
          p.grad = null;
          continue;
        }
        const grad = p.grad;
        if (grad === null) continue;
        noGrad(() => grad.zero_());
        grad.dispose();
      }
    }
  }

  /** One update of every parameter that has a gradient; parameters without one are skipped. */
  step(): void {
    // Every parameter is checked before any moves: a freed one found in a later group would otherwise leave
    // the earlier groups updated and the rest not.
    for (const [g, group] of this.paramGroups.entries()) {
      group.params.forEach((p, i) => {
        if (p.isDisposed) throw new NormalityError('DISPOSED', `${this.name} paramGroups[${g}].params[${i}] was disposed, so step() changed no parameter. Build the optimizer over live parameters (a disposed module's are freed).`);
      });
    }
    noGrad(() => tidy(() => {
      for (const group of this.paramGroups) this.updateGroup(group);
    }));
  }

  /** The parameters of a group that have gradients, with those gradients (freed by `step`'s `tidy`). */
  protected withGradients(group: ParamGroup<O>): { params: Tensor[]; grads: Tensor[] } {
    const params: Tensor[] = [];
    const grads: Tensor[] = [];
    for (const p of group.params) {
      const grad = p.grad;
      if (grad === null) continue;
      params.push(p);
      grads.push(grad);
    }
    return { params, grads };
  }

  /** A zero buffer shaped like `p`, owned by the optimizer (survives the step's `tidy`). */
  protected zerosLike(p: Tensor): Tensor {
    return keep(zeros(p.shape, { dtype: p.dtype, device: p.device }));
  }

  /**
   * The state for `saveTensors(path, sd.tensors, { optimizer: sd.meta })`: tensors by key
   * `state.<index>.<name>` (PyTorch's names, parameters numbered across the groups in order) and `meta`, a
   * JSON text of the step counts and the groups' hyper-parameters. The tensors are the optimizer's live
   * state (marked `kept`), not copies: do not dispose them.
   */
  stateDict(): OptimizerStateDict {
    return encodeState(this.name, this.paramGroups, this.state);
  }

  /**
   * Restore what `stateDict` saved, into an optimizer built over the same parameters in the same groups.
   * Tensors are copied (to each parameter's dtype and device), so the caller keeps ownership of `sd`.
   * Everything is checked first: a failed load leaves the optimizer as it was.
   */
  loadStateDict(sd: { tensors: Map<string, Tensor> | Record<string, Tensor>; meta: string }): void {
    const decoded = decodeState(this.name, this.paramGroups, this.stateKeys, sd);
    const hyper = decoded.hyper.map((saved, i) => {
      const merged = withDefaults(this.defaults, saved as Partial<O>) as O & { initialLr?: number };
      this.checkOptions(merged, `${this.name} paramGroups[${i}] (loaded)`);
      return merged;
    });
    const params = this.paramGroups.flatMap((g) => g.params);
    const state = new Map<Tensor, S>();
    try {
      noGrad(() => {
        for (const [index, entries] of decoded.state) {
          const p = params[index]!;
          const copied: ParamState = {};
          for (const [name, value] of entries) {
            copied[name] = typeof value === 'number' ? value : keep(empty(p.shape, { dtype: p.dtype, device: p.device })).copy_(value);
          }
          state.set(p, copied as S);
        }
      });
    } catch (error) {
      for (const s of state.values()) disposeState(s);
      throw error;
    }
    this.dispose();
    for (const [p, s] of state) this.state.set(p, s);
    for (const [i, group] of this.paramGroups.entries()) {
      for (const key of Object.keys(group)) if (key !== 'params') delete (group as unknown as Record<string, unknown>)[key];
      Object.assign(group, hyper[i]);
    }
  }

  /** Free the state tensors (the parameters are not the optimizer's to free). The next step starts afresh. */
  dispose(): void {
    for (const s of this.state.values()) disposeState(s);
    this.state.clear();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }
}

/** `options` over `defaults`, where an option left undefined takes the default. Arrays (betas) are copied, so groups share none. */
export function withDefaults<O extends object>(defaults: Readonly<O>, options: Partial<O>): O {
  const merged: Record<string, unknown> = {};
  for (const source of [defaults, options]) {
    for (const [key, value] of Object.entries(source)) if (value !== undefined) merged[key] = Array.isArray(value) ? [...value] : value;
  }
  return merged as O;
}

/** Like `invalidArgument`, for a received value that is already a description. */
function badParameter(where: string, expected: string, received: string, fix: string): NormalityError {
  return new NormalityError('INVALID_ARGUMENT', `Expected ${expected} for ${where} but received ${received}. ${fix}`);
}

function disposeState(state: ParamState): void {
  for (const value of Object.values(state)) if (value instanceof Tensor) value.dispose();
}
