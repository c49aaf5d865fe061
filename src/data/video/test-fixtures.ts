/**
 * Small generated video datasets for the tests of this folder, written into a
 * temporary folder in each supported layout, with the same ground truth in every
 * label format. Not part of the public API.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pngjs from 'pngjs';
import UTIF from 'utif';
import { writeNpy } from '../npy.js';

export const WIDTH = 32;
export const HEIGHT = 24;

/** Anomalous frames (0-based) of the three test videos: two ranges, one range, none. */
export const ANOMALOUS: readonly (readonly number[])[] = [
  [...range(3, 7), ...range(12, 15)],
  range(0, 9),
  [],
];

export function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `normality-${prefix}-`));
}

/** RGB pixels of frame f of video v: a pattern that differs per video, frame, position and channel. */
export function framePixels(v: number, f: number, width = WIDTH, height = HEIGHT): Uint8Array {
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      rgb[i] = (v * 60 + f * 9 + x * 5) & 255;
      rgb[i + 1] = (v * 30 + f * 3 + y * 7) & 255;
      rgb[i + 2] = (x * y + f) & 255;
    }
  }
  return rgb;
}

export function pngBytes(rgb: Uint8Array, width = WIDTH, height = HEIGHT): Buffer {
  const png = new pngjs.PNG({ width, height });
  for (let i = 0, j = 0; i < width * height; i++, j += 3) {
    png.data[i * 4] = rgb[j]; png.data[i * 4 + 1] = rgb[j + 1]; png.data[i * 4 + 2] = rgb[j + 2]; png.data[i * 4 + 3] = 255;
  }
  return pngjs.PNG.sync.write(png);
}

export function tiffBytes(rgb: Uint8Array, width = WIDTH, height = HEIGHT): Buffer {
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0, j = 0; i < width * height; i++, j += 3) {
    rgba[i * 4] = rgb[j]; rgba[i * 4 + 1] = rgb[j + 1]; rgba[i * 4 + 2] = rgb[j + 2]; rgba[i * 4 + 3] = 255;
  }
  return Buffer.from((UTIF as unknown as { encodeImage(rgba: Uint8Array, w: number, h: number): ArrayBuffer }).encodeImage(rgba, width, height));
}

/** An uncompressed bottom-up BMP: 24-bit from RGB, or 8-bit with a gray palette from one channel. */
export function bmpBytes(pixels: Uint8Array, channels: 1 | 3, width = WIDTH, height = HEIGHT): Buffer {
  const rowBytes = Math.ceil((width * channels) / 4) * 4;
  const paletteBytes = channels === 1 ? 1024 : 0;
  const offset = 54 + paletteBytes;
  const out = Buffer.alloc(offset + rowBytes * height);
  out.write('BM', 0, 'latin1');
  out.writeUInt32LE(out.length, 2);
  out.writeUInt32LE(offset, 10);
  out.writeUInt32LE(40, 14);
  out.writeInt32LE(width, 18);
  out.writeInt32LE(height, 22);
  out.writeUInt16LE(1, 26);
  out.writeUInt16LE(channels * 8, 28);
  out.writeUInt32LE(rowBytes * height, 34);
  if (channels === 1) for (let i = 0; i < 256; i++) out.writeUInt32LE(i * 0x010101, 54 + 4 * i);
  for (let y = 0; y < height; y++) {
    const row = offset + (height - 1 - y) * rowBytes;
    for (let x = 0; x < width; x++) {
      if (channels === 1) out[row + x] = pixels[y * width + x];
      else for (let c = 0; c < 3; c++) out[row + x * 3 + c] = pixels[(y * width + x) * 3 + 2 - c]; // BGR
    }
  }
  return out;
}

/** A pixel mask of frame f of test video v: a block of 255 on anomalous frames, all 0 otherwise. */
export function maskPixels(v: number, f: number): Uint8Array {
  const mask = new Uint8Array(WIDTH * HEIGHT);
  if (ANOMALOUS[v].includes(f)) for (let y = 4; y < 9; y++) for (let x = 10 + v; x < 14 + v; x++) mask[y * WIDTH + x] = 255;
  return mask;
}

/** The UCSD script text for ANOMALOUS (1-based inclusive ranges). */
export function groundTruthScript(): string {
  const ranges = ANOMALOUS.map((frames) => toRanges(frames).map(([a, b]) => `${a + 1}:${b + 1}`).join(', '));
  return ['TestVideoFile = {};', ...ranges.map((r, v) => `% Test${String(v + 1).padStart(3, '0')}\nTestVideoFile{end+1}.gt_frame = [${r}];`)].join('\n') + '\n';
}

/** Consecutive runs of sorted frames as [first, last] pairs. */
export function toRanges(frames: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  for (const f of frames) {
    const last = out[out.length - 1];
    if (last && last[1] === f - 1) last[1] = f;
    else out.push([f, f]);
  }
  return out;
}

