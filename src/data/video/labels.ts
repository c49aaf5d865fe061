/**
 * Frame-level ground truth of test videos: one Uint8Array per video, 1 = anomalous frame.
 *
 * Sources (readFrameLabels picks by the path):
 * - `*.m`   the UCSD scripts UCSDped1.m / UCSDped2.m (1-based inclusive ranges, gt-script.ts);
 * - `*.mat` ano_pred_cvpr2018's ped1/ped2/avenue.mat: a cell `gt`, one (2, k) array per video,
 *           column j = [start; end] of the j-th anomalous range, 1-based inclusive;
 * - `*.npy` MNAD's frame_labels_<dataset>.npy: (1, N) or (N,), all test videos concatenated in order;
 * - a folder of `<video>.npy` (ShanghaiTech test_frame_mask): (T,) labels, or (T, H, W) pixel masks;
 * - a folder of `<video>_gt` mask folders (UCSD): a frame is anomalous when its mask has a non-zero pixel.
 * Every source is checked against the frame counts; a mismatch names the file, the video and both lengths.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { badFile, fileNotFound, invalidArgument } from '../../errors.js';
import type { NumericArray } from '../arrays.js';
import { readBytes } from '../files.js';
import { readImage } from '../images.js';
import { readMat, type MatValue } from '../mat.js';
import { readNpy } from '../npy.js';
import { parseGroundTruthScript } from './gt-script.js';
import { listFrames } from './layouts.js';

export type LabelFormat = 'matlab-script' | 'mat' | 'concatenated-npy' | 'per-video-npy' | 'pixel-masks';

/** What a label reader needs to know of each test video. */
export interface VideoFrameCount {
  name: string;
  frameCount: number;
  /** UCSD pixel-mask folder of the video (`Test001_gt`), if any. */
  maskDir?: string;
}

export interface FrameLabels {
  format: LabelFormat;
  /** The file or folder the labels came from. */
  source: string;
  /** One array per video, `frameCount` long, 1 = anomalous. */
  perVideo: Uint8Array[];
}

/** Read frame labels from a file or folder, choosing the reader by what the path is (see above). */
export function readFrameLabels(source: string, videos: readonly VideoFrameCount[]): FrameLabels {
  checkVideos(videos);
  let isDir: boolean;
  try {
    isDir = statSync(source).isDirectory();
  } catch {
    throw fileNotFound(source, 'Label file', 'Pass a UCSDped2.m, ped2.mat or frame_labels_*.npy file, or a folder of <video>.npy or <video>_gt masks.');
  }
  if (isDir) {
    if (existsSync(join(source, `${videos[0].name}.npy`))) return labelsFromPerVideoNpy(source, videos);
    if (existsSync(join(source, `${videos[0].name}_gt`))) {
      return labelsFromPixelMasks(videos.map((v) => ({ ...v, maskDir: join(source, `${v.name}_gt`) })));
    }
    throw badFile(source, `holds neither ${videos[0].name}.npy nor ${videos[0].name}_gt: expected one <video>.npy label file or one <video>_gt mask folder per test video`);
  }
  switch (extname(source).toLowerCase()) {
    case '.m': return labelsFromGroundTruthScript(source, videos);
    case '.mat': return labelsFromMat(source, videos);
    case '.npy': return labelsFromConcatenatedNpy(source, videos);
    default:
      throw badFile(source, 'is not a label file this reader knows: expected a .m script (UCSDped2.m), a .mat file (ped2.mat) or a .npy array (frame_labels_ped2.npy)');
  }
}

/** Labels from a UCSD ground-truth script (UCSDped2.m). */
export function labelsFromGroundTruthScript(path: string, videos: readonly VideoFrameCount[]): FrameLabels {
  checkVideos(videos);
  const frames = parseGroundTruthScript(readBytes(path, 'Ground-truth script').toString('utf8'), path);
  return { format: 'matlab-script', source: path, perVideo: framesToLabels(frames, videos, path) };
}

