/**
 * A compact copy of a video frame dataset at its training resolution, to move to a GPU machine that takes
 * only so many bytes at a time. Every frame goes through the loader's own preprocessing (frame-format.ts:
 * gray or RGB, bilinear resize) and is written as a JPEG of that size in the MNAD layout
 * (`<out>/{training,testing}/frames/<video>/<n>.jpg`), beside the dataset's frame-label files. Loading the
 * copy at the same size then skips the resize, and differs from loading the original only by the JPEG's loss.
 *
 * UCSD Ped2 (109 MB of 360×240 JPEGs), 256×256 gray at quality 80: about 9 KiB a frame, 40 MiB in all, mean
 * absolute difference 1.4 grey levels from the loader's frames of the originals.
 */
import { cpSync, existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { makeFolders } from '../../checkpoint/folders.js';
import { invalidArgument } from '../../errors.js';
import { checkFrameFormat, frameBytes, readFrameInto, type FrameFormat } from './frame-format.js';
import { listVideos, splitDir, type VideoSplit } from './layouts.js';

export interface PackOptions extends FrameFormat {
  /** JPEG quality, 1–100 (default 80). */
  quality?: number;
  /** Which splits to copy (default both). */
  splits?: readonly VideoSplit[];
  /** Called after each video. */
  onVideo?: (split: VideoSplit, name: string, frames: number) => void;
}

export interface PackReport {
  frames: number;
  bytes: number;
  /** Mean absolute difference, in grey levels, between the copy's frames and the loader's frames of the originals. */
  meanAbsoluteError: number;
  /** The label files and folders copied beside the frames. */
  labels: string[];
}

// What findLabelSource (labels.ts) looks for, at the root or in the test split's folder.
const LABEL_FILE = /(\.m|\.mat|^frame_labels.*\.npy)$/i;

export function packFrames(root: string, out: string, options: PackOptions): PackReport {
  const { quality = 80, splits = ['train', 'test'] } = options;
  const format: FrameFormat = { width: options.width, height: options.height, channels: options.channels };
  checkFrameFormat(format, 'options');
  if (!Number.isInteger(quality) || quality < 1 || quality > 100) throw invalidArgument('quality', 'a JPEG quality from 1 to 100', quality);
  const size = frameBytes(format);
  const frame = new Uint8Array(size);
  const back = new Uint8Array(size);
  const rgba = new Uint8Array(format.width * format.height * 4);
  let frames = 0;
  let bytes = 0;
  let absoluteError = 0;
  for (const split of splits) {
    const listing = listVideos(root, split);
    for (const video of listing.videos) {
      const folder = join(splitDir(out, 'frames', split), video.name);
      makeFolders(folder);
      video.frames.forEach((file, i) => {
        readFrameInto(file, format, frame);
        toRgba(frame, format, rgba);
        const encoded = jpeg.encode({ data: rgba, width: format.width, height: format.height }, quality).data;
        const path = join(folder, `${String(i).padStart(4, '0')}.jpg`);
        writeFileSync(path, encoded);
        readFrameInto(path, format, back);
        for (let k = 0; k < size; k++) absoluteError += Math.abs(back[k]! - frame[k]!);
        bytes += encoded.length;
        frames++;
      });
      options.onVideo?.(split, video.name, video.frames.length);
    }
  }
  return { frames, bytes, meanAbsoluteError: absoluteError / Math.max(1, frames * size), labels: copyLabels(root, out, splits) };
}

/** (C, H, W) bytes of one frame as the RGBA pixels jpeg-js encodes. */
function toRgba(frame: Uint8Array, format: FrameFormat, rgba: Uint8Array): void {
  const plane = format.width * format.height;
  for (let p = 0; p < plane; p++) {
    const r = frame[p]!;
    rgba[p * 4] = r;
    rgba[p * 4 + 1] = format.channels === 3 ? frame[plane + p]! : r;
    rgba[p * 4 + 2] = format.channels === 3 ? frame[2 * plane + p]! : r;
    rgba[p * 4 + 3] = 255;
  }
}

/**
 * The frame-label files where the loader looks for them (findLabelSource: the root and the test split's
 * folder), copied to the copy's root, and a test_frame_mask folder to its testing/ folder.
 */
function copyLabels(root: string, out: string, splits: readonly VideoSplit[]): string[] {
  if (!splits.includes('test')) return [];
  const test = listVideos(root, 'test');
  const searched = test.layout === 'frames' ? [test.root, join(test.root, 'testing')] : [test.dir, test.root];
  const copied: string[] = [];
  for (const dir of searched.filter((d) => existsSync(d))) {
    for (const name of readdirSync(dir)) {
      const source = join(dir, name);
      const target = statSync(source).isFile() ? (LABEL_FILE.test(name) ? name : undefined) : name === 'test_frame_mask' ? join('testing', name) : undefined;
      if (target === undefined || copied.includes(target)) continue;
      cpSync(source, join(out, target), { recursive: true });
      copied.push(target);
    }
  }
  return copied;
}
