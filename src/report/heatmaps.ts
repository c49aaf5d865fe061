/**
 * Anomaly maps as PNG heatmaps, one per image, for a person to look at where a detector sees a defect.
 * Every map of a set shares one colour scale (the set's lowest value is dark blue, its 99.9th percentile and
 * above dark red), so that a faint map really is a normal-looking image and not one stretched to full contrast.
 */
import { statSync, writeFileSync } from 'node:fs';
import { makeFolders } from '../checkpoint/folders.js';
import { dirname, join } from 'node:path';
import pngjs from 'pngjs';
import type { AnomalyMaps } from '../detector/types.js';
import { invalidArgument } from '../errors.js';
import { percentile } from '../metrics/percentile.js';

// The "jet" colour map's control points: dark blue, blue, cyan, yellow, red, dark red.
const STOPS: [number, [number, number, number]][] = [
  [0, [0, 0, 128]], [0.125, [0, 0, 255]], [0.375, [0, 255, 255]], [0.625, [255, 255, 0]], [0.875, [255, 0, 0]], [1, [128, 0, 0]],
];

/** The colour of t in [0, 1]. */
export function heatColour(t: number): [number, number, number] {
  const u = Math.min(1, Math.max(0, t));
  let i = 1;
  while (i < STOPS.length - 1 && u > STOPS[i]![0]) i++;
  const [t0, c0] = STOPS[i - 1]!;
  const [t1, c1] = STOPS[i]!;
  const f = (u - t0) / (t1 - t0);
  return [0, 1, 2].map((k) => Math.round(c0[k]! + f * (c1[k]! - c0[k]!))) as [number, number, number];
}

/** Refuse, before any work, a heatmap folder that is a file (a folder that does not exist yet is made). */
export function checkHeatmapFolder(folder: string, name = 'folder'): void {
  if (statSync(folder, { throwIfNoEntry: false })?.isFile()) {
    throw invalidArgument(name, 'a folder for the heatmaps (made if missing)', folder, 'That path is a file: name a folder.');
  }
}

/** The colour scale of a set of maps: its lowest value and the span up to the top of the scale. */
export interface HeatScale {
  low: number;
  span: number;
}

/** At most this many values (evenly strided) estimate the top of the scale: plenty for a colour, quick to sort. */
const SCALE_SAMPLE = 1_000_000;

/**
 * From the set's lowest value to its 99.9th percentile; the few pixels above it are dark red too. With the
 * maximum on top, one bright speck in one image (a reconstruction of a digit 0 by a model of 8s) turned every
 * other map of the set dark blue.
 */
export function heatScale(maps: AnomalyMaps): HeatScale {
  let low = Infinity;
  let highest = -Infinity;
  for (const v of maps.data) {
    if (v < low) low = v;
    if (v > highest) highest = v;
  }
  const stride = Math.ceil(maps.data.length / SCALE_SAMPLE);
  const sample = Float64Array.from({ length: Math.ceil(maps.data.length / stride) }, (_, i) => maps.data[i * stride]!);
  const top = sample.length > 0 ? percentile(sample, 99.9) : highest;
  const high = top > low ? top : highest;
  return { low, span: high > low ? high - low : 1 };
}

/** Map `index` of the set as an opaque RGBA PNG on the set's colour scale. */
export function heatmapPng(maps: AnomalyMaps, index: number, scale: HeatScale): Buffer {
  const [, height, width] = maps.shape;
  const size = height * width;
  const png = new pngjs.PNG({ width, height });
  for (let p = 0; p < size; p++) {
    const [r, g, b] = heatColour((maps.data[index * size + p]! - scale.low) / scale.span);
    png.data.set([r, g, b, 255], p * 4);
  }
  return pngjs.PNG.sync.write(png);
}

/**
 * Write each map as `<folder>/<name>.png`, where `names[i]` is the image's own file (its folders kept,
 * its extension replaced), or the image's index when there are no names. Returns the paths written.
 */
export function writeHeatmaps(folder: string, maps: AnomalyMaps, names?: readonly string[]): string[] {
  checkHeatmapFolder(folder);
  const count = maps.shape[0];
  if (names && names.length !== count) throw invalidArgument('names', `one name per map (${count})`, names);
  const scale = heatScale(maps);
  const stems = names?.map((name) => name.replace(/\.[^./]+$/, ''));
  // x.png and x.jpg would both map to x.png: images whose stems clash keep their extension (x.jpg.png).
  const clashing = new Set(stems?.filter((stem, i) => stems.indexOf(stem) !== i));
  const paths: string[] = [];
  for (let i = 0; i < count; i++) {
    const path = join(folder, `${!names ? String(i) : clashing.has(stems![i]!) ? names[i] : stems![i]}.png`);
    makeFolders(dirname(path));
    writeFileSync(path, heatmapPng(maps, i, scale));
    paths.push(path);
  }
  return paths;
}