/** Labels from a .mat file holding a cell `gt` of (2, k) [start; end] ranges, one cell per video. */
export function labelsFromMat(path: string, videos: readonly VideoFrameCount[]): FrameLabels {
  checkVideos(videos);
  const variables = readMat(path);
  const cells = Object.entries(variables).filter(([, value]) => value.dtype === 'cell');
  const chosen = variables.gt ?? (cells.length === 1 ? cells[0][1] : undefined);
  if (!chosen || chosen.dtype !== 'cell') {
    throw badFile(path, `has no cell array 'gt' of frame ranges: its variables are ${Object.keys(variables).join(', ') || '(none)'}`);
  }
  const frames = chosen.cells.map((cell, v) => rangesOfCell(cell, path, v));
  return { format: 'mat', source: path, perVideo: framesToLabels(frames, videos, path) };
}

/** Labels from one .npy array of all test frames, videos concatenated in order (MNAD's frame_labels_*.npy). */
export function labelsFromConcatenatedNpy(path: string, videos: readonly VideoFrameCount[]): FrameLabels {
  checkVideos(videos);
  const array = readNpy(path);
  const total = videos.reduce((sum, v) => sum + v.frameCount, 0);
  // A row (1, N), a flat (N,) or a column (N, 1), as numpy saves labels either way.
  if (array.shape.length > 2 || (array.shape.length === 2 && array.shape[0] !== 1 && array.shape[1] !== 1)) {
    throw badFile(path, `has shape (${array.shape.join(', ')}): expected (1, N), (N,) or (N, 1) frame labels of all test videos concatenated`);
  }
  if (array.data.length !== total) {
    const counts = videos.map((v) => `${v.name}: ${v.frameCount}`).join(', ');
    throw badFile(path, `holds ${array.data.length} frame labels but the ${videos.length} test videos have ${total} frames in all (${counts})`,
      'Check that the label file belongs to this dataset and that no frames are missing from or extra in the video folders.');
  }
  const all = binaryLabels(array, path);
  let offset = 0;
  const perVideo = videos.map((v) => all.slice(offset, (offset += v.frameCount)));
  return { format: 'concatenated-npy', source: path, perVideo };
}

/** Labels from a folder with `<video>.npy` per video: (T,) labels or (T, H, W) pixel masks. */
export function labelsFromPerVideoNpy(dir: string, videos: readonly VideoFrameCount[]): FrameLabels {
  checkVideos(videos);
  const perVideo = videos.map((video) => {
    const path = join(dir, `${video.name}.npy`);
    const array = readNpy(path);
    const { shape } = array;
    const frames = shape.length === 1 ? shape[0] : shape.length === 2 && shape[0] === 1 ? shape[1] : shape[0];
    if (frames !== video.frameCount) throw lengthMismatch(path, video, frames, 'labels');
    if (shape.length <= 1 || (shape.length === 2 && (shape[0] === 1 || shape[1] === 1))) return binaryLabels(array, path);
    return anyNonZeroPerFrame(array.data, frames);
  });
  return { format: 'per-video-npy', source: dir, perVideo };
}

/** Labels from UCSD pixel-mask folders: a frame is anomalous when its mask has any non-zero pixel. */
export function labelsFromPixelMasks(videos: readonly VideoFrameCount[]): FrameLabels {
  checkVideos(videos);
  const perVideo = videos.map((video) => {
    if (!video.maskDir) throw fileNotFound(`${video.name}_gt`, `Pixel-mask folder of test video ${video.name}`, 'Use the frame ranges of UCSDped1.m / UCSDped2.m instead: not every UCSD video has masks.');
    const masks = listFrames(video.maskDir);
    if (masks.length !== video.frameCount) throw lengthMismatch(video.maskDir, video, masks.length, 'mask images');
    const labels = new Uint8Array(masks.length);
    masks.forEach((mask, i) => { labels[i] = readImage(mask).data.some((p) => p !== 0) ? 1 : 0; });
    return labels;
  });
  return { format: 'pixel-masks', source: videos[0].maskDir ? join(videos[0].maskDir, '..') : '', perVideo };
}

/**
 * The label source of a dataset when none is given: a ground-truth script, a .mat file, a
 * frame_labels_*.npy, a test_frame_mask folder, or else UCSD mask folders. Undefined when none is found;
 * an error when two files of the first kind found could both be it.
 */