/**
 * `<root>/{training,testing}/frames/<video>/<n>.png` with 3 videos per split: `01`, `02`, `10`
 * (10 sorts last), frames numbered from 000 except video `10`'s, unpadded (`2.png` before `10.png`).
 * Also writes frame_labels_fixture.npy (concatenated) and testing/test_frame_mask/<video>.npy.
 */
export function writeFramesLayout(root: string, frames = 20): { root: string; videos: string[] } {
  const videos = ['01', '02', '10'];
  for (const [split, dir] of [['train', 'training'], ['test', 'testing']] as const) {
    videos.forEach((name, v) => {
      const folder = join(root, dir, 'frames', name);
      mkdirSync(folder, { recursive: true });
      for (let f = 0; f < frames; f++) {
        const file = name === '10' ? `${f}.png` : `${String(f).padStart(3, '0')}.png`;
        writeFileSync(join(folder, file), pngBytes(framePixels(v + (split === 'test' ? 3 : 0), f)));
      }
    });
  }
  const labels = labelArrays(frames);
  const all = BigInt64Array.from(labels.flatMap((l) => Array.from(l)), BigInt);
  writeNpy(join(root, 'frame_labels_fixture.npy'), { dtype: 'int64', shape: [1, all.length], data: all });
  const maskDir = join(root, 'testing', 'test_frame_mask');
  mkdirSync(maskDir, { recursive: true });
  videos.forEach((name, v) => writeNpy(join(maskDir, `${name}.npy`), { dtype: 'int64', shape: [frames], data: BigInt64Array.from(labels[v], BigInt) }));
  return { root, videos };
}

/**
 * UCSD's own layout: `<root>/Train/Train00k/001.tif` (TIFF), `<root>/Test/Test00k/001.bmp` (BMP, as
 * frame files may be), pixel masks in `<root>/Test/Test00k_gt/001.bmp`, and `<root>/Test/UCSDped2.m`.
 */
export function writeUcsdLayout(root: string, frames = 20): { root: string; videos: string[] } {
  const videos = ['Test001', 'Test002', 'Test003'];
  for (let v = 0; v < 3; v++) {
    const train = join(root, 'Train', `Train00${v + 1}`);
    const test = join(root, 'Test', videos[v]);
    const gt = join(root, 'Test', `${videos[v]}_gt`);
    for (const dir of [train, test, gt]) mkdirSync(dir, { recursive: true });
    for (let f = 0; f < frames; f++) {
      const file = `${String(f + 1).padStart(3, '0')}`;
      writeFileSync(join(train, `${file}.tif`), tiffBytes(framePixels(v, f)));
      writeFileSync(join(test, `${file}.bmp`), bmpBytes(framePixels(v + 3, f), 3));
      writeFileSync(join(gt, `${file}.bmp`), bmpBytes(maskPixels(v, f), 1));
    }
  }
  writeFileSync(join(root, 'Test', 'UCSDped2.m'), groundTruthScript());
  return { root, videos };
}

/** The expected labels of the three test videos. */
export function labelArrays(frames = 20): Uint8Array[] {
  return ANOMALOUS.map((anomalous) => {
    const labels = new Uint8Array(frames);
    for (const f of anomalous) labels[f] = 1;
    return labels;
  });
}

/** A level-5 .mat file with a 1 x K cell `gt` of (2, k) double arrays [start; end] (1-based), as ped2.mat. */
export function matBytes(rangesPerVideo: readonly [number, number][][]): Buffer {
  const header = Buffer.alloc(128, ' ');
  header.write('MATLAB 5.0 MAT-file, written by the Normality tests', 0, 'latin1');
  header.fill(0, 116, 124);
  header.writeUInt16LE(0x0100, 124);
  header.write('IM', 126, 'latin1');
  const cells = rangesPerVideo.map((ranges) => {
    const k = ranges.length;
    const values = new Float64Array(2 * k);
    ranges.forEach(([a, b], j) => { values[2 * j] = a; values[2 * j + 1] = b; }); // column-major [start; end]
    return matrix(6, k ? [2, k] : [0, 0], '', [element(9, Buffer.from(values.buffer))]);
  });
  return Buffer.concat([header, matrix(1, [1, cells.length], 'gt', cells)]);
}

function element(type: number, data: Buffer): Buffer {
  const tag = Buffer.alloc(8);
  tag.writeUInt32LE(type, 0);
  tag.writeUInt32LE(data.length, 4);
  return Buffer.concat([tag, data, Buffer.alloc((8 - (data.length % 8)) % 8)]);
}

function matrix(mxClass: number, dims: number[], name: string, body: Buffer[]): Buffer {
  const flags = Buffer.alloc(8);
  flags.writeUInt32LE(mxClass, 0);
  const dimsData = Buffer.alloc(4 * dims.length);
  dims.forEach((d, i) => dimsData.writeInt32LE(d, 4 * i));
  return element(14, Buffer.concat([element(6, flags), element(5, dimsData), element(1, Buffer.from(name, 'latin1')), ...body]));
}
