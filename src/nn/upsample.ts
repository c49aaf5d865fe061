/** Resizing images by a size or a scale factor (PyTorch's `nn.Upsample`, modes 'nearest' and 'bilinear'). */
import { NormalityError, invalidArgument } from '../errors.js';
import * as F from '../tensor/functional.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';
import { boolean, checkOptions, expectRank, intTuple } from './validate.js';

export interface UpsampleOptions {
  /** Output (H, W); give this or scaleFactor. */
  size?: number | readonly [number, number];
  /** Output size = floor(input size · scaleFactor); give this or size. */
  scaleFactor?: number | readonly [number, number];
  /** default 'nearest' */
  mode?: 'nearest' | 'bilinear';
  /** Bilinear only: align the corner pixels of input and output; default false. */
  alignCorners?: boolean;
}

function scalePair(scale: unknown): [number, number] {
  const ok = (v: unknown) => typeof v === 'number' && v > 0 && Number.isFinite(v);
  if (ok(scale)) return [scale as number, scale as number];
  if (Array.isArray(scale) && scale.length === 2 && scale.every(ok)) return [scale[0], scale[1]];
  throw invalidArgument('Upsample scaleFactor', 'a positive number or an array of 2 positive numbers', scale);
}

/** (N, C, H, W) → (N, C, H', W') */
export class Upsample extends Module {
  readonly size: readonly [number, number] | undefined;
  readonly scaleFactor: readonly [number, number] | undefined;
  readonly mode: 'nearest' | 'bilinear';
  readonly alignCorners: boolean;

  constructor(options: UpsampleOptions) {
    super();
    checkOptions('Upsample', options, ['size', 'scaleFactor', 'mode', 'alignCorners']);
    if ((options.size === undefined) === (options.scaleFactor === undefined)) {
      throw new NormalityError('INVALID_ARGUMENT', 'Upsample needs exactly one of size or scaleFactor, e.g. new Upsample({ scaleFactor: 2 }).');
    }
    this.size = options.size === undefined ? undefined : (intTuple('Upsample', 'size', options.size, 2, 1) as [number, number]);
    this.scaleFactor = options.scaleFactor === undefined ? undefined : scalePair(options.scaleFactor);
    this.mode = options.mode ?? 'nearest';
    if (this.mode !== 'nearest' && this.mode !== 'bilinear') throw invalidArgument('Upsample mode', "'nearest' or 'bilinear'", this.mode);
    if (options.alignCorners !== undefined && this.mode === 'nearest') {
      throw new NormalityError('INVALID_ARGUMENT', "Upsample alignCorners only applies to mode 'bilinear'. Remove it, or set mode: 'bilinear'.");
    }
    this.alignCorners = boolean('Upsample', 'alignCorners', options.alignCorners ?? false);
  }

  forward(x: Tensor): Tensor {
    expectRank('Upsample', x, [4], '(N, C, H, W)');
    return this.size !== undefined
      ? F.interpolate(x, { size: this.size, mode: this.mode, alignCorners: this.alignCorners })
      : F.interpolate(x, { scaleFactor: this.scaleFactor!, mode: this.mode, alignCorners: this.alignCorners });
  }
}