export function findLabelSource(searchDirs: readonly string[], videos: readonly VideoFrameCount[]): string | undefined {
  const files = searchDirs.filter((dir) => existsSync(dir)).flatMap((dir) => readdirSync(dir).map((name) => join(dir, name)));
  const kinds: ((path: string) => boolean)[] = [
    (p) => p.toLowerCase().endsWith('.m'),
    (p) => p.toLowerCase().endsWith('.mat'),
    (p) => /^frame_labels.*\.npy$/i.test(basename(p)),
    (p) => basename(p) === 'test_frame_mask' && statSync(p).isDirectory(),
  ];
  for (const kind of kinds) {
    const found = [...new Set(files.filter(kind))];
    if (found.length > 1) {
      throw badFile(searchDirs[0], `has several possible label files (${found.map((f) => basename(f)).join(', ')})`, "Choose one with --labels <file> (library: the 'labels' option).");
    }
    if (found.length === 1) return found[0];
  }
  if (videos.length > 0 && videos.every((v) => v.maskDir)) return join(videos[0].maskDir!, '..');
  return undefined;
}

/** 1-based frame numbers per video → labels, checking the video count and every frame number. */
function framesToLabels(frames: readonly number[][], videos: readonly VideoFrameCount[], path: string): Uint8Array[] {
  if (frames.length !== videos.length) {
    throw badFile(path, `has ground truth for ${frames.length} test videos but ${videos.length} were found (${videos.map((v) => v.name).join(', ')})`,
      'Check that the label file belongs to this dataset.');
  }
  return videos.map((video, v) => {
    const labels = new Uint8Array(video.frameCount);
    for (const frame of frames[v]) {
      if (frame < 1 || frame > video.frameCount) {
        throw badFile(path, `marks frame ${frame} of test video ${video.name} (video ${v + 1}) anomalous but that video has frames 1 to ${video.frameCount}`,
          'Check that the label file belongs to this dataset and that no frames are missing from the video folder.');
      }
      labels[frame - 1] = 1;
    }
    return labels;
  });
}

/** The 1-based frames of one .mat cell: (2, k) columns [start; end], or one [start, end] pair. */
function rangesOfCell(cell: MatValue, path: string, v: number): number[] {
  if (cell.dtype === 'cell') throw badFile(path, `has a nested cell for test video ${v + 1} in 'gt': expected a (2, k) array of [start; end] ranges`);
  const values = Array.from(cell.data as ArrayLike<number | bigint>, Number);
  const [rows, cols] = cell.shape.length === 1 ? [1, cell.shape[0]] : cell.shape;
  if (values.length === 0) return [];
  let pairs: [number, number][];
  if (rows === 2) pairs = Array.from({ length: cols }, (_, j) => [values[j], values[cols + j]]);
  else if (cols === 2) pairs = Array.from({ length: rows }, (_, i) => [values[2 * i], values[2 * i + 1]]);
  else throw badFile(path, `has an array of shape (${cell.shape.join(', ')}) for test video ${v + 1} in 'gt': expected (2, k) columns [start; end]`);
  const frames: number[] = [];
  for (const [start, end] of pairs) for (let f = start; f <= end; f++) frames.push(f);
  return frames;
}

/** 0/1 labels of a label array; any other value is an error naming the file and the position. */
function binaryLabels(array: NumericArray, path: string): Uint8Array {
  const out = new Uint8Array(array.data.length);
  for (let i = 0; i < out.length; i++) {
    const value = Number(array.data[i]);
    if (value !== 0 && value !== 1) {
      throw badFile(path, `holds the value ${value} at position ${i}: expected frame labels 0 (normal) or 1 (anomalous)`,
        'Is this a score file or a pixel mask? Masks must have shape (T, H, W).');
    }
    out[i] = value;
  }
  return out;
}

/** (T, ...) masks → 1 for each frame with a non-zero value. */
function anyNonZeroPerFrame(data: NumericArray['data'], frames: number): Uint8Array {
  const out = new Uint8Array(frames);
  const size = frames === 0 ? 0 : data.length / frames;
  for (let t = 0; t < frames; t++) {
    for (let i = t * size; i < (t + 1) * size; i++) {
      if (Number(data[i]) !== 0) { out[t] = 1; break; }
    }
  }
  return out;
}

function lengthMismatch(path: string, video: VideoFrameCount, found: number, what: string) {
  return badFile(path, `has ${found} ${what} for video ${video.name} but the video has ${video.frameCount} frames`,
    'Check that the labels belong to this dataset and that no frames are missing from the video folder.');
}

function checkVideos(videos: readonly VideoFrameCount[]): void {
  if (!Array.isArray(videos) || videos.length === 0) {
    throw invalidArgument('videos', 'at least one test video as { name, frameCount }', videos);
  }
}
