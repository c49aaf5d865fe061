/**
 * What MNAD reads from a `VideoSet`: windows of consecutive frames. Prediction takes 5 frames, the first 4
 * stacked along the channels as input (B, 4·C, H, W) and the 5th as target, scored on the 5th (so each
 * video's first 4 frames get no score); reconstruction takes 1 frame, input and target at once.
 * Frames come as float32 in [−1, 1] or as bytes meaning `byte / 127.5 − 1`; bytes go to the device as
 * they are and are converted there.
 */
import type { VideoSet } from '../../detector/video.js';
import { checkFrameValues, joinFrames, type FrameShape, type FrameValues } from '../../detector/video-frames.js';
import { tensor } from '../../tensor/create.js';
import { tidy } from '../../tensor/memory.js';
import type { Device, Tensor } from '../../tensor/tensor.js';
import { inputFrames, type MnadVariant } from './config.js';

/** Frames per window: 5 for prediction (4 in, 1 target), 1 for reconstruction. */
export function windowLength(variant: MnadVariant): number {
  return variant === 'pred' ? inputFrames(variant) + 1 : 1;
}

/**
 * Windows (video, first frame) of `data` as tensors: `input` (B, in, H, W) and `target` (B, C, H, W),
 * on `device`. `frames` per window is `windowLength(variant)`.
 */
export function gatherWindows(
  data: VideoSet, picks: readonly (readonly [number, number])[], o: FrameShape & { variant: MnadVariant; device: Device },
): { input: Tensor; target: Tensor } {
  const length = windowLength(o.variant);
  const parts = picks.map(([v, start]) => {
    const video = data.videos[v]!;
    const values = video.frames(start, length);
    checkFrameValues(values, length, o, `video '${video.name}' frames ${start}..${start + length - 1}`);
    return values;
  });
  return windowTensors(joinFrames(parts), picks.length, o);
}

/** Consecutive frames of `count` windows laid out (B, window, C, H, W) → input and target tensors, float32 in [−1, 1]. */
export function windowTensors(buffer: FrameValues, count: number, o: FrameShape & { variant: MnadVariant; device: Device }): { input: Tensor; target: Tensor } {
  const length = windowLength(o.variant);
  return tidy(() => {
    const raw = tensor(buffer, { shape: [count, length * o.channels, o.height, o.width], device: o.device });
    const all = buffer instanceof Uint8Array ? raw.to('float32').div(127.5).sub(1) : raw;
    if (o.variant === 'recon') return { input: all, target: all.share() };
    const inputs = (length - 1) * o.channels;
    return { input: all.narrow(1, 0, inputs), target: all.narrow(1, inputs, o.channels) };
  });
}
