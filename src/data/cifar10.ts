/**
 * CIFAR-10 (Krizhevsky 2009) as (N, 3, 32, 32) float32 in [0, 1] with labels 0..9
 * in the standard class order, from any of:
 * - the official binary batches (`data_batch_1.bin` ... `data_batch_5.bin`,
 *   `test_batch.bin`; each record 1 label byte + 3072 pixel bytes, R then G then B
 *   planes), in the folder or its `cifar-10-batches-bin/`;
 * - class folders of images, `<root>/{train,test}/<class>/*.jpg`;
 * - a .tar / .tar.gz / .tar.xz archive of either, extracted once into the cache.
 * Decoded class-folder images are cached as raw bytes (cache.ts), so only the
 * first load pays for JPEG decoding.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkOptionKeys, requireOptions } from '../config/option-keys.js';
import { badFile, fileNotFound, invalidArgument } from '../errors.js';
import type { ArrayDataset } from './arrays.js';
import { cacheKey, cacheRoot, extractArchive, fileVersion, isArchive, readCacheFile, writeCacheFile } from './cache.js';
import { entryIs, readBytes } from './files.js';
import { listImageFolder, readImageFolder } from './folders.js';

export const CIFAR10_CLASSES = [
  'airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck',
] as const;

const RECORD = 1 + 3 * 32 * 32;
const IMAGE = 3 * 32 * 32;
const TRAIN_BATCHES = [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`);
const TEST_BATCHES = ['test_batch.bin'];
const CACHE_VERSION = 2;

export interface Cifar10Options {
  /** Binary batches folder, class-folder root (with train/ and test/), or a tar archive of either. */
  root: string;
  split: 'train' | 'test';
  /** Keep decoded class-folder images in the cache for the next load. Default true. */
  cache?: boolean;
}

const CIFAR10_OPTION_KEYS: readonly (keyof Cifar10Options)[] = ['root', 'split', 'cache'];

/** A folder that holds one archive and no extracted data (as ../shared/data/cifar10 does) means that archive. */
function archiveInside(root: string): string {
  if (!statSync(root, { throwIfNoEntry: false })?.isDirectory()) return root;
  const names = readdirSync(root);
  const archives = names.filter((name) => isArchive(name));
  const extracted = names.some((name) => !isArchive(name) && statSync(join(root, name), { throwIfNoEntry: false })?.isDirectory())
    || names.some((name) => /^(data_batch_\d|test_batch)/.test(name));
  return archives.length === 1 && !extracted ? join(root, archives[0]!) : root;
}

/** Load a CIFAR-10 split (see the file comment for the layouts it understands). */
export function loadCifar10(options: Cifar10Options): ArrayDataset {
  requireOptions('loadCifar10', options, "root (a folder or archive) and split ('train' or 'test')", "loadCifar10({ root: 'data/cifar-10-batches-bin', split: 'train' })");
  checkOptionKeys('loadCifar10', options, CIFAR10_OPTION_KEYS);
  const { split } = options;
  if (split !== 'train' && split !== 'test') throw invalidArgument('split', "'train' or 'test'", split);
  if (typeof options.root !== 'string') {
    throw invalidArgument('root', 'the path of the CIFAR-10 binary batches, class folders or archive', options.root);
  }
  const root = archiveInside(resolve(options.root));
  let dir = root;
  let archive: { path: string; signature: string } | undefined;
  if (isArchive(root)) {
    const stats = statSync(root, { throwIfNoEntry: false });
    if (!stats) throw fileNotFound(root, 'CIFAR-10 archive');
    dir = extractArchive(root);
    archive = { path: root, signature: `archive:${root}:${fileVersion(stats)}` };
  }
  const layout = findLayout(dir, split);
  const block = layout.kind === 'binary'
    ? readBinaryBatches(layout.dir, split)
    : readFolderCached(join(layout.dir, split), split, options.cache ?? true, archive);
  return toDataset(block.pixels, block.labels);
}

/** Parse one binary batch: labels (N) and pixels (N, 3, 32, 32) bytes. */
export function parseCifar10Batch(bytes: Uint8Array, path: string): { pixels: Uint8Array; labels: Int32Array } {
  if (bytes.length === 0 || bytes.length % RECORD !== 0) {
    throw badFile(path, `has ${bytes.length} bytes: expected a multiple of ${RECORD} (1 label byte + 3072 pixel bytes per image; an official batch is ${RECORD * 10000})`,
      'Use the "CIFAR-10 binary version" batches (cifar-10-binary.tar.gz), not the Python or MATLAB ones.');
  }
  const n = bytes.length / RECORD;
  const pixels = new Uint8Array(n * IMAGE);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const label = bytes[i * RECORD];
    if (label > 9) throw badFile(path, `record ${i} has label ${label}: expected 0..9`);
    labels[i] = label;
    pixels.set(bytes.subarray(i * RECORD + 1, (i + 1) * RECORD), i * IMAGE);
  }
  return { pixels, labels };
}

