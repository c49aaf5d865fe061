/** One image of a dataset, `(N, C, H, W)` with values in [0, 1], back to a PNG for a person to look at. */
import pngjs from 'pngjs';
import { described, invalidArgument } from '../errors.js';

export function samplePng(x: Float32Array, shape: readonly number[], index: number): Buffer {
  const [count, channels, height, width] = shape as [number, number, number, number];
  if (shape.length !== 4 || (channels !== 1 && channels !== 3)) {
    throw invalidArgument('shape', 'images as (N, C, H, W) with 1 or 3 channels', described(`(${shape.join(', ')})`));
  }
  if (!(index >= 0 && index < count)) throw invalidArgument('index', `an image index below ${count}`, index);
  const size = height * width;
  const offset = index * channels * size;
  const level = (v: number) => Math.round(Math.min(1, Math.max(0, v)) * 255);
  const png = new pngjs.PNG({ width, height });
  for (let p = 0; p < size; p++) {
    const r = level(x[offset + p]!);
    png.data.set(channels === 1 ? [r, r, r, 255] : [r, level(x[offset + size + p]!), level(x[offset + 2 * size + p]!), 255], p * 4);
  }
  return pngjs.PNG.sync.write(png);
}
