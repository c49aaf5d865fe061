/**
 * Video data for the CLI and the reproductions: one split of a frame folder (either layout of
 * `loadVideoDataset`) decoded once into the frame cache at the model's size, shown with a progress bar.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadVideoDataset, toVideoSet } from '../data/video/index.js';
import type { Detector } from '../detector/types.js';
import { fileNotFound, invalidArgument } from '../errors.js';
import { sharedDataRoot, withDefaultDataHint } from './datasets.js';
import type { VideoSet } from '../detector/video.js';
import { progress } from '../report/progress.js';
import { printTable } from '../report/table.js';
import { unscoredNote, type VideoEvaluation } from '../detector/video-eval.js';

export interface VideoSplitOptions {
  split: 'train' | 'test';
  /** Square frames of this many pixels (the models are built for a fixed size). */
  size: number;
  channels: 1 | 3;
  /** Only the first N videos of the split (--max-train, --max-test, --quick); undefined: all. */
  maxVideos?: number;
  /** The test labels' file or folder (--labels); default: found beside the videos. */
  labels?: string;
  quiet?: boolean;
}

export async function loadVideoSplit(root: string, o: VideoSplitOptions): Promise<VideoSet> {
  let bar: ReturnType<typeof progress> | undefined;
  const dataset = await loadVideoDataset(root, {
    split: o.split, size: o.size, channels: o.channels, maxVideos: o.maxVideos, labels: o.labels,
    onProgress: (done: number, total: number) => {
      bar ??= progress({ total, label: `decoding ${o.split} frames at ${o.size}×${o.size}`, unit: 'frame', silent: o.quiet });
      bar.tick(done - bar.count);
    },
  });
  bar?.done();
  return toVideoSet(dataset);
}

/** The `--data` folder of `--dataset video` (default: UCSD Ped2 in ../shared/data). */
export function videoRoot(data: string | undefined): string {
  if (data !== undefined) return data;
  const root = join(sharedDataRoot(), 'ucsd-ped2');
  if (!existsSync(root)) throw withDefaultDataHint(fileNotFound(root, 'UCSD Ped2, the default video dataset,'));
  return root;
}

/**
 * The frame size and channels a video detector was built for. A --frame-size given to test or score (a
 * config shared with train) must be that size: frames at another size cannot go through the network.
 */
export function videoFormat(detector: Detector<unknown>, frameSize = 0): { size: number; channels: 1 | 3 } {
  const { height, width, channels } = detector.config as { height: number; width: number; channels: 1 | 3 };
  if (height !== width) throw invalidArgument('frame size', 'square frames (height = width)', `${height}×${width}`);
  if (frameSize !== 0 && frameSize !== height) {
    throw invalidArgument('--frame-size', `${height}, the size this ${detector.modelName} checkpoint was trained at (or leave it out)`, frameSize);
  }
  return { size: height, channels };
}

/** How a run names the videos it used: 'the 16 training videos', or under a limit 'the first 2 training videos'. */
export function videoCount(set: VideoSet, maxVideos: number | undefined, split: 'training' | 'test'): string {
  const n = set.videos.length;
  if (!(maxVideos && maxVideos <= n)) return `the ${n} ${split} video${n === 1 ? '' : 's'}`;
  return n === 1 ? `the first ${split} video` : `the first ${n} ${split} videos`;
}

/** Each test video's frames and AUC as a table, then which videos were too short to score, if any. */
export function printVideoEvaluation(test: VideoSet, evaluation: VideoEvaluation): void {
  printTable(test.videos.map((v, i) => ({ video: v.name, frames: v.length, auc: evaluation.videoAucs[i] ?? NaN })), { precision: 4, whole: ['frames'] });
  const note = unscoredNote(evaluation);
  if (note) console.log(note);
  const oneClass = test.videos.filter((v, i) => Number.isNaN(evaluation.videoAucs[i]) && !evaluation.unscoredVideos.includes(v.name)).map((v) => v.name);
  if (oneClass.length > 0) console.log(`no AUC of its own, and left out of the per-video mean: ${oneClass.length} test video${oneClass.length === 1 ? '' : 's'} whose scored frames are all of one class (${oneClass.join(', ')})`);
}
