/**
 * Checks on what video detectors read, shared by MemAE-3D and MNAD: a `VideoSet` whose frames have the
 * model's (C, H, W), and the values each `FrameVideo.frames` call returns (user code, so checked per call:
 * a length check is cheap, and a short or long array would otherwise be read as zero padding or past
 * its end).
 */
import { NormalityError, describe, described, invalidArgument } from '../errors.js';
import type { FrameVideo, VideoSet } from './video.js';

export interface FrameShape {
  channels: number;
  height: number;
  width: number;
}

export type FrameValues = Float32Array | Uint8Array;

const shapeText = (s: FrameShape) => `(${s.channels}, ${s.height}, ${s.width})`;

/** What a value that is not a VideoSet looks like, so the message can say which data it was. */
function whatItIs(data: unknown): string {
  if (data && typeof data === 'object' && 'x' in data && 'shape' in data) return 'samples { x, shape } (images or table rows)';
  return describe(data);
}

/**
 * Throw unless `data` is a VideoSet whose frames have the model's (C, H, W), one of whose videos has
 * at least `minFrames` frames, and whose first such frames hold values in range. `model` names the detector in messages, `what` the data's role.
 */
export function checkVideoSet(data: unknown, expected: FrameShape, minFrames: number, model: string, what: string): asserts data is VideoSet {
  const set = data as VideoSet | null | undefined;
  if (!set || typeof set !== 'object' || !Array.isArray(set.videos)) {
    throw new NormalityError('INVALID_ARGUMENT',
      `Expected a VideoSet { videos, channels, height, width } for ${what} but received ${whatItIs(data)}. ` +
        `${model} reads videos: toVideoSet(await loadVideoDataset(root, { split, channels })) loads them; samples go to an image or table model.`);
  }
  if (set.channels !== expected.channels || set.height !== expected.height || set.width !== expected.width) {
    throw new NormalityError('SHAPE_MISMATCH',
      `${model} was built for frames (C, H, W) = ${shapeText(expected)} but the ${what} videos have frames ${shapeText(set)}. ` +
        'Load the videos at the model\'s size and channels, or build the model with { channels, height, width } of the data.');
  }
  set.videos.forEach((video, i) => {
    if (!video || typeof video.frames !== 'function' || !Number.isInteger(video.length) || video.length < 0) {
      throw new NormalityError('INVALID_ARGUMENT',
        `Expected a FrameVideo { name, length, frames(start, count) } for ${what} video ${i} but received ${describe(video)}${video ? ` with length ${describe(video.length)}` : ''}.`);
    }
  });
  if (set.labels !== undefined) checkVideoLabels(set, what);
  if (!set.videos.some((v) => v.length >= minFrames)) {
    throw new NormalityError('INVALID_ARGUMENT',
      `${model} needs a video of at least ${minFrames} frames for ${what} but the longest has ${Math.max(0, ...set.videos.map((v) => v.length))}.`);
  }
  checkFirstFrames(set, expected, minFrames, what);
}

/**
 * Labels are optional, and the detectors do not read them, but a set that carries them for other videos or
 * other frames than it holds is a loading mistake that would otherwise surface only at evaluation, if at all.
 */
function checkVideoLabels(set: VideoSet, what: string): void {
  const labels: unknown = set.labels;
  if (!Array.isArray(labels) || labels.length !== set.videos.length) {
    throw invalidArgument(`${what} labels`, `one Uint8Array of frame labels per video (${set.videos.length}), or no labels`, labels);
  }
  labels.forEach((frameLabels: unknown, i) => {
    const video = set.videos[i]!;
    if (!(frameLabels instanceof Uint8Array) || frameLabels.length !== video.length) {
      throw invalidArgument(`${what} labels of video ${i} (${video.name})`, `a Uint8Array of ${video.length} frame labels, one per frame`, frameLabels);
    }
  });
}

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
 * Why float frames could make training diverge: the first value of the clips (video, first frame) of
 * `length` frames that is not finite or lies outside [−1, 1] (bytes are always in range). Asked only
 * once the loss is NaN, so training pays nothing for it.
 */
export function badValueInClips(clips: readonly (readonly [FrameVideo, number])[], length: number): string | undefined {
  for (const [video, first] of clips) {
    const bad = badValueIn(video.frames(first, length), video.name, first, length);
    if (bad) return bad.text;
  }
  return undefined;
}

function badValueIn(values: FrameValues, name: string, first: number, length: number): { value: number; text: string } | undefined {
  if (values instanceof Uint8Array) return undefined;
  const frameSize = values.length / length;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!(v >= -1 && v <= 1)) return { value: v, text: `${v} in video '${name}' frame ${first + Math.floor(i / frameSize)}` };
  }
  return undefined;
}

/** What to do about a value out of [−1, 1]: rescale a finite one; a NaN or infinity is no scale's doing. */
function scaleHint(value: number, stream: boolean): string {
  if (!Number.isFinite(value)) return 'A frame with NaN or infinite values is damaged (a failed decode, a division by zero upstream): drop or replace it.';
  return `Scale float frames to [−1, 1]: x / 127.5 − 1 for values 0–255, 2x − 1 for values in [0, 1]${stream ? '; or pass the bytes as a Uint8Array' : ''}.`;
}

/**
 * One streamed frame's values: float frames in [−1, 1] (bytes are always in range). A stream is checked
 * frame by frame, since one frame is cheap to scan and a camera's frames come one at a time.
 */
export function checkStreamFrame(values: FrameValues, shape: FrameShape, index: number): void {
  checkFrameValues(values, 1, shape, `scoreStream frame ${index}`);
  const bad = badValueIn(values, 'stream', index, 1);
  if (bad) {
    throw invalidArgument(`scoreStream frame ${index}`, 'float values in [−1, 1] (or bytes 0–255)', described(bad.text), scaleHint(bad.value, true));
  }
}

/**
 * A look at the first frames before any work: float frames on another scale (0–255, or NaN where a
 * decoder failed) would otherwise train without a word while the loss stays finite. One window is
 * cheap; checking every batch would cost every step a pass over its values.
 */
function checkFirstFrames(set: VideoSet, shape: FrameShape, minFrames: number, what: string): void {
  const video = set.videos.find((v) => v.length >= minFrames)!;
  const values = video.frames(0, minFrames);
  checkFrameValues(values, minFrames, shape, `video '${video.name}' frames 0..${minFrames - 1}`);
  const bad = badValueIn(values, video.name, 0, minFrames);
  if (bad) {
    throw invalidArgument(`${what} frames`, 'float values in [−1, 1] (or bytes 0–255)', described(bad.text), scaleHint(bad.value, false));
  }
}
