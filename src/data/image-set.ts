/**
 * A user's own images, as a production line or an inspection camera gives them, in one of two layouts:
 *
 * - labelled, the MVTec AD layout of one category: `<root>/train/good/*` (normal images to train on;
 *   images directly in `train/` work too), `<root>/test/good/*` (normal, label 0) and
 *   `<root>/test/<defect>/*` (any other folder: anomalies, label 1); with `<root>/ground_truth/<defect>/
 *   <name>_mask.png`, the pixel masks of the anomalous test images as well;
 * - unlabelled: images directly in `<root>`: all of them train, and all of them are scored in name order;
 *   `<root>` may also be one image file, to score that one image.
 *
 * Every image is converted to the network's channels and resized to its input (aspect ratio not kept,
 * as anomalib's resize does): halved by 2×2 averaging while it is at least twice the target, so that a
 * large photo is not aliased, then resized bilinearly. Pixel values come out in [0, 1]. The fitted
 * images are cached on disk (cache.ts), so train, test and score decode a set of large photos once.
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { checkOptionKeys, requireOptions } from '../config/option-keys.js';
import { badFile, fileNotFound, invalidArgument } from '../errors.js';
import { takeSamples, type ArrayDataset } from './arrays.js';
import { entryIs } from './files.js';
import { naturalCompare } from './folders.js';
import { readImage, readImageSize, type Image } from './images.js';
import { toChwBytes, toGrayscale, toRgb } from './pixels.js';
import { cacheKey, cacheRoot, fileVersion, readCacheFile, writeCacheFile } from './cache.js';
import { checkMaxCount } from './max-count.js';
import { Rng } from './random.js';
import { resizeBilinear } from './resize.js';
import { checkFrameFormat } from './video/frame-format.js';

const IMAGE_EXTENSIONS = /\.(jpe?g|png|bmp|tiff?)$/i;
/** Images of formats not read here: left out of a folder, and said so (ImageSet.skipped), not dropped silently. */
const OTHER_IMAGE_EXTENSIONS = /\.(webp|gif|heic|heif|avif|jfif|jp2|j2k|svg|ico|pbm|pgm|ppm|pnm|psd|exr|hdr|dng|cr2|nef)$/i;
const NORMAL_FOLDER = 'good';
const GROUND_TRUTH_FOLDER = 'ground_truth';
const CACHE_VERSION = 1;

export interface ImageSetOptions {
  /** The network's input: channels (1 gray, 3 RGB), height and width (whole numbers of pixels, 1 to 4096). */
  channels: 1 | 3;
  height: number;
  width: number;
  /** Keep at most this many (a whole number >= 1) training / test images: a seeded random subset, in name order. Default all. */
  maxTrain?: number;
  maxTest?: number;
  /** Seed of the subsets. Default 0. */
  seed?: number;
  /**
   * MVTec layout: read the test images (and masks) as well. Default true; training alone may leave them out,
   * so that a missing or broken test image does not stop it.
   */
  withTest?: boolean;
  /** Keep the fitted images in the on-disk cache (cache.ts), so the next load skips decoding. Default true. */
  cache?: boolean;
  /** Called after each decoded image (not for images read from the cache), for a progress bar. */
  onProgress?: (done: number, total: number, part: ImageSetPart) => void;
}

/** Which files of the root a decoding pass reads: the training or test images (MVTec layout), or the plain folder's. */
export type ImageSetPart = 'train' | 'test' | 'all';

export interface ImageSet {
  /** Normal images to train on; `files` names each one, relative to the root. */
  train: ArrayDataset;
  /** Images to score: labelled 0 (good) / 1 (anomaly) in the MVTec layout, unlabelled otherwise. */
  test: ArrayDataset;
  layout: 'mvtec' | 'flat';
  /** Image files left out because their format is not read here (.webp, .gif, ...), relative to the root. */
  skipped: string[];
  /**
   * MVTec layout: images left out because they lie outside the folders read, relative to the root: directly in
   * test/ (not in test/good or test/<defect>, so without a label), or in train/ beside train/good.
   */
  misplaced: string[];
}

