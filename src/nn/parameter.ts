/**
 * A tensor that a `Module` learns: a leaf that requires gradients and belongs to its module, so no
 * `tidy` scope frees it (it is `kept`). Free it with the module's `dispose()`.
 */
import type { Handle } from '../native/binding.js';
import { op } from '../tensor/op.js';
import { noGrad } from '../tensor/grad-mode.js';
import { Tensor } from '../tensor/tensor.js';

const detach = op('aten::detach');

export class Parameter extends Tensor {
  override kept = true;

  /** Internal: wraps a native handle and turns gradients on. Use `Parameter.from(tensor)`. */
  constructor(handle: Handle, requiresGrad = true) {
    super(handle);
    this.requiresGrad = requiresGrad;
  }

  /**
   * Take over `t`: the parameter shares its storage as a fresh leaf (no autograd history, like
   * `nn.Parameter(t)`), and `t` itself is disposed.
   */
  static from(t: Tensor, requiresGrad = true): Parameter {
    const handle = noGrad(() => detach.call([t.handle])) as Handle;
    t.dispose();
    return new Parameter(handle, requiresGrad);
  }

  override toString(): string {
    return this.isDisposed ? 'Parameter(disposed)' : `Parameter(shape=[${this.shape.join(', ')}], dtype=${this.dtype}, device=${this.device})`;
  }
}
