/** MemAE's anomaly scores (SPEC §1). */
import type { Tensor } from '../../tensor/tensor.js';
import { tidy } from '../../tensor/memory.js';

/** Images and tables: the mean squared reconstruction error of each sample, (B,). */
export function reconstructionError(input: Tensor, reconstruction: Tensor): Tensor {
  return tidy(() => reconstruction.sub(input).square().flatten(1).mean(1));
}

/** Images (B, C, H, W): the squared reconstruction error at each pixel, mean over channels, (B, H, W). */
export function pixelError(input: Tensor, reconstruction: Tensor): Tensor {
  return tidy(() => reconstruction.sub(input).square().mean(1));
}

/** Tables (B, D): the squared reconstruction error of each feature, (B, D); its mean over features is the score. */
export function featureError(input: Tensor, reconstruction: Tensor): Tensor {
  return tidy(() => reconstruction.sub(input).square());
}

/**
 * Video clips (B, C, T, H, W): the mean over (T, H, W) of the L2 norm over channels of the residual at
 * each position, as the authors' code scores a clip, (B,).
 */
export function clipError(input: Tensor, reconstruction: Tensor): Tensor {
  return tidy(() => reconstruction.sub(input).square().sum(1).sqrt().flatten(1).mean(1));
}
