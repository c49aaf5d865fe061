/**
 * ATen ops by name. An `Op` is looked up in the dispatcher once, on first use, and then called by id:
 * the name lookup and schema parsing never sit on the hot path.
 */
import { native } from '../native/binding.js';
import { isGradEnabled } from './grad-mode.js';

export class Op {
  #id = -1;
  readonly name: string;
  readonly overload: string;

  /** `qualified` is `aten::name` or `aten::name.overload`, as PyTorch prints schemas. */
  constructor(qualified: string) {
    const dot = qualified.indexOf('.');
    this.name = dot < 0 ? qualified : qualified.slice(0, dot);
    this.overload = dot < 0 ? '' : qualified.slice(dot + 1);
  }

  get id(): number {
    if (this.#id < 0) this.#id = native.lookupOp(this.name, this.overload).id;
    return this.#id;
  }

  /** The op's schema, for documentation and error messages. */
  get schema(): string {
    return native.lookupOp(this.name, this.overload).schema;
  }

  /** Call with raw arguments (tensor handles, numbers, arrays); returns raw results. */
  call(args: unknown[], kwargs?: Record<string, unknown>): unknown {
    return native.callOp(this.id, isGradEnabled(), kwargs, ...args);
  }
}

const cache = new Map<string, Op>();

/** The shared `Op` for a qualified name, e.g. `op('aten::add.Tensor')`. */
export function op(qualified: string): Op {
  let found = cache.get(qualified);
  if (!found) {
    found = new Op(qualified);
    cache.set(qualified, found);
  }
  return found;
}
