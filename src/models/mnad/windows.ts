/**
 * What MNAD reads from a `VideoSet`: windows of consecutive frames. Prediction takes 5 frames, the first 4
 * stacked along the channels as input (B, 4·C, H, W) and the 5th as target, scored on the 5th (so each
 * video's first 4 frames get no score); reconstruction takes 1 frame, input and target at once.
 * Frames come as float32 in [−1, 1] or as bytes meaning `byte / 127.5 − 1`; bytes go to the device as
 * they are and are converted there.
 */
import { NormalityError, describe } from '../../errors.js';
import type { VideoSet } from '../../detector/video.js';
import { tensor } from '../../tensor/create.js';
import { tidy } from '../../tensor/memory.js';
import type { Device, Tensor } from '../../tensor/tensor.js';
import { inputFrames, type MnadVariant } from './config.js';

export interface FrameShape {
  channels: number;
  height: number;
  width: number;
}

/** Frames per window: 5 for prediction (4 in, 1 target), 1 for reconstruction. */
export function windowLength(variant: MnadVariant): number {
  return variant === 'pred' ? inputFrames(variant) + 1 : 1;
}

const shapeText = (s: FrameShape) => `(${s.channels}, ${s.height}, ${s.width})`;

/** Throw unless the videos' frames have the model's (C, H, W) and at least one video is long enough. */
export function checkVideoSet(data: VideoSet, expected: FrameShape & { variant: MnadVariant }, what: string): void {
  if (!data || !Array.isArray(data.videos)) {
    throw new NormalityError('INVALID_ARGUMENT', `Expected a VideoSet { videos, channels, height, width } for ${what} but received ${typeof data}.`);
  }
  if (data.channels !== expected.channels || data.height !== expected.height || data.width !== expected.width) {
    throw new NormalityError('SHAPE_MISMATCH',
      `MNAD was built for frames (C, H, W) = ${shapeText(expected)} but the ${what} videos have frames ${shapeText(data)}. ` +
        'Load the videos at the model\'s size and channels, or build the model with { channels, height, width } of the data.');
  }
  const needed = windowLength(expected.variant);
  if (!data.videos.some((v) => v.length >= needed)) {
    throw new NormalityError('INVALID_ARGUMENT',
      `MNAD (${expected.variant}) needs a video of at least ${needed} frames for ${what} but the longest has ${Math.max(0, ...data.videos.map((v) => v.length))}.`);
  }
}

export type FrameValues = Float32Array | Uint8Array;

/** Check `frames` frames of values (a stream frame or what FrameVideo.frames returned). */
export function checkFrameValues(values: unknown, frames: number, shape: FrameShape, what: string): asserts values is FrameValues {
  const size = frames * shape.channels * shape.height * shape.width;
  const typed = values instanceof Float32Array || values instanceof Uint8Array;
  if (!typed || values.length !== size) {
    const received = typed ? `a ${values.constructor.name} of length ${values.length}` : describe(values);
    throw new NormalityError('SHAPE_MISMATCH',
      `Expected ${frames} frame${frames === 1 ? '' : 's'} of (C, H, W) = ${shapeText(shape)} (a Float32Array or Uint8Array of ${size} values) for ${what} but received ${received}. ` +
        'Frames are (C, H, W) float32 in [−1, 1] (or bytes 0–255) at the model\'s size.');
  }
}

/** Frames laid end to end: bytes stay bytes when every part is bytes, otherwise all become float32 in [−1, 1]. */
export function joinFrames(parts: readonly FrameValues[]): FrameValues {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const bytes = parts.every((p) => p instanceof Uint8Array);
  const out = bytes ? new Uint8Array(total) : new Float32Array(total);
  let at = 0;
  for (const part of parts) {
    if (bytes || part instanceof Float32Array) out.set(part, at);
    else for (let i = 0; i < part.length; i++) out[at + i] = part[i]! / 127.5 - 1;
    at += part.length;
  }
  return out;
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
