/**
 * Inputs of the pixel-level metrics: one `{ data, height, width }` per image,
 * row-major `(H, W)`. Ground-truth masks mark anomalous pixels with any non-zero
 * value (0/1 or 0/255 both work); anomaly maps hold finite scores, higher = more
 * anomalous. A batch read from a tensor `(N, H, W)` becomes this form with
 * `mapsFromBatch`, which shares memory instead of copying.
 */
import { NormalityError, invalidArgument } from '../errors.js';
import { checkAllFinite, checkNumberArray } from './validate.js';

export interface ImageMap {
  readonly data: ArrayLike<number>;
  readonly height: number;
  readonly width: number;
}

type Batch = Float32Array | Float64Array | Uint8Array | Int32Array | number[];

/** View a flat `(N, H, W)` batch as N image maps (typed arrays are not copied). */
export function mapsFromBatch(data: Batch, shape: readonly [number, number, number]): ImageMap[] {
  checkNumberArray('data', data);
  const ok = Array.isArray(shape) && shape.length === 3 && shape.every((d) => Number.isInteger(d) && d > 0);
  if (!ok) throw invalidArgument('shape', 'three positive integers (N, H, W)', shape);
  const [count, height, width] = shape;
  if (data.length !== count * height * width) {
    throw invalidArgument('data', `${count * height * width} values for shape (${count}, ${height}, ${width})`, data);
  }
  const size = height * width;
  const maps: ImageMap[] = [];
  for (let i = 0; i < count; i++) {
    const slice = Array.isArray(data) ? data.slice(i * size, (i + 1) * size) : data.subarray(i * size, (i + 1) * size);
    maps.push({ data: slice, height, width });
  }
  return maps;
}

/** Check that masks and maps pair up image by image with matching shapes, and that scores are finite. */
export function checkMasksAndMaps(masks: readonly ImageMap[], maps: readonly ImageMap[]): void {
  if (!Array.isArray(masks)) throw invalidArgument('masks', 'an array of { data, height, width } masks', masks);
  if (!Array.isArray(maps)) throw invalidArgument('maps', 'an array of { data, height, width } anomaly maps', maps);
  if (masks.length === 0) throw invalidArgument('masks', 'at least one image', masks);
  if (maps.length !== masks.length) {
    throw invalidArgument('maps', `one anomaly map per mask (${masks.length})`, maps, 'Pass masks and maps in the same image order.');
  }
  for (let i = 0; i < masks.length; i++) {
    checkImage(`masks[${i}]`, masks[i]);
    checkImage(`maps[${i}]`, maps[i]);
    const mask = masks[i];
    const map = maps[i];
    if (map.height !== mask.height || map.width !== mask.width) {
      throw new NormalityError('SHAPE_MISMATCH',
        `Expected the shape of masks[${i}] (${mask.height}×${mask.width}) for maps[${i}] but received ${map.height}×${map.width}. ` +
        'Resize the anomaly map to the mask resolution before evaluating.');
    }
    checkAllFinite(`maps[${i}].data`, map.data);
  }
}

function checkImage(name: string, image: ImageMap): void {
  if (image === null || typeof image !== 'object') throw invalidArgument(name, 'an object { data, height, width }', image);
  const { height, width, data } = image;
  if (!Number.isInteger(height) || height <= 0) throw invalidArgument(`${name}.height`, 'a positive integer', height);
  if (!Number.isInteger(width) || width <= 0) throw invalidArgument(`${name}.width`, 'a positive integer', width);
  checkNumberArray(`${name}.data`, data);
  if (data.length !== height * width) {
    throw invalidArgument(`${name}.data`, `height × width = ${height * width} values`, data, 'Store one value per pixel, row-major (H, W).');
  }
}
