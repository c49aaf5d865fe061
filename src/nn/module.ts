/**
 * The base of every layer and network (PyTorch's `nn.Module`). Parameters, buffers and submodules
 * are the instance's own fields, found by walking them (see `fields.ts` for the rules, including how
 * to keep a field out of the state: start its name with `_`):
 *
 *   class Block extends Module {
 *     conv = new Conv2d(3, 8, 3);            // child 'conv': keys conv.weight, conv.bias
 *     bn = new BatchNorm2d(8);               // keys bn.weight, bn.bias, bn.running_mean, ...
 *     forward(x: Tensor): Tensor { return tidy(() => this.bn.forward(this.conv.forward(x)).relu()); }
 *   }
 *
 * State-dict keys are PyTorch's: dotted paths, tensor names in snake_case (`runningMean` →
 * `running_mean`), child names as written, `Sequential`/`ModuleList` children '0', '1', ...
 *
 * Ownership: a module owns its parameters and buffers; `dispose()` frees them. Parameters are never
 * freed by `tidy`. A buffer assigned in a constructor that runs inside `tidy` must be created with
 * `keep(...)` (the layers here do), or the scope frees it.
 *
 * `forward` returns new tensors that the caller owns, and the same type in training and evaluation.
 */
import { invalidArgument } from '../errors.js';
import { isFloatingPoint, type DType } from '../tensor/dtype.js';
import { noGrad } from '../tensor/grad-mode.js';
import { tidy } from '../tensor/memory.js';
import type { Device, Tensor } from '../tensor/tensor.js';
import { ownMembers, type OwnMembers } from './fields.js';
import type { Parameter } from './parameter.js';
import { loadState, type LoadResult, type StateDict } from './state-dict.js';

const isModule = (value: unknown): value is Module => value instanceof Module;
const join = (prefix: string, name: string) => (prefix === '' ? name : `${prefix}.${name}`);

/** Where `Module.to` moves parameters and buffers; a dtype converts only floating-point tensors (like PyTorch). */
export type ModuleTarget = Device | DType | { device?: Device; dtype?: DType; memoryFormat?: MemoryFormat };

/**
 * How 4-D and 5-D weights lie in memory (PyTorch's `memory_format`): channels-last layouts let cuDNN pick
 * its tensor-core kernels without transposing; a 'channels_last' target converts 4-D weights, a
 * 'channels_last_3d' target 5-D ones, and 'contiguous' turns either back.
 */
export type MemoryFormat = 'contiguous' | 'channels_last' | 'channels_last_3d';
const MEMORY_FORMAT_CODES: Record<MemoryFormat, number> = { contiguous: 0, channels_last: 2, channels_last_3d: 3 };

function isDevice(value: string): value is Device {
  return value === 'cpu' || value === 'cuda' || value.startsWith('cuda:');
}

export abstract class Module implements Disposable {
  /** Training mode (batch statistics in BatchNorm, active Dropout). Set it with `train()` / `eval()`. */
  training = true;

  abstract forward(...args: unknown[]): unknown;

  // ---- walking the tree ----

  /** Direct submodules with their field names. Containers override this to name theirs '0', '1', ... */
  namedChildren(): [string, Module][] {
    return ownMembers(this, isModule).children;
  }

  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** This module ('') and every submodule below it, depth first, each once. */
  namedModules(): [string, Module][] {
    const out: [string, Module][] = [];
    const seen = new Set<Module>();
    const visit = (module: Module, prefix: string): void => {
      if (seen.has(module)) return;
      seen.add(module);
      out.push([prefix, module]);
      for (const [name, child] of module.namedChildren()) visit(child, join(prefix, name));
    };
    visit(this, '');
    return out;
  }

  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  /** Every parameter of the tree with its dotted name; a parameter shared by two layers comes once. */
  namedParameters(): [string, Parameter][] {
    return this.#collect((members) => members.parameters);
  }

  parameters(): Parameter[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** Every buffer (running statistics and other non-learned state) with its dotted name. */
  namedBuffers(): [string, Tensor][] {
    return this.#collect((members) => members.buffers);
  }

  buffers(): Tensor[] {
    return this.namedBuffers().map(([, b]) => b);
  }

  #collect<T extends Tensor>(pick: (members: OwnMembers<Module>) => [string, T][]): [string, T][] {
    const out: [string, T][] = [];
    const seen = new Set<Tensor>();
    for (const [prefix, module] of this.namedModules()) {
      for (const [name, t] of pick(ownMembers(module, isModule))) {
        if (seen.has(t)) continue;
        seen.add(t);
        out.push([join(prefix, name), t]);
      }
    }
    return out;
  }

