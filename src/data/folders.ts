/**
 * Image classification folders, `<dir>/<class>/<image files>`, decoded into one
 * (N, C, H, W) uint8 block with a label per image. Classes come in the order the
 * caller gives; images within a class in natural name order (2.jpg before 10.jpg).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { checkOptionKeys, requireOptions } from '../config/option-keys.js';
import { badFile, fileNotFound } from '../errors.js';
import { decodeImage } from './images.js';
import { entryIs, readBytes } from './files.js';
import { toChwBytes, toGrayscale, toRgb } from './pixels.js';
import { checkFrameFormat } from './video/frame-format.js';

const IMAGE_EXTENSIONS = /\.(jpe?g|png|bmp|tiff?)$/i;

export interface ImageFolderOptions {
  /** Class folder names, in label order; every one must exist and no other may. */
  classNames: readonly string[];
  width: number;
  height: number;
  /** 3: RGB (gray images are copied to 3 channels); 1: gray (RGB images converted). */
  channels: 1 | 3;
}

const IMAGE_FOLDER_OPTION_KEYS: readonly (keyof ImageFolderOptions)[] = ['classNames', 'width', 'height', 'channels'];

export interface ImageBlock {
  /** (N, C, H, W) bytes. */
  pixels: Uint8Array;
  labels: Int32Array;
  /** The image files, relative to the folder, in sample order. */
  files: string[];
}

/** The image files of each class folder (relative paths), checking the class folders. */
export function listImageFolder(dir: string, classNames: readonly string[]): string[][] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    throw fileNotFound(dir, 'Image folder', `Expected class folders ${classNames.join(', ')} inside it.`);
  }
  const found = entries.filter((e) => entryIs(dir, e, 'folder')).map((e) => e.name).sort();
  const missing = classNames.filter((name) => !found.includes(name));
  const extra = found.filter((name) => !classNames.includes(name));
  if (missing.length || extra.length) {
    throw badFile(dir, `has class folders ${found.join(', ') || '(none)'}: expected exactly ${classNames.join(', ')}`
      + (missing.length ? ` (missing ${missing.join(', ')})` : '') + (extra.length ? ` (unexpected ${extra.join(', ')})` : ''));
  }
  return classNames.map((name) => readdirSync(join(dir, name))
    .filter((file) => !file.startsWith('.') && IMAGE_EXTENSIONS.test(file))
    .sort(naturalCompare)
    .map((file) => `${name}/${file}`));
}

/** Decode every image of a class folder tree; an image of the wrong size is an error naming it. */
export function readImageFolder(dir: string, options: ImageFolderOptions): ImageBlock {
  requireOptions('readImageFolder', options, 'classNames, width, height and channels (1 or 3)',
    "readImageFolder('cifar10/test', { classNames: ['cat', 'dog'], width: 32, height: 32, channels: 3 })");
  checkOptionKeys('readImageFolder', options, IMAGE_FOLDER_OPTION_KEYS);
  checkFrameFormat(options, 'options');
  const { width, height, channels } = options;
  const perClass = listImageFolder(dir, options.classNames);
  const files = perClass.flat();
  const size = channels * width * height;
  const pixels = new Uint8Array(files.length * size);
  const labels = new Int32Array(files.length);
  let n = 0;
  perClass.forEach((classFiles, label) => {
    for (const file of classFiles) {
      const path = join(dir, file);
      const image = decodeImage(readBytes(path, 'Image file'), path);
      if (image.width !== width || image.height !== height) {
        throw badFile(path, `is ${image.width}x${image.height} pixels but ${width}x${height} (width x height) was expected`,
          'Every image in the folder must have the same size; resize them first.');
      }
      toChwBytes(channels === 3 ? toRgb(image) : toGrayscale(image), pixels, n * size);
      labels[n++] = label;
    }
  });
  return { pixels, labels, files };
}

const collator = new Intl.Collator('en', { numeric: true });

/** Compare names with digit runs as numbers: 'img2' < 'img10'. */
export function naturalCompare(a: string, b: string): number {
  return collator.compare(a, b);
}
