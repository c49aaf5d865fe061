/**
 * Modules that hold other modules, named '0', '1', ... in the state dict like PyTorch's:
 * `Sequential` chains them in `forward`; `ModuleList` only holds them (the parent's `forward`
 * decides how they are called).
 */
import { NormalityError, invalidArgument } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';

function checkModule(owner: string, value: unknown, index: number): Module {
  if (value instanceof Module) return value;
  const fix = Array.isArray(value) ? `Spread an array of layers: new ${owner}(...layers).` : undefined;
  throw invalidArgument(`${owner} item ${index}`, 'a Module', value, fix);
}

function indexIn(owner: string, length: number, index: number): number {
  const i = index < 0 ? index + length : index;
  if (!Number.isInteger(i) || i < 0 || i >= length) throw invalidArgument(`${owner} index`, `an integer in [${-length}, ${length - 1}]`, index);
  return i;
}

/** Holds modules in order; iterate over it in the parent's `forward`. */
export class ModuleList<M extends Module = Module> extends Module implements Iterable<M> {
  readonly #items: M[] = [];

  constructor(modules: Iterable<M> = []) {
    super();
    for (const m of modules) this.push(m);
  }

  override namedChildren(): [string, Module][] {
    return this.#items.map((m, i) => [String(i), m]);
  }

  get length(): number {
    return this.#items.length;
  }

  /** The module at `index`; negative counts from the end. */
  at(index: number): M {
    return this.#items[indexIn('ModuleList', this.#items.length, index)]!;
  }

  push(...modules: M[]): this {
    modules.forEach((m, i) => this.#items.push(checkModule('ModuleList', m, this.#items.length + i) as M));
    return this;
  }

  [Symbol.iterator](): Iterator<M> {
    return this.#items[Symbol.iterator]();
  }

  forward(): never {
    throw new NormalityError('INVALID_ARGUMENT', 'ModuleList has no forward(): iterate over it in the forward() of the module that holds it, or use Sequential to chain the layers.');
  }
}

/** Chains modules: forward(x) = mₙ(…m₂(m₁(x))). Wrap the call in `tidy` to free the intermediate outputs. */
export class Sequential extends Module implements Iterable<Module> {
  readonly #items: Module[];

  constructor(...modules: Module[]) {
    super();
    this.#items = modules.map((m, i) => checkModule('Sequential', m, i));
  }

  override namedChildren(): [string, Module][] {
    return this.#items.map((m, i) => [String(i), m]);
  }

  get length(): number {
    return this.#items.length;
  }

  /** The module at `index`; negative counts from the end. Cast to the layer type you put there. */
  at<M extends Module = Module>(index: number): M {
    return this.#items[indexIn('Sequential', this.#items.length, index)] as M;
  }

  [Symbol.iterator](): Iterator<Module> {
    return this.#items[Symbol.iterator]();
  }

  forward(x: Tensor): Tensor {
    let out = x;
    for (const module of this.#items) out = module.forward(out) as Tensor;
    return out === x ? x.share() : out; // a new owner even when empty, like every forward
  }
}
