/**
 * Bilinear resizing that reproduces OpenCV's cv2.resize(..., interpolation=INTER_LINEAR),
 * the resize used by the MemAE and MNAD data loaders.
 *
 * Convention (OpenCV, and PyTorch's align_corners=False): half-pixel centres,
 * source x = (dx + 0.5) * (srcW / dstW) - 0.5, clamped to the image at the borders.
 *
 * 8-bit images follow OpenCV's fixed-point arithmetic: weights rounded to 1/2048,
 * horizontal sums kept as integers, the vertical step done as OpenCV's SIMD code
 * does it. An exact 2x downscale is a 2x2 box average, as OpenCV switches to
 * INTER_AREA there. Float images use float32 arithmetic, as OpenCV does for CV_32F.
 * Checked bit for bit against cv2 4.6 (x86-64) on odd and even sizes, up and down,
 * 1, 3 and 4 channels (resize.test.ts); newer OpenCV releases have a special
 * path for exact 2x upscaling that this does not reproduce.
 */
import { invalidArgument } from '../errors.js';
import type { Image } from './images.js';

export interface FloatImage {
  width: number;
  height: number;
  channels: number;
  /** (H, W, C) interleaved, row-major. */
  data: Float32Array;
}

const COEF_BITS = 11;
const ONE = 1 << COEF_BITS; // 2048

/** Taps of one axis: for each output index the two source indices and their weights. */
interface Taps { i0: Int32Array; i1: Int32Array; w0: Float32Array; w1: Float32Array }

/** Resize an 8-bit image to `width` x `height`, bit-exact with cv2.resize INTER_LINEAR (see above). */
export function resizeBilinear(image: Image, width: number, height: number): Image {
  checkSize(image, width, height);
  if (width === image.width && height === image.height) return { ...image, data: image.data.slice() };
  const { channels } = image;
  if (image.width === 2 * width && image.height === 2 * height) return { width, height, channels, data: boxHalve(image.data, image.width, image.height, channels) };
  const xs = taps(image.width, width, true);
  const ys = taps(image.height, height, false);
  const a0 = fixed(xs.w0), a1 = fixed(xs.w1), b0 = fixed(ys.w0), b1 = fixed(ys.w1);
  const rowLength = width * channels;
  // Horizontal pass, each source row computed once when first needed (integers scaled by 2048).
  const rows = new Int32Array(image.height * rowLength);
  const done = new Uint8Array(image.height);
  const src = image.data;
  const srcRow = image.width * channels;
  const horizontal = (sy: number): number => {
    const base = sy * rowLength;
    if (done[sy]) return base;
    done[sy] = 1;
    const s = sy * srcRow;
    for (let dx = 0; dx < width; dx++) {
      const p0 = s + xs.i0[dx] * channels, p1 = s + xs.i1[dx] * channels;
      const w0 = a0[dx], w1 = a1[dx];
      for (let c = 0, d = base + dx * channels; c < channels; c++, d++) rows[d] = src[p0 + c] * w0 + src[p1 + c] * w1;
    }
    return base;
  };
  const out = new Uint8Array(height * rowLength);
  for (let dy = 0; dy < height; dy++) {
    const r0 = horizontal(ys.i0[dy]), r1 = horizontal(ys.i1[dy]);
    const w0 = b0[dy], w1 = b1[dy];
    const o = dy * rowLength;
    // OpenCV's vertical step: (((S0 >> 4) * b0) >> 16) + (((S1 >> 4) * b1) >> 16), then a rounding shift by 2.
    for (let x = 0; x < rowLength; x++) {
      const v = ((((rows[r0 + x] >> 4) * w0) >> 16) + (((rows[r1 + x] >> 4) * w1) >> 16) + 2) >> 2;
      out[o + x] = v < 0 ? 0 : v > 255 ? 255 : v;
    }
  }
  return { width, height, channels, data: out };
}

