/**
 * The one preprocessing step every video frame goes through, whether it comes from
 * a frame file, a video file or the cache: channels (gray or RGB), then a bilinear
 * resize to the training size that matches cv2.resize INTER_LINEAR, stored as
 * (C, H, W) bytes. Gray is converted before resizing (cheaper; for gray frames
 * stored as three equal channels, like Ped2's, the order makes no difference).
 */
import { basename } from 'node:path';
import { badFile, invalidArgument } from '../../errors.js';
import { decodeImage, type Image } from '../images.js';
import { readBytes } from '../files.js';
import { toGrayscale, toRgb } from '../pixels.js';
import { resizeBilinear } from '../resize.js';

export interface FrameFormat {
  width: number;
  height: number;
  /** 1: gray (BT.601 luma, as cv2.cvtColor); 3: RGB. */
  channels: 1 | 3;
}

/** Bytes in one preprocessed frame. */
export function frameBytes(format: FrameFormat): number {
  return format.width * format.height * format.channels;
}

/**
 * The largest side of a network input: one 3 × 4096 × 4096 float32 image already takes 200 MB, and the models
 * here train at 28 to 256 pixels, so a larger side is a mistake (pixels for bytes, a slip of the keyboard)
 * that would otherwise end in an out-of-memory error or an invalid typed array length.
 */
export const MAX_SIDE = 4096;
const SIDE_FIX = `Sides above ${MAX_SIDE} are refused: one 3 × ${MAX_SIDE} × ${MAX_SIDE} image would take 200 MB as float32.`;

export function checkFrameFormat(format: FrameFormat, name = 'format'): void {
  const { width, height, channels } = format ?? ({} as FrameFormat);
  const side = (value: number) => Number.isInteger(value) && value >= 1 && value <= MAX_SIDE;
  if (!side(width)) throw invalidArgument(`${name}.width`, `a whole number of pixels from 1 to ${MAX_SIDE}`, width, width > MAX_SIDE ? SIDE_FIX : undefined);
  if (!side(height)) throw invalidArgument(`${name}.height`, `a whole number of pixels from 1 to ${MAX_SIDE}`, height, height > MAX_SIDE ? SIDE_FIX : undefined);
  if (channels !== 1 && channels !== 3) throw invalidArgument(`${name}.channels`, '1 (gray) or 3 (RGB)', channels);
}

/** Convert and resize a decoded image, writing (C, H, W) bytes into `out` at `offset`. */
export function formatImageInto(image: Image, format: FrameFormat, out: Uint8Array, offset = 0): void {
  const converted = format.channels === 1 ? toGrayscale(image) : toRgb(image);
  const sized = converted.width === format.width && converted.height === format.height
    ? converted
    : resizeBilinear(converted, format.width, format.height);
  const { channels, data } = sized;
  const plane = format.width * format.height;
  if (channels === 1) {
    out.set(data, offset);
    return;
  }
  for (let c = 0; c < channels; c++) {
    const base = offset + c * plane;
    for (let i = 0, s = c; i < plane; i++, s += channels) out[base + i] = data[s];
  }
}

/**
 * The frames of one video share one size: a frame of another size (a stray file, a crop) would otherwise be
 * stretched to the training size without a word.
 */
export class SameFrameSize {
  #first: { file: string; width: number; height: number } | undefined;

  check(image: Image, file: string): Image {
    const first = (this.#first ??= { file, width: image.width, height: image.height });
    if (image.width !== first.width || image.height !== first.height) {
      throw badFile(file, `is ${image.width}×${image.height} but ${basename(first.file)} of the same video is ${first.width}×${first.height}`,
        'Every frame of a video must have the same size: remove the odd frame or resize it like the others.');
    }
    return image;
  }
}

/** Read, decode and preprocess one frame file into `out` at `offset`; a corrupt file is an error naming it. */
export function readFrameInto(path: string, format: FrameFormat, out: Uint8Array, offset = 0, sizes?: SameFrameSize): void {
  const image = decodeImage(readBytes(path, 'Frame image'), path);
  formatImageInto(sizes ? sizes.check(image, path) : image, format, out, offset);
}

/** Read and preprocess frame files of one video in order into one (T, C, H, W) byte array. */
export function decodeFrames(files: readonly string[], format: FrameFormat): Uint8Array {
  const size = frameBytes(format);
  const out = new Uint8Array(files.length * size);
  const sizes = new SameFrameSize();
  files.forEach((file, i) => readFrameInto(file, format, out, i * size, sizes));
  return out;
}
