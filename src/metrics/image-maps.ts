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

type BatchData = Float32Array | Float64Array | Uint8Array | Int32Array | number[];
type BatchShape = readonly [number, number, number];

/** A flat `(N, H, W)` batch with its shape, as a detector's `anomalyMaps()` returns it. */
export interface MapBatch {
  readonly data: BatchData;
  readonly shape: BatchShape;
}

const TWO_FORMS = 'Call mapsFromBatch(data, [N, H, W]) or mapsFromBatch({ data, shape }), as anomalyMaps() returns it.';

/** View a flat `(N, H, W)` batch as N image maps (typed arrays are not copied). */
export function mapsFromBatch(batch: MapBatch): ImageMap[];
export function mapsFromBatch(data: BatchData, shape: BatchShape): ImageMap[];
export function mapsFromBatch(first: BatchData | MapBatch, second?: BatchShape): ImageMap[] {
  const isObject = first !== null && typeof first === 'object' && !Array.isArray(first) && !ArrayBuffer.isView(first);
  if (isObject && second !== undefined) throw invalidArgument('mapsFromBatch shape', 'nothing beside a { data, shape } batch (it holds its shape)', second, TWO_FORMS);
  const isBatch = isObject;
  const { data, shape } = isBatch ? (first as MapBatch) : { data: first as BatchData, shape: second };
  checkNumberArray(isBatch ? 'batch.data' : 'data', data);
  const ok = Array.isArray(shape) && shape.length === 3 && shape.every((d) => Number.isInteger(d) && d > 0);
  if (!ok) throw invalidArgument(isBatch ? 'batch.shape' : 'shape', 'three positive integers (N, H, W)', shape, TWO_FORMS);
  const [count, height, width] = shape;
  if (data.length !== count * height * width) {
    throw invalidArgument(isBatch ? 'batch.data' : 'data', `${count * height * width} values for shape (${count}, ${height}, ${width})`, data);
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
    checkMaskValues(`masks[${i}].data`, mask.data);
  }
  refuseSwapped(masks, maps);
}

/** Any non-zero value marks an anomalous pixel, so NaN would count as one: refuse it, naming where. */
function checkMaskValues(name: string, data: ArrayLike<number>): void {
  for (let k = 0; k < data.length; k++) {
    if (!Number.isFinite(data[k])) {
      throw invalidArgument(`${name}[${k}]`, 'a finite mask value (0 = normal, non-zero = anomalous)', data[k], 'Replace NaN and infinite values in the masks with 0 or 1.');
    }
  }
}

/**
 * `pixelRocAuc(maps, masks)` by mistake: the "masks" hold fractions, as anomaly maps do, and every "map" is
 * 0 or 1, as masks are. Masks are whole numbers (0/1, 0/255) and maps are scores, so both at once is a swap.
 * Cheap: a real map has a value other than 0 and 1 within its first pixels, which ends the scan.
 */
function refuseSwapped(masks: readonly ImageMap[], maps: readonly ImageMap[]): void {
  if (!maps.every((map) => everyValue(map.data, (v) => v === 0 || v === 1))) return;
  for (let i = 0; i < masks.length; i++) {
    const data = masks[i].data;
    for (let k = 0; k < data.length; k++) {
      if (Number.isInteger(data[k])) continue;
      throw new NormalityError('INVALID_ARGUMENT',
        `Expected whole-number masks (0 = normal, non-zero = anomalous) and anomaly maps of scores, but masks[${i}].data[${k}] is ${Number(data[k].toPrecision(6))} `
        + 'and every value of maps is 0 or 1: did you swap maps and masks? The order is (masks, maps). Soft masks: binarise them first (non-zero = anomalous).');
    }
  }
}

function everyValue(data: ArrayLike<number>, test: (value: number) => boolean): boolean {
  for (let k = 0; k < data.length; k++) if (!test(data[k])) return false;
  return true;
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
