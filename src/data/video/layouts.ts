/**
 * Find the videos of a video anomaly dataset and the frame files of each video.
 *
 * Two layouts:
 * - 'frames' (MNAD / ano_pred_cvpr2018, used for Ped2, Avenue, ShanghaiTech):
 *   `<root>/training/frames/<video>/<n>.jpg` and `<root>/testing/frames/<video>/<n>.jpg`.
 * - 'ucsd' (the UCSD archive as shipped): `<root>/Train/Train001/001.tif` and
 *   `<root>/Test/Test001/001.tif`, with pixel masks in `<root>/Test/Test001_gt/001.bmp`
 *   (the `_gt` folders are masks, not videos).
 *
 * Videos come in natural name order (`2` before `10`), frames too: numbering from
 * 000 or 1, with or without zero padding, all sort as numbers.
 */
import { readdirSync, type Dirent } from 'node:fs';
import { join, resolve } from 'node:path';
import { badFile, fileNotFound, invalidArgument } from '../../errors.js';
import { naturalCompare } from '../folders.js';
import { entryIs } from '../files.js';

export type VideoSplit = 'train' | 'test';
export type VideoLayout = 'frames' | 'ucsd';

export interface VideoEntry {
  /** The video's folder name (`01`, `Test001`). */
  name: string;
  /** Absolute path of the video's folder. */
  dir: string;
  /** Absolute paths of the frame files, in frame order. */
  frames: string[];
  /** UCSD only: the video's pixel-mask folder (`Test001_gt`), when there is one. */
  maskDir?: string;
}

export interface VideoListing {
  root: string;
  layout: VideoLayout;
  split: VideoSplit;
  /** The folder that holds the split's video folders. */
  dir: string;
  videos: VideoEntry[];
}

/** Frame file names the image decoder reads. */
export const FRAME_EXTENSIONS = /\.(jpe?g|png|tiff?|bmp)$/i;

const LAYOUTS = 'either <root>/training/frames/<video>/<n>.jpg and <root>/testing/frames/<video>/<n>.jpg '
  + '(MNAD layout: Ped2, Avenue, ShanghaiTech) or <root>/Train/Train001/001.tif and <root>/Test/Test001/001.tif '
  + '(the UCSD archive, root = its UCSDped1 or UCSDped2 folder)';

/** Which layout the dataset at `root` uses (see the file comment). */
export function detectLayout(root: string): VideoLayout {
  const names = folderNames(root, 'Video dataset folder');
  if (names.includes('training') || names.includes('testing')) return 'frames';
  if (names.includes('Train') || names.includes('Test')) return 'ucsd';
  const nested = names.filter((name) => /^UCSDped\d$/i.test(name));
  const hint = nested.length ? ` It holds ${nested.join(' and ')}: pass one of those folders as the root.` : '';
  throw badFile(root, `holds no video dataset: expected ${LAYOUTS}`, hint.trim() || undefined);
}

/** The split's folder for a layout, e.g. `<root>/testing/frames` or `<root>/Test`. */
export function splitDir(root: string, layout: VideoLayout, split: VideoSplit): string {
  if (layout === 'frames') return join(root, split === 'train' ? 'training' : 'testing', 'frames');
  return join(root, split === 'train' ? 'Train' : 'Test');
}