  /** The number of learned values (elements of all parameters). */
  numParameters(): number {
    return this.parameters().reduce((total, p) => total + p.numel, 0);
  }

  // ---- state dict ----

  /**
   * Parameters and buffers by PyTorch's keys, in PyTorch's order (each module's parameters, then its
   * buffers, then its children). The values are the module's LIVE tensors, not copies: do not dispose
   * them, and clone them to keep a snapshot that later training will not change.
   */
  stateDict(): Map<string, Tensor> {
    const out = new Map<string, Tensor>();
    const onPath = new Set<Module>();
    const visit = (module: Module, prefix: string): void => {
      onPath.add(module);
      const { parameters, buffers } = ownMembers(module, isModule);
      for (const [name, t] of parameters) out.set(join(prefix, name), t);
      for (const [name, t] of buffers) out.set(join(prefix, name), t);
      for (const [name, child] of module.namedChildren()) if (!onPath.has(child)) visit(child, join(prefix, name));
      onPath.delete(module);
    };
    visit(this, '');
    return out;
  }

  /**
   * Copy `state` into this module's tensors in place (see `loadState`): Parameter objects stay the
   * same, so optimizers keep working. Strict by default: missing or unexpected keys throw.
   */
  loadStateDict(state: StateDict, options: { strict?: boolean } = {}): LoadResult {
    return loadState(this.constructor.name, this.stateDict(), state, options.strict ?? true);
  }

  // ---- modes ----

  /** Set training mode on this module and every submodule. */
  train(mode = true): this {
    if (typeof mode !== 'boolean') throw invalidArgument('train(mode)', 'a boolean', mode, 'Use train() or eval().');
    for (const module of this.modules()) module.training = mode;
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  /** Turn gradients of every parameter on or off (freeze a pretrained network with `requiresGrad_(false)`). */
  requiresGrad_(requiresGrad = true): this {
    for (const p of this.parameters()) p.requiresGrad = requiresGrad;
    return this;
  }

  /** Call `fn` on every submodule and then on this one, like PyTorch (custom initialisation). */
  apply(fn: (module: Module) => void): this {
    for (const child of this.children()) child.apply(fn);
    fn(this);
    return this;
  }

  // ---- memory and devices ----

  /**
   * Move (or convert) every parameter and buffer in place: the Tensor objects stay the same, so
   * anything holding them sees the moved data. Gradients move with their parameters.
   */
  to(target: ModuleTarget): this {
    const { device, dtype, memoryFormat } = typeof target === 'string' ? (isDevice(target) ? { device: target } : { dtype: target as DType }) : target;
    if (memoryFormat !== undefined && !(memoryFormat in MEMORY_FORMAT_CODES)) {
      throw invalidArgument('memoryFormat', `one of ${Object.keys(MEMORY_FORMAT_CODES).join(', ')}`, memoryFormat);
    }
    // As PyTorch's: checked before any tensor moves, so that a refusal leaves no half-converted module.
    if (dtype !== undefined && !isFloatingPoint(dtype)) {
      throw invalidArgument('dtype', 'a floating-point dtype (float32, float64, float16 or bfloat16): Module.to converts floating-point parameters and buffers', dtype);
    }
    noGrad(() => {
      for (const t of [...this.parameters(), ...this.buffers()]) {
        const newDtype = dtype !== undefined && isFloatingPoint(t.dtype) && dtype !== t.dtype ? dtype : undefined;
        const relayout = memoryFormat !== undefined && (memoryFormat === 'contiguous' ? t.ndim >= 4 : t.ndim === (memoryFormat === 'channels_last' ? 4 : 5));
        if (newDtype === undefined && (device === undefined || device === t.device) && !relayout) continue;
        const requiresGrad = t.requiresGrad;
        const grad = t.grad;
        t._replaceWith(tidy(() => {
          const moved = t.to({ device, dtype: newDtype });
          return relayout ? moved.contiguous(MEMORY_FORMAT_CODES[memoryFormat!]) : moved;
        }));
        if (requiresGrad) t.requiresGrad = true;
        if (grad !== null) {
          const moved = grad.to({ device, dtype: newDtype });
          t.grad = moved;
          moved.dispose();
          grad.dispose();
        }
      }
    });
    return this;
  }

  /** Drop the gradients of every parameter (PyTorch's `zero_grad(set_to_none=True)`). */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = null;
  }

  /** Free every parameter and buffer. The module cannot be used afterwards. Safe to call twice. */
  dispose(): void {
    for (const t of [...this.parameters(), ...this.buffers()]) t.dispose();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }
}