/** Read an image set in either layout (see the file comment). */
export function loadImageSet(root: string, options: ImageSetOptions): ImageSet {
  checkImageSetOptions(options);
  const stats = statSync(root, { throwIfNoEntry: false });
  if (stats?.isFile()) {
    if (!IMAGE_EXTENSIONS.test(root)) {
      throw badFile(root, 'is not a .jpg, .jpeg, .png, .bmp, .tif or .tiff image, nor a folder of them', OTHER_IMAGE_EXTENSIONS.test(root) ? 'Convert it to PNG.' : undefined);
    }
    // One photo to check: a plain set of one image.
    const image = readImages(dirname(root), [basename(root)], options, 'all');
    return { train: image, test: image, layout: 'flat', skipped: [], misplaced: [] };
  }
  if (!isDirectory(root)) {
    throw fileNotFound(root, 'Image folder', 'Give a folder of images (or one image file to score), or one with train/good and test/<good|defect> folders (MVTec AD layout).');
  }
  const seed = options.seed ?? 0;
  const skipped: string[] = [];
  if (isDirectory(join(root, 'train'))) {
    const trainDir = isDirectory(join(root, 'train', NORMAL_FOLDER)) ? `train/${NORMAL_FOLDER}` : 'train';
    const trainFiles = subset(requireImages(root, trainDir, skipped), options.maxTrain, seed);
    const misplaced = trainDir === 'train' ? [] : looseImages(root, 'train');
    const readTest = options.withTest !== false;
    if (readTest && isDirectory(join(root, 'test'))) misplaced.push(...looseImages(root, 'test'));
    const test = readTest ? subset(labelledTestFiles(root, skipped), options.maxTest, seed + 1) : [];
    const masks = readMasks(root, test, options);
    const testImages = test.length > 0 ? readImages(root, test.map((t) => t.file), options, 'test') : { x: new Float32Array(0), shape: [0, options.channels, options.height, options.width], files: [] };
    return {
      train: readImages(root, trainFiles, options, 'train'),
      test: { ...testImages, labels: Int32Array.from(test, (t) => t.label), ...(masks ? { masks } : {}) },
      layout: 'mvtec',
      skipped,
      misplaced,
    };
  }
  // Train and test are drawn from the same files: decode each chosen file once.
  const files = requireImages(root, '', skipped);
  const all = files.map((_, i) => i);
  const trainPicks = subset(all, options.maxTrain, seed);
  const testPicks = subset(all, options.maxTest, seed + 1);
  const needed = [...new Set([...trainPicks, ...testPicks])].sort((a, b) => a - b);
  const decoded = readImages(root, needed.map((i) => files[i]!), options, 'all');
  const row = new Map(needed.map((index, k) => [index, k]));
  const pick = (picks: number[]) => (picks.length === needed.length ? decoded : takeSamples(decoded, picks.map((i) => row.get(i)!)));
  return { train: pick(trainPicks), test: pick(testPicks), layout: 'flat', skipped, misplaced: [] };
}

const IMAGE_SET_OPTION_KEYS: readonly (keyof ImageSetOptions)[] = ['channels', 'height', 'width', 'maxTrain', 'maxTest', 'seed', 'withTest', 'cache', 'onProgress'];

/** Every option checked before the folder is read: a bad size would otherwise surface only once an image is resized. */
function checkImageSetOptions(options: ImageSetOptions): void {
  requireOptions('loadImageSet', options, 'channels (1 or 3), height and width: the network\'s input in pixels',
    "loadImageSet('bottle/', { channels: 3, height: 32, width: 32 })");
  checkOptionKeys('loadImageSet', options, IMAGE_SET_OPTION_KEYS);
  checkFrameFormat(options, 'options');
  checkMaxCount('options.maxTrain', options.maxTrain, 'images');
  checkMaxCount('options.maxTest', options.maxTest, 'images');
  if (options.seed !== undefined && !Number.isInteger(options.seed)) {
    throw invalidArgument('options.seed', 'a whole number', options.seed, 'Pass a seed such as 0 or 42.');
  }
}

/** Convert and resize one decoded image to the network's input (see the file comment). */
export function fitImage(image: Image, options: { channels: 1 | 3; height: number; width: number }): Image {
  let fitted = options.channels === 3 ? toRgb(image) : toGrayscale(image);
  while (fitted.width >= 2 * options.width && fitted.height >= 2 * options.height) {
    fitted = resizeBilinear(fitted, Math.floor(fitted.width / 2), Math.floor(fitted.height / 2));
  }
  return resizeBilinear(fitted, options.width, options.height);
}