/** The videos of one split, each with its frame files in order. */
export function listVideos(root: string, split: VideoSplit, layout?: VideoLayout): VideoListing {
  if (split !== 'train' && split !== 'test') throw invalidArgument('split', "'train' or 'test'", split);
  const absoluteRoot = resolve(root);
  const found = layout ?? detectLayout(absoluteRoot);
  const dir = splitDir(absoluteRoot, found, split);
  const example = found === 'frames'
    ? `${dir}/<video>/<n>.jpg, e.g. ${dir}/01/000.jpg`
    : `${dir}/${split === 'train' ? 'Train' : 'Test'}001/001.tif`;
  // ShanghaiTech ships its training split as video files (training/videos/01_001.avi): frames come first.
  const videosBeside = found === 'frames' && dirEntryExists(join(dir, '..', 'videos'));
  const fix = videosBeside
    ? `Expected the ${found} layout: ${example}. ${join(dir, '..', 'videos')} holds videos: extract each one's frames first, e.g. ffmpeg -i videos/01_001.avi frames/01_001/%03d.jpg.`
    : `Expected the ${found} layout: ${example}.`;
  const entries = dirEntries(dir, `The ${split} split's folder`, fix);
  const folders = entries.filter((e) => entryIs(dir, e, 'folder')).map((e) => e.name);
  const masks = new Set(folders.filter((name) => /_gt$/i.test(name)));
  const videoNames = folders.filter((name) => !masks.has(name) && !name.startsWith('.')).sort(naturalCompare);
  if (videoNames.length === 0) throw badFile(dir, `has no video folders: expected ${example}`);
  const videos = videoNames.map((name): VideoEntry => {
    const videoDir = join(dir, name);
    const frames = listFrames(videoDir, `Expected ${example}.`);
    const maskName = [...masks].find((m) => m.toLowerCase() === `${name}_gt`.toLowerCase());
    return maskName ? { name, dir: videoDir, frames, maskDir: join(dir, maskName) } : { name, dir: videoDir, frames };
  });
  return { root: absoluteRoot, layout: found, split, dir, videos };
}

/** The image files of one folder in natural order; an empty folder is an error. */
export function listFrames(dir: string, fix?: string): string[] {
  const files = dirEntries(dir, 'Frame folder', fix)
    .filter((e) => !e.name.startsWith('.') && FRAME_EXTENSIONS.test(e.name) && !entryIs(dir, e, 'folder'))
    .map((e) => e.name)
    .sort(naturalCompare);
  if (files.length === 0) {
    throw badFile(dir, 'has no frame images: expected files named by frame number with extension .jpg, .png, .tif or .bmp', fix);
  }
  checkNumbering(dir, files);
  return files.map((name) => join(dir, name));
}

/**
 * Frames are labelled by their place in the folder, so frame numbers must run on without a gap or a repeat:
 * a missing 010.jpg would shift every label after it by one frame, and 005.jpg beside 005.png would be
 * read as two frames. A constant step (every 5th frame kept) is fine. Names without a number are not checked.
 */
function checkNumbering(dir: string, files: string[]): void {
  if (files.length < 2) return;
  // The frame number is the run of digits that changes from name to name (frame_0001_v2.jpg: 0001, not 2).
  const runs = files.map((name) => name.replace(/\.[^.]+$/, '').match(/\d+/g) ?? []);
  const count = runs[0]!.length;
  if (count === 0 || runs.some((r) => r.length !== count)) return;
  const varying = Array.from({ length: count }, (_, k) => k).filter((k) => runs.some((r) => r[k] !== runs[0]![k]));
  if (varying.length > 1) return;
  const position = varying[0] ?? count - 1;
  const values = runs.map((r) => Number(r[position]));
  const step = values[1]! - values[0]!;
  for (let i = 1; i < values.length; i++) {
    if (values[i] === values[i - 1]) {
      throw badFile(dir, `has two frames numbered ${values[i]}: ${files[i - 1]} and ${files[i]}`, 'Keep one of them: each frame is one place in the video, and the labels count places.');
    }
    if (values[i]! - values[i - 1]! !== step) {
      const missing = step === 1 && values[i]! > values[i - 1]! ? `: frame ${values[i - 1]! + 1}${values[i]! - values[i - 1]! > 2 ? ` to ${values[i]! - 1}` : ''} is missing` : '';
      throw badFile(dir, `has a gap in its frame numbers between ${files[i - 1]} and ${files[i]}${missing}`,
        'Frames are labelled by their place in the folder, so a gap would shift the labels of every later frame. Restore the missing frames, or renumber the frames and their labels together.');
    }
  }
}

function dirEntryExists(path: string): boolean {
  try {
    readdirSync(path);
    return true;
  } catch {
    return false;
  }
}

function folderNames(dir: string, what: string): string[] {
  return dirEntries(dir, what, `Expected ${LAYOUTS}.`).filter((e) => entryIs(dir, e, 'folder')).map((e) => e.name);
}

function dirEntries(dir: string, what: string, fix?: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw fileNotFound(dir, what, fix);
    if (code === 'ENOTDIR') throw badFile(dir, `is a file, but ${what.toLowerCase()} should be a folder`, fix);
    throw badFile(dir, `cannot be read (${code ?? String(error)})`);
  }
}
