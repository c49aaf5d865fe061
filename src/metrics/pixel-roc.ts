/**
 * Pixel-level ROC AUC: every pixel of every image is one sample, labelled by its
 * ground-truth mask (non-zero = anomalous) and scored by its anomaly map.
 */
import type { ClassSplit } from './class-split.js';
import { checkMasksAndMaps, type ImageMap } from './image-maps.js';
import { rocAucOfSplit } from './roc.js';
import { sortAscending } from './sort-float64.js';

/** ROC AUC over all pixels of all images; equals `roc_auc_score(masks.ravel() > 0, maps.ravel())`. */
export function pixelRocAuc(masks: readonly ImageMap[], maps: readonly ImageMap[]): number {
  checkMasksAndMaps(masks, maps);
  return rocAucOfSplit(splitPixels(masks, maps), 'pixelRocAuc', 'masks');
}

/** The pixel scores of all images split into anomalous and normal, each sorted ascending. */
function splitPixels(masks: readonly ImageMap[], maps: readonly ImageMap[]): ClassSplit {
  let anomalous = 0;
  let total = 0;
  for (const mask of masks) {
    total += mask.data.length;
    for (let i = 0; i < mask.data.length; i++) if (mask.data[i] !== 0) anomalous++;
  }
  const positives = new Float64Array(anomalous);
  const negatives = new Float64Array(total - anomalous);
  let p = 0;
  let q = 0;
  for (let image = 0; image < masks.length; image++) {
    const mask = masks[image].data;
    const map = maps[image].data;
    for (let i = 0; i < mask.length; i++) {
      if (mask[i] !== 0) positives[p++] = map[i];
      else negatives[q++] = map[i];
    }
  }
  sortAscending(positives);
  sortAscending(negatives);
  return { positives, negatives };
}
