/**
 * MNAD's frame scores (SPEC §2), computed on images mapped from [−1, 1] to [0, 1]:
 * - PSNR = 10 log10(1 / mse) of each frame;
 * - the weighted regular score Σ W e / Σ W with e the per-pixel squared error and W = 1 − exp(−e), which
 *   gates the test-time memory update (update when below γ);
 * - per video, with g the min-max over that video's scored frames, the anomaly score
 *   S = λ (1 − g(PSNR)) + (1 − λ) g(D). (The code computes the normality 1 − S and takes the AUC against
 *   1 − labels: the same ranking.)
 */
import { invalidArgument } from '../../errors.js';
import { tidy } from '../../tensor/memory.js';
import type { Tensor } from '../../tensor/tensor.js';

function squaredError01(output: Tensor, target: Tensor): Tensor {
  return tidy(() => output.add(1).div(2).sub(target.add(1).div(2)).square().flatten(1));
}

/** Mean squared error of each frame on [0, 1] images, (B,). PSNR is 10 log10(1 / mse), see `psnr`. */
export function frameMse(output: Tensor, target: Tensor): Tensor {
  return tidy(() => squaredError01(output, target).mean(1));
}

/** Below this error PSNR is held at 100 dB: a frame predicted exactly (a black one, where tanh saturates at −1) would be Infinity, and one infinite PSNR makes the video's min-max range infinite, every other frame's g 0 and its own S NaN. */
const SMALLEST_MSE = 1e-10;

export function psnr(mse: number): number {
  return 10 * Math.log10(1 / Math.max(mse, SMALLEST_MSE));
}

/** Σ W e / Σ W per frame, (B,), with e the squared error of each pixel and channel and W = 1 − exp(−e). */
export function regularScore(output: Tensor, target: Tensor): Tensor {
  return tidy(() => {
    const error = squaredError01(output, target);
    const weight = error.neg().exp().rsub(1);
    return weight.mul(error).sum(1).div(weight.sum(1));
  });
}

/** (v − min) / (max − min) over the non-NaN values; NaN stays NaN; constant values give 0 (the code would give NaN, so S = λ). */
function minMax(values: ArrayLike<number>): Float64Array {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const range = max - min;
  return Float64Array.from(values, (v) => (Number.isNaN(v) ? NaN : range > 0 ? (v - min) / range : 0));
}

/**
 * The anomaly score of each frame of ONE video: S = λ (1 − g(PSNR)) + (1 − λ) g(D), g the min-max over this
 * video's frames that have a score (NaN entries stay NaN). Needs the whole video.
 */
export function combineScores(psnrs: ArrayLike<number>, distances: ArrayLike<number>, lambda: number): Float64Array {
  if (psnrs.length !== distances.length) throw invalidArgument('distances', `one feature distance per PSNR (${psnrs.length})`, distances);
  if (!(lambda >= 0 && lambda <= 1)) throw invalidArgument('lambda', 'a number in [0, 1]', lambda);
  const p = minMax(psnrs);
  const d = minMax(distances);
  return Float64Array.from(p, (gp, i) => lambda * (1 - gp) + (1 - lambda) * d[i]!);
}

/**
 * The smallest spread of PSNR and of D that a stream's min-max divides by: the median over the training videos
 * of each video's own spread (max − min). Without it a stream's first frames are scored against one another
 * alone, and the smallest wobble between two of them spans the whole range from 0 to 1.
 */
export interface StreamSpreads {
  psnr: number;
  distance: number;
}

/**
 * S for a stream, frame by frame, each frame scored when it arrives: S = λ (max − PSNR) / s_P +
 * (1 − λ) (D − min) / s_D, the min and max over the frames scored so far and s the spread they span, or the
 * training videos' typical spread while that is larger. Once a stream's own spread passes the typical one, S
 * is the per-video S over the frames so far, which it converges to as the min and max settle. Without
 * spreads (0) the first frame gives λ, as a constant video does in `combineScores`.
 */
export class RunningScore {
  #psnr = { min: Infinity, max: -Infinity };
  #distance = { min: Infinity, max: -Infinity };
  readonly spreads: StreamSpreads;

  constructor(readonly lambda: number, spreads: StreamSpreads = { psnr: 0, distance: 0 }) {
    if (!(lambda >= 0 && lambda <= 1)) throw invalidArgument('lambda', 'a number in [0, 1]', lambda);
    for (const key of ['psnr', 'distance'] as const) {
      const spread = spreads[key];
      if (!(spread >= 0 && Number.isFinite(spread))) throw invalidArgument(`spreads.${key}`, 'a finite number ≥ 0', spread);
    }
    this.spreads = { ...spreads };
  }

  /** S of the newest frame; NaN when it has no score (prediction's first 4 frames). */
  next(psnr: number, distance: number): number {
    if (Number.isNaN(psnr) || Number.isNaN(distance)) return NaN;
    const widen = (range: { min: number; max: number }, v: number, typicalSpread: number) => {
      range.min = Math.min(range.min, v);
      range.max = Math.max(range.max, v);
      return Math.max(range.max - range.min, typicalSpread);
    };
    const psnrSpread = widen(this.#psnr, psnr, this.spreads.psnr);
    const distanceSpread = widen(this.#distance, distance, this.spreads.distance);
    // A spread of 0 (no typical spread, all frames alike so far): g = 0, as combineScores has it.
    const lowPsnr = psnrSpread > 0 ? (this.#psnr.max - psnr) / psnrSpread : 1;
    const highDistance = distanceSpread > 0 ? (distance - this.#distance.min) / distanceSpread : 0;
    return this.lambda * lowPsnr + (1 - this.lambda) * highDistance;
  }
}
