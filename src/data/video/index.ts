/**
 * Video anomaly datasets (UCSD Ped1/Ped2, CUHK Avenue, ShanghaiTech) as plain typed arrays:
 * find the videos, decode every frame once into the cache, read frames and clips back as
 * bytes or [−1, 1] floats, and read the frame-level ground truth.
 *
 *     const test = await loadVideoDataset('data/ucsd-ped2', { split: 'test', size: 256, channels: 1 });
 *     const clips = memaeClips(test.frameCounts);               // (video, start) of every 16-frame clip
 *     const batches = new ClipBatches(test.frames, clips);
 *     const x = batches.clips(ids);                              // (B, 1, 16, 256, 256) in [−1, 1]
 *     const scored = clipScoresToFrames(clips, scores, test.videos.length);
 *     const labels = labelsAtFrames(test.labels!, scored);       // aligned with scored[v].scores
 */
import { join } from 'node:path';
import { checkOptionKeys, requireOptions } from '../../config/option-keys.js';
import { invalidArgument } from '../../errors.js';
import { checkMaxCount } from '../max-count.js';
import { cacheVideos, type CacheOptions } from './cache.js';
import { checkFrameFormat, frameBytes, type FrameFormat } from './frame-format.js';
import { CachedFrames } from './frame-store.js';
import { findLabelSource, readFrameLabels, type LabelFormat } from './labels.js';
import { listVideos, type VideoLayout, type VideoSplit } from './layouts.js';

export * from './layouts.js';
export * from './labels.js';
export { parseGroundTruthScript } from './gt-script.js';
export * from './frame-format.js';
export { packFrames, type PackOptions, type PackReport } from './pack.js';
export { cacheVideos, cacheFolder, type CachedVideo, type CacheOptions, type CacheResult } from './cache.js';
export { defaultWorkers, type DecodeOptions } from './decode-pool.js';
export * from './frame-store.js';
export * from './clips.js';
export * from './clip-batches.js';
export * from './frame-stream.js';
export * from './video-file.js';

export interface LoadVideoOptions extends CacheOptions {
  split: VideoSplit;
  /** 1: gray (MemAE), 3: RGB (MNAD). */
  channels: 1 | 3;
  /** Training resolution: a number for square frames, or { width, height }. Default 256. */
  size?: number | { width: number; height: number };
  /** Force a layout instead of detecting it. */
  layout?: VideoLayout;
  /**
   * Test labels: a label file or folder (see labels.ts), `false` for none, or undefined to look
   * for UCSDped*.m, *.mat, frame_labels_*.npy, testing/test_frame_mask or UCSD _gt masks.
   */
  labels?: string | false;
  /** Read all frames into memory after caching. Default: when they take less than 2 GiB. */
  preload?: boolean;
  /** Only the split's first N videos, in name order (the others are not decoded). Default: all. */
  maxVideos?: number;
}

export interface VideoInfo {
  name: string;
  frameCount: number;
  /** The video's frame folder and its frame files, in order. */
  dir: string;
  files: string[];
}

export interface VideoDataset {
  root: string;
  layout: VideoLayout;
  split: VideoSplit;
  format: FrameFormat;
  videos: VideoInfo[];
  frameCounts: number[];
  totalFrames: number;
  /** The preprocessed frames, (C, H, W) bytes each; see FrameSource.readFrames and ClipBatches. */
  frames: CachedFrames;
  /** Test split: 1 = anomalous frame, one array per video (absent when no labels were found or asked for). */
  labels?: Uint8Array[];
  labelFormat?: LabelFormat;
  labelSource?: string;
  /** What caching cost in this call: frames decoded (0 = all from the cache) and seconds taken. */
  cache: { decodedFrames: number; seconds: number };
}

const PRELOAD_LIMIT = 2 * 1024 ** 3;
const VIDEO_OPTION_KEYS: readonly (keyof LoadVideoOptions)[] = [
  'split', 'channels', 'size', 'layout', 'labels', 'preload', 'maxVideos', 'cacheDir', 'workers', 'onProgress',
];

/** List a split's videos, decode them into the cache (once), and read the test labels. */
export async function loadVideoDataset(root: string, options: LoadVideoOptions): Promise<VideoDataset> {
  requireOptions('loadVideoDataset', options, "split ('train' or 'test') and channels (1 or 3)", "loadVideoDataset('data/ucsd-ped2', { split: 'test', channels: 1, size: 256 })");
  checkOptionKeys('loadVideoDataset', options, VIDEO_OPTION_KEYS);
  const format = toFormat(options.size ?? 256, options.channels);
  const { maxVideos } = options;
  checkMaxCount('options.maxVideos', maxVideos, 'videos');
  const listing = listVideos(root, options.split, options.layout);
  const counts = listing.videos.map((v) => ({ name: v.name, frameCount: v.frames.length, maskDir: v.maskDir }));
  // Labels before decoding: a label file that does not fit the videos fails in a moment, not after minutes.
  // They are read for every video of the split, since one file often holds them all, and cut afterwards.
  let labels: ReturnType<typeof readFrameLabels> | undefined;
  if (options.split === 'test' && options.labels !== false) {
    const searchDirs = listing.layout === 'frames' ? [listing.root, join(listing.root, 'testing')] : [listing.dir, listing.root];
    const source = options.labels ?? findLabelSource(searchDirs, counts);
    if (source) labels = readFrameLabels(source, counts);
  }
  const videos = listing.videos.slice(0, maxVideos);
  const cached = await cacheVideos(listing.root, listing.split, videos, format, options);
  const frames = new CachedFrames(cached.videos, format);
  const frameCounts = videos.map((v) => v.frames.length);
  const totalFrames = frameCounts.reduce((a, b) => a + b, 0);
  if (options.preload ?? totalFrames * frameBytes(format) < PRELOAD_LIMIT) frames.preload();
  return {
    root: listing.root,
    layout: listing.layout,
    split: listing.split,
    format,
    videos: videos.map((v) => ({ name: v.name, frameCount: v.frames.length, dir: v.dir, files: v.frames })),
    frameCounts,
    totalFrames,
    frames,
    ...(labels ? { labels: labels.perVideo.slice(0, videos.length), labelFormat: labels.format, labelSource: labels.source } : {}),
    cache: { decodedFrames: cached.decodedFrames, seconds: cached.seconds },
  };
}

function toFormat(size: number | { width: number; height: number }, channels: 1 | 3): FrameFormat {
  const valid = typeof size === 'number' ? Number.isInteger(size) && size >= 1 : size != null && typeof size === 'object';
  if (!valid) throw invalidArgument('options.size', 'a whole number of pixels >= 1 (square frames) or { width, height }', size);
  const format = typeof size === 'number' ? { width: size, height: size, channels } : { width: size?.width, height: size?.height, channels };
  checkFrameFormat(format, 'options');
  return format;
}
export { toVideoSet } from './video-set.js';
