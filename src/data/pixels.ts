/**
 * Channel conversions of decoded images and the step from (H, W, C) bytes to
 * (C, H, W) floats that networks take.
 */
import { invalidArgument } from '../errors.js';
import type { Image } from './images.js';

export interface GrayscaleOptions {
  /**
   * 'opencv' (default): cv2.cvtColor RGB2GRAY, Y = (4899 R + 9617 G + 1868 B + 2^13) >> 14.
   * 'pil': PIL's convert('L'), Y = (19595 R + 38470 G + 7471 B + 2^15) >> 16.
   * Both are ITU-R BT.601 weights in fixed point; they differ by 1 on some pixels.
   */
  method?: 'opencv' | 'pil';
}

/** One channel: BT.601 luma of RGB(A) images (alpha ignored); gray images unchanged. */
export function toGrayscale(image: Image, options: GrayscaleOptions = {}): Image {
  const method = options.method ?? 'opencv';
  if (method !== 'opencv' && method !== 'pil') throw invalidArgument('method', "'opencv' or 'pil'", method);
  if (image.channels === 1) return image;
  const { width, height, channels, data } = image;
  const pixels = width * height;
  const out = new Uint8Array(pixels);
  const [wr, wg, wb, shift] = method === 'opencv' ? [4899, 9617, 1868, 14] : [19595, 38470, 7471, 16];
  const half = 1 << (shift - 1);
  for (let i = 0, j = 0; i < pixels; i++, j += channels) {
    out[i] = (data[j] * wr + data[j + 1] * wg + data[j + 2] * wb + half) >>> shift;
  }
  return { width, height, channels: 1, data: out };
}

/** Three channels: gray copied to R, G and B; alpha dropped; RGB unchanged. */
export function toRgb(image: Image): Image {
  const { width, height, channels, data } = image;
  if (channels === 3) return image;
  const pixels = width * height;
  const out = new Uint8Array(pixels * 3);
  if (channels === 1) {
    for (let i = 0, d = 0; i < pixels; i++, d += 3) out[d] = out[d + 1] = out[d + 2] = data[i];
  } else {
    for (let i = 0, s = 0, d = 0; i < pixels; i++, s += 4, d += 3) {
      out[d] = data[s]; out[d + 1] = data[s + 1]; out[d + 2] = data[s + 2];
    }
  }
  return { width, height, channels: 3, data: out };
}

/** Write an image's bytes in (C, H, W) order into `out` at `offset`. */
export function toChwBytes(image: Image, out: Uint8Array, offset: number): void {
  const { width, height, channels, data } = image;
  const plane = width * height;
  if (offset < 0 || offset + plane * channels > out.length) {
    throw invalidArgument('offset', `a start with room for ${plane * channels} values in an array of ${out.length}`, offset);
  }
  for (let c = 0; c < channels; c++) {
    const base = offset + c * plane;
    for (let i = 0, s = c; i < plane; i++, s += channels) out[base + i] = data[s];
  }
}

/**
 * Write an image as (C, H, W) float32 values `v / 255` into `out` at `offset`
 * (a fresh array when `out` is not given). Dividing, not multiplying by 1/255,
 * gives the same floats as torchvision's ToTensor.
 */
export function toChwFloat32(image: Image, out?: Float32Array, offset = 0): Float32Array {
  const { width, height, channels, data } = image;
  const plane = width * height;
  const target = out ?? new Float32Array(plane * channels);
  if (offset < 0 || offset + plane * channels > target.length) {
    throw invalidArgument('offset', `a start with room for ${plane * channels} values in an array of ${target.length}`, offset);
  }
  for (let c = 0; c < channels; c++) {
    const base = offset + c * plane;
    for (let i = 0, s = c; i < plane; i++, s += channels) target[base + i] = data[s] / 255;
  }
  return target;
}