/** Resize a float image to `width` x `height` (cv2.resize INTER_LINEAR on CV_32F). */
export function resizeBilinearFloat(image: FloatImage, width: number, height: number): FloatImage {
  checkSize(image, width, height);
  const { channels } = image;
  const src = image.data;
  if (image.width === 2 * width && image.height === 2 * height) {
    const out = new Float32Array(width * height * channels);
    const stride = image.width * channels;
    for (let dy = 0; dy < height; dy++) {
      for (let dx = 0; dx < width; dx++) {
        for (let c = 0; c < channels; c++) {
          const s = 2 * dy * stride + 2 * dx * channels + c;
          out[(dy * width + dx) * channels + c] = Math.fround(Math.fround(Math.fround(src[s] + src[s + channels]) + Math.fround(src[s + stride] + src[s + stride + channels])) * 0.25);
        }
      }
    }
    return { width, height, channels, data: out };
  }
  const xs = taps(image.width, width, true);
  const ys = taps(image.height, height, false);
  const rowLength = width * channels;
  const srcRow = image.width * channels;
  const row0 = new Float32Array(rowLength), row1 = new Float32Array(rowLength);
  const out = new Float32Array(height * rowLength);
  const horizontal = (sy: number, row: Float32Array): void => {
    const s = sy * srcRow;
    for (let dx = 0; dx < width; dx++) {
      const p0 = s + xs.i0[dx] * channels, p1 = s + xs.i1[dx] * channels;
      const w0 = xs.w0[dx], w1 = xs.w1[dx];
      for (let c = 0; c < channels; c++) row[dx * channels + c] = Math.fround(src[p0 + c] * w0) + Math.fround(src[p1 + c] * w1);
    }
  };
  for (let dy = 0; dy < height; dy++) {
    horizontal(ys.i0[dy], row0);
    horizontal(ys.i1[dy], row1);
    const w0 = ys.w0[dy], w1 = ys.w1[dy];
    const o = dy * rowLength;
    for (let x = 0; x < rowLength; x++) out[o + x] = Math.fround(row0[x] * w0) + Math.fround(row1[x] * w1);
  }
  return { width, height, channels, data: out };
}

/**
 * Source indices and weights along one axis, computed in float32 as OpenCV does.
 * Along x the position is clamped (weight 0 on the far pixel); along y OpenCV keeps
 * the fractional weight and clamps the row indices instead.
 */
function taps(src: number, dst: number, clampWeights: boolean): Taps {
  const scale = 1 / (dst / src);
  const i0 = new Int32Array(dst), i1 = new Int32Array(dst);
  const w0 = new Float32Array(dst), w1 = new Float32Array(dst);
  for (let d = 0; d < dst; d++) {
    let f = Math.fround((d + 0.5) * scale - 0.5);
    let s = Math.floor(f);
    f = Math.fround(f - s);
    if (clampWeights) {
      if (s < 0) { s = 0; f = 0; }
      if (s >= src - 1) { s = src - 1; f = 0; }
      i0[d] = s;
      i1[d] = Math.min(s + 1, src - 1);
    } else {
      i0[d] = Math.min(Math.max(s, 0), src - 1);
      i1[d] = Math.min(Math.max(s + 1, 0), src - 1);
    }
    w0[d] = Math.fround(1 - f);
    w1[d] = f;
  }
  return { i0, i1, w0, w1 };
}

/** Weights in OpenCV's fixed point: round-half-even of w * 2048 (cvRound). */
function fixed(weights: Float32Array): Int32Array {
  const out = new Int32Array(weights.length);
  for (let i = 0; i < weights.length; i++) out[i] = roundHalfEven(weights[i] * ONE);
  return out;
}

function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** 2x2 box average with rounding, OpenCV's INTER_AREA fast path for an exact 2x downscale. */
function boxHalve(src: Uint8Array, srcWidth: number, srcHeight: number, channels: number): Uint8Array {
  const width = srcWidth / 2, height = srcHeight / 2;
  const out = new Uint8Array(width * height * channels);
  const stride = srcWidth * channels;
  for (let dy = 0; dy < height; dy++) {
    for (let dx = 0; dx < width; dx++) {
      for (let c = 0; c < channels; c++) {
        const s = 2 * dy * stride + 2 * dx * channels + c;
        out[(dy * width + dx) * channels + c] = (src[s] + src[s + channels] + src[s + stride] + src[s + stride + channels] + 2) >> 2;
      }
    }
  }
  return out;
}

function checkSize(image: { width: number; height: number; channels: number; data: ArrayLike<number> }, width: number, height: number): void {
  if (!Number.isInteger(width) || width < 1) throw invalidArgument('width', 'a whole number of pixels >= 1', width);
  if (!Number.isInteger(height) || height < 1) throw invalidArgument('height', 'a whole number of pixels >= 1', height);
  if (image.data.length !== image.width * image.height * image.channels) {
    throw invalidArgument('image.data', `${image.width * image.height * image.channels} values (${image.width}x${image.height}x${image.channels})`, image.data);
  }
}
