/**
 * Decode every frame of a video once and keep the preprocessed bytes on disk, so
 * later epochs and runs read raw bytes instead of decoding JPEGs again.
 *
 * One file per video, `(T, C, H, W)` uint8 after channel conversion and resize (see
 * frame-format.ts), under `$NORMALITY_CACHE` (else `~/.cache/normality`):
 *
 *     video-frames/<dataset folder>-<hash of its path>/<split>/<W>x<H>-<gray|rgb>/<video>-<key>.frames
 *
 * `key` hashes the video folder, the format and every frame file's name and version
 * (size, modification and change time): a changed, added or removed frame makes a new entry (and the
 * stale one is deleted). A file is an 8-byte magic `NRMVID01`, a uint32 (LE) header
 * length, a JSON header, then the frame bytes; written under a temporary name and
 * renamed, so an interrupted run leaves no half entry.
 */
import { closeSync, openSync, readdirSync, readSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { makeFolders } from '../../checkpoint/folders.js';
import { basename, join, resolve } from 'node:path';
import { badFile } from '../../errors.js';
import { cacheKey, cacheRoot, fileVersion } from '../cache.js';
import { decodeJobs, type DecodeOptions } from './decode-pool.js';
import { checkFrameFormat, frameBytes, type FrameFormat } from './frame-format.js';
import type { VideoEntry, VideoSplit } from './layouts.js';

const MAGIC = 'NRMVID01';
const VERSION = 1;

/** One video's cache file and where its frame bytes start. */
export interface CachedVideo {
  name: string;
  frameCount: number;
  file: string;
  dataOffset: number;
}

export interface CacheOptions extends DecodeOptions {
  /** Cache folder; default $NORMALITY_CACHE, else ~/.cache/normality. */
  cacheDir?: string;
}

export interface CacheResult {
  videos: CachedVideo[];
  /** Frames decoded in this call (0 when everything came from the cache). */
  decodedFrames: number;
  seconds: number;
}

/** The cache files of a split's videos, decoding the videos that have none yet. */
export async function cacheVideos(
  root: string, split: VideoSplit, videos: readonly VideoEntry[], format: FrameFormat, options: CacheOptions = {},
): Promise<CacheResult> {
  checkFrameFormat(format);
  const started = performance.now();
  const dir = cacheFolder(root, split, format, options.cacheDir);
  const result: CachedVideo[] = new Array(videos.length);
  const missing: { video: VideoEntry; index: number; file: string }[] = [];
  videos.forEach((video, index) => {
    const file = join(dir, `${safeName(video.name)}-${videoKey(video, format)}.frames`);
    const cached = readHeader(file, video.frames.length, format);
    if (cached) result[index] = { name: video.name, frameCount: video.frames.length, file, dataOffset: cached };
    else missing.push({ video, index, file });
  });
  if (missing.length) makeFolders(dir);
  await decodeJobs(missing.map(({ video, index, file }) => ({
    files: video.frames,
    done: (data: Uint8Array) => {
      const dataOffset = writeEntry(file, { version: VERSION, name: video.name, frames: video.frames.length, ...format }, data);
      removeStale(dir, video.name, file);
      result[index] = { name: video.name, frameCount: video.frames.length, file, dataOffset };
    },
  })), format, options);
  const decodedFrames = missing.reduce((sum, m) => sum + m.video.frames.length, 0);
  return { videos: result, decodedFrames, seconds: (performance.now() - started) / 1000 };
}

/** The folder of one dataset split at one format. */
export function cacheFolder(root: string, split: VideoSplit, format: FrameFormat, cacheDir?: string): string {
  const absolute = resolve(root);
  const dataset = `${safeName(basename(absolute))}-${cacheKey(absolute)}`;
  return join(cacheDir ?? cacheRoot(), 'video-frames', dataset, split, `${format.width}x${format.height}-${format.channels === 1 ? 'gray' : 'rgb'}`);
}

/** Hash of the video folder, the format and each frame's name and version (size and times). */
function videoKey(video: VideoEntry, format: FrameFormat): string {
  const files = video.frames.map((file) => {
    try {
      const s = statSync(file);
      return `${basename(file)}:${fileVersion(s)}`;
    } catch {
      throw badFile(file, 'disappeared while the video was being read');
    }
  });
  return cacheKey(JSON.stringify({ version: VERSION, dir: resolve(video.dir), format: [format.width, format.height, format.channels], files }));
}

/** The data offset of a complete, matching cache file, or undefined. */
function readHeader(file: string, frames: number, format: FrameFormat): number | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const prefix = Buffer.alloc(12);
    if (readSync(fd, prefix, 0, 12, 0) !== 12 || prefix.toString('latin1', 0, 8) !== MAGIC) return undefined;
    const length = prefix.readUInt32LE(8);
    const json = Buffer.alloc(length);
    if (readSync(fd, json, 0, length, 12) !== length) return undefined;
    const header = JSON.parse(json.toString('utf8')) as Record<string, unknown>;
    const dataOffset = 12 + length;
    const matches = header.version === VERSION && header.frames === frames && header.width === format.width
      && header.height === format.height && header.channels === format.channels;
    const complete = statSync(file).size === dataOffset + frames * frameBytes(format);
    return matches && complete ? dataOffset : undefined;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** Write a cache file atomically; returns where the frame bytes start. */
function writeEntry(file: string, header: object, data: Uint8Array): number {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(12);
  prefix.write(MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(json.length, 8);
  const temporary = `${file}.partial-${process.pid}`;
  try {
    const fd = openSync(temporary, 'w');
    try {
      writeFileSync(fd, prefix);
      writeFileSync(fd, json);
      writeFileSync(fd, data);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw badFile(file, `could not be written to the frame cache (${(error as Error).message})`,
      'Free some disk space, or set NORMALITY_CACHE to a folder with room.');
  }
  return 12 + json.length;
}

/** Delete the video's older cache files (other keys). */
function removeStale(dir: string, name: string, keep: string): void {
  const pattern = new RegExp(`^${safeName(name).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-[0-9a-f]{16}\\.frames$`);
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (pattern.test(entry) && path !== keep) rmSync(path, { force: true });
  }
}

/** The name as a file name; names that had to change get a hash so two videos never share one. */
function safeName(name: string): string {
  return /^[A-Za-z0-9._-]+$/.test(name) ? name : `${name.replace(/[^A-Za-z0-9._-]/g, '_')}_${cacheKey(name).slice(0, 6)}`;
}
