/** Image detectors' anomaly maps on the command line: the pixel metrics of `test` and the heatmaps of `score --maps`. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import type { AnomalyMaps, Detector, LocalizingDetector } from '../detector/types.js';
import { invalidArgument } from '../errors.js';
import { mapsFromBatch } from '../metrics/image-maps.js';
import { pixelRocAuc } from '../metrics/pixel-roc.js';
import { proAuc } from '../metrics/pro.js';
import { writeHeatmaps } from '../report/heatmaps.js';
import { checkOutputFolder, samePath } from './output-paths.js';

/** The detector, as one that gives anomaly maps; refused with `option` named when it cannot (tables, videos). */
export function localizing(detector: Detector<unknown>, option: string): LocalizingDetector {
  const architecture = (detector.config as { architecture?: string }).architecture;
  if (!canLocalize(detector)) {
    throw invalidArgument(option, 'a detector of images (memae, memae-nonspar or ae with an image architecture)', `${detector.modelName}${architecture ? ` (architecture ${architecture})` : ''}`);
  }
  return detector as LocalizingDetector;
}

/** Whether the detector gives anomaly maps: an image detector, not a table's or a video's. */
export function canLocalize(detector: Detector<unknown>): detector is LocalizingDetector {
  return typeof (detector as Partial<LocalizingDetector>).anomalyMaps === 'function' && (detector.config as { architecture?: string }).architecture !== 'mlp';
}

/** `--maps <folder>` of score and test, checked before any work: the detector to map with, or undefined without the option. */
export function mapsOption(detector: Detector<unknown>, folder: string | undefined, inputs: readonly string[] = []): LocalizingDetector | undefined {
  if (folder === undefined) return undefined;
  const mapper = localizing(detector, '--maps');
  // Maps take their images' names (and an MVTec folder's layout): in the data's own folder they would replace the images.
  const within = inputs.find((input) => existsSync(input) && statSync(input).isDirectory() && (samePath(folder, input) || resolve(folder).startsWith(resolve(input) + sep)));
  if (within !== undefined) {
    throw invalidArgument('--maps', 'a folder outside the data this command reads', folder,
      `It is ${samePath(folder, within) ? '' : 'inside '}${within}: the maps, named after the images, would replace them there, or be read as images by the next run. Name another folder, e.g. maps.`);
  }
  const before = existsSync(folder) ? readdirSync(folder).length : 0;
  checkOutputFolder(folder, '--maps', 'the heatmaps');
  if (before > 0) console.error(`note: ${folder} already holds ${before} entr${before === 1 ? 'y' : 'ies'}: maps of the same names are replaced, the others stay beside them`);
  return mapper;
}

/** Write `--maps`' heatmaps, named after the images' files, and say so. */
export function writeMapsOption(folder: string, maps: AnomalyMaps, files: readonly string[] | undefined): void {
  const written = writeHeatmaps(folder, maps, files).length;
  console.log(`wrote ${written} anomaly map${written === 1 ? '' : 's'} (PNG heatmaps, one colour scale) to ${folder}`);
}

export interface PixelMetrics {
  /** ROC AUC over every pixel of every test image (SPEC §4). */
  pixelAuc: number;
  /** Area under the per-region-overlap curve up to a false positive rate of 0.3, normalised (MVTec AD). */
  pro: number;
}

/**
 * Pixel AUC and PRO of anomaly maps against ground-truth masks of the same images; undefined when the masks
 * leave nothing to measure (no anomalous pixel, or no normal one, in the images tested).
 */
export function pixelMetrics(maps: AnomalyMaps, masks: Uint8Array): PixelMetrics | undefined {
  const anomalous = masks.reduce((sum, v) => sum + v, 0);
  if (anomalous === 0 || anomalous === masks.length) return undefined;
  const truth = mapsFromBatch(masks, maps.shape);
  const scored = mapsFromBatch(maps.data, maps.shape);
  return { pixelAuc: pixelRocAuc(truth, scored), pro: proAuc(truth, scored) };
}