type Layout = { kind: 'binary' | 'folders'; dir: string };

function findLayout(dir: string, split: 'train' | 'test'): Layout {
  const batches = split === 'train' ? TRAIN_BATCHES : TEST_BATCHES;
  const expected = `Expected ${batches.join(', ')} (binary batches) or a ${split}/ folder with one sub-folder per class, in the folder or in cifar-10-batches-bin/; or pass the path of a .tar(.gz|.xz) archive of them as root (--data on the command line).`;
  if (!existsSync(dir)) throw fileNotFound(dir, 'CIFAR-10 folder', expected);
  const candidates = [dir, join(dir, 'cifar-10-batches-bin')];
  const subdirs = readdirSync(dir, { withFileTypes: true }).filter((e) => !e.name.startsWith('.') && entryIs(dir, e, 'folder'));
  if (subdirs.length === 1) candidates.push(join(dir, subdirs[0].name), join(dir, subdirs[0].name, 'cifar-10-batches-bin'));
  for (const candidate of candidates) {
    if (existsSync(join(candidate, batches[0]))) return { kind: 'binary', dir: candidate };
    if (existsSync(join(candidate, split))) return { kind: 'folders', dir: candidate };
  }
  throw fileNotFound(dir, `CIFAR-10 ${split} data`, expected);
}

function readBinaryBatches(dir: string, split: 'train' | 'test'): { pixels: Uint8Array; labels: Int32Array } {
  const parts = (split === 'train' ? TRAIN_BATCHES : TEST_BATCHES).map((name) => {
    const path = join(dir, name);
    return parseCifar10Batch(readBytes(path, 'CIFAR-10 batch', `The ${split} split needs ${split === 'train' ? TRAIN_BATCHES.join(', ') : TEST_BATCHES[0]}.`), path);
  });
  const n = parts.reduce((sum, part) => sum + part.labels.length, 0);
  const pixels = new Uint8Array(n * IMAGE);
  const labels = new Int32Array(n);
  let offset = 0;
  for (const part of parts) {
    pixels.set(part.pixels, offset * IMAGE);
    labels.set(part.labels, offset);
    offset += part.labels.length;
  }
  return { pixels, labels };
}

/** Class folders, through the decoded-image cache. */
function readFolderCached(dir: string, split: string, useCache: boolean, archive?: { path: string; signature: string }): { pixels: Uint8Array; labels: Int32Array } {
  const options = { classNames: CIFAR10_CLASSES, width: 32, height: 32, channels: 3 as const };
  if (!useCache) return readImageFolder(dir, options);
  // Images from an archive are known by the archive; loose files by their names, sizes and times.
  const signature = archive
    ? `${archive.signature}:${split}`
    : `${dir}\n${listImageFolder(dir, CIFAR10_CLASSES).flat().map((file) => {
      const stats = statSync(join(dir, file));
      return `${file}:${fileVersion(stats)}`;
    }).join('\n')}`;
  // One entry per source and split, replaced when the source changes, so refreshed copies do not pile up.
  const path = join(cacheRoot(), 'cifar10', `${split}-${cacheKey(archive?.path ?? dir)}.bin`);
  const contents = cacheKey(signature);
  const cached = readCacheFile(path);
  if (cached && cached.header.version === CACHE_VERSION && cached.header.contents === contents && typeof cached.header.n === 'number') {
    const n = cached.header.n;
    if (cached.payload.length === n * 4 + n * IMAGE) {
      const labels = new Int32Array(n);
      new Uint8Array(labels.buffer).set(cached.payload.subarray(0, n * 4));
      return { labels, pixels: cached.payload.subarray(n * 4) };
    }
  }
  const block = readImageFolder(dir, options);
  const n = block.labels.length;
  writeCacheFile(path, { version: CACHE_VERSION, contents, n, source: dir }, [new Uint8Array(block.labels.buffer, 0, n * 4), block.pixels]);
  return block;
}

function toDataset(pixels: Uint8Array, labels: Int32Array): ArrayDataset {
  const x = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) x[i] = pixels[i] / 255;
  return { x, shape: [labels.length, 3, 32, 32], labels, classNames: [...CIFAR10_CLASSES] };
}