function isDirectory(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

/** The image files directly in `root/dir`, relative to root, in natural name order; hidden files (macOS `._x.png`) skipped. */
/** The images of one folder in natural name order; images of other formats go to `skipped`. */
function imagesIn(root: string, dir: string, skipped: string[] = []): string[] {
  const relative = (name: string) => (dir ? `${dir}/${name}` : name);
  const entries = readdirSync(join(root, dir), { withFileTypes: true }).filter((e) => !e.name.startsWith('.'));
  skipped.push(...entries.filter((e) => OTHER_IMAGE_EXTENSIONS.test(e.name)).map((e) => relative(e.name)));
  return entries
    .filter((e) => IMAGE_EXTENSIONS.test(e.name) && entryIs(join(root, dir), e, 'file'))
    .map((e) => e.name)
    .sort(naturalCompare)
    .map(relative);
}

function requireImages(root: string, dir: string, skipped: string[]): string[] {
  const before = skipped.length;
  const files = imagesIn(root, dir, skipped);
  if (files.length === 0) {
    const layout = 'Give a folder of normal images, or one with train/good and test/<good|defect> folders (MVTec AD layout).';
    // A folder of .webp photos (say) is not empty: say what was there and why it was not read.
    const here = skipped.slice(before);
    if (here.length > 0) {
      const some = here.slice(0, 3).map((file) => basename(file)).join(', ') + (here.length > 3 ? ', …' : '');
      throw badFile(join(root, dir), `holds no images of the formats read here (.jpg, .jpeg, .png, .bmp, .tif, .tiff): ` +
        `${countByExtension(here)} (${some}) ${here.length === 1 ? 'was' : 'were'} skipped, as ${here.length === 1 ? 'its format is' : 'their formats are'} not read`,
      `Convert ${here.length === 1 ? 'it' : 'them'} to PNG.${dir ? '' : ` ${layout}`}`);
    }
    throw badFile(join(root, dir), 'holds no images (.jpg, .jpeg, .png, .bmp, .tif, .tiff)', dir ? undefined : layout);
  }
  return files;
}

/** '2 .webp files and 1 .gif file': files counted by extension, in first-seen order. */
function countByExtension(files: string[]): string {
  const counts = new Map<string, number>();
  for (const file of files) {
    const extension = extname(file).toLowerCase();
    counts.set(extension, (counts.get(extension) ?? 0) + 1);
  }
  const parts = [...counts].map(([extension, n]) => `${n} ${extension} file${n === 1 ? '' : 's'}`);
  return parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

/** The image files (of any format) directly in `dir`, where the layout reads only its subfolders. */
function looseImages(root: string, dir: string): string[] {
  const otherFormats: string[] = [];
  return [...imagesIn(root, dir, otherFormats), ...otherFormats];
}

/** test/good is normal; every other folder of test/ holds anomalies. */
function labelledTestFiles(root: string, skipped: string[]): { file: string; label: number }[] {
  const testDir = join(root, 'test');
  // train/ alone: normal images to train on, and nothing to test yet.
  if (!isDirectory(testDir)) return [];
  if (!isDirectory(join(testDir, NORMAL_FOLDER))) {
    throw fileNotFound(join(testDir, NORMAL_FOLDER), 'Folder of normal test images',
      'Beside train/, the MVTec AD layout has test/good (normal images) and one folder per kind of anomaly, e.g. test/scratch.');
  }
  const folders = readdirSync(testDir, { withFileTypes: true }).filter((e) => entryIs(testDir, e, 'folder')).map((e) => e.name).sort(naturalCompare);
  return folders.flatMap((folder) => imagesIn(root, `test/${folder}`, skipped).map((file) => ({ file, label: folder === NORMAL_FOLDER ? 0 : 1 })));
}

/**
 * MVTec AD's pixel ground truth, when the root has a ground_truth/ folder: ground_truth/<defect>/<name>_mask.png
 * for test/<defect>/<name>.png, of its image's size, resized like the images and cut at half intensity (0/1 masks:
 * above 0), (N, H, W) of 0/1. Normal
 * images have no mask: all 0. Masks are few and small, so they are decoded each time rather than cached.
 */
function readMasks(root: string, test: { file: string; label: number }[], options: ImageSetOptions): Uint8Array | undefined {
  if (!isDirectory(join(root, GROUND_TRUTH_FOLDER))) return undefined;
  const { height, width } = options;
  const size = height * width;
  const masks = new Uint8Array(test.length * size);
  test.forEach(({ file, label }, i) => {
    if (label === 0) return;
    const path = maskPath(root, file);
    const source = readImage(path);
    // A mask of another size than its image would be stretched onto it, marking the wrong pixels.
    const image = readImageSize(join(root, file));
    if (source.width !== image.width || source.height !== image.height) {
      throw badFile(path, `is ${source.width}×${source.height} but its image ${file} is ${image.width}×${image.height}`, 'A mask marks the pixels of its own image: it must have the same size.');
    }
    // Masks saved as 0/1 rather than 0/255 mark every pixel above 0; 0/255 ones are cut at half intensity.
    const cut = toGrayscale(source).data.every((v) => v <= 1) ? 1 : 128;
    const mask = fitImage(source, { channels: 1, height, width });
    for (let k = 0; k < size; k++) masks[i * size + k] = mask.data[k]! >= cut ? 1 : 0;
  });
  return masks;
}

/** The mask of `test/<defect>/<name>.<ext>`: `ground_truth/<defect>/<name>_mask.<any image extension>`. */
function maskPath(root: string, file: string): string {
  const [, defect, name] = file.split('/') as [string, string, string];
  const wanted = `${name.replace(/\.[^.]+$/, '')}_mask`;
  const folder = join(GROUND_TRUTH_FOLDER, defect);
  const found = isDirectory(join(root, folder)) ? imagesIn(root, folder).find((f) => f.slice(folder.length + 1).replace(/\.[^.]+$/, '') === wanted) : undefined;
  if (!found) {
    throw badFile(join(root, folder), `has no mask for ${file}: expected ${wanted}.png`,
      'In the MVTec AD layout every anomalous test image has a mask of its name plus _mask; without ground_truth/ the images are measured by their scores alone.');
  }
  return join(root, found);
}

/** A seeded random subset of at most `max` items, kept in their original order. */
function subset<T>(items: T[], max: number | undefined, seed: number): T[] {
  if (max === undefined || max >= items.length) return items;
  const chosen = new Rng(seed).permutation(items.length).slice(0, max).sort();
  return Array.from(chosen, (i) => items[i]!);
}

/** `part` names the request (which files of the root) for the cache; see fittedPixels. */
function readImages(root: string, files: string[], options: ImageSetOptions, part: ImageSetPart): ArrayDataset {
  const { channels, height, width } = options;
  const pixels = fittedPixels(root, files, options, part);
  const x = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) x[i] = pixels[i]! / 255;
  return { x, shape: [files.length, channels, height, width], files };
}

/**
 * The files decoded and fitted to the network's input, (N, C, H, W) bytes, through the decoded-image cache.
 * One cache entry per request (folder, part, subset, input size), so a folder that changes replaces its
 * entry instead of adding one; the entry is used only while the files' names, sizes and times still match.
 */
function fittedPixels(root: string, files: string[], options: ImageSetOptions, part: ImageSetPart): Uint8Array {
  const { channels, height, width } = options;
  const size = channels * height * width;
  const decode = () => {
    const pixels = new Uint8Array(files.length * size);
    files.forEach((file, i) => {
      toChwBytes(fitImage(readImage(join(root, file)), options), pixels, i * size);
      options.onProgress?.(i + 1, files.length, part);
    });
    return pixels;
  };
  if (options.cache === false) return decode();
  const request = [resolve(root), part, options.maxTrain ?? 0, options.maxTest ?? 0, options.seed ?? 0, `${channels}x${height}x${width}`].join('\n');
  const contents = cacheKey(files.map((file) => {
    const stats = statSync(join(root, file));
    return `${file}:${fileVersion(stats)}`;
  }).join('\n'));
  const path = join(cacheRoot(), 'images', `${cacheKey(request)}.bin`);
  const cached = readCacheFile(path);
  if (cached?.header.version === CACHE_VERSION && cached.header.contents === contents && cached.payload.length === files.length * size) return cached.payload;
  const pixels = decode();
  writeCacheFile(path, { version: CACHE_VERSION, contents, n: files.length, source: root }, [pixels]);
  return pixels;
}
