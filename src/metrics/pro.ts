/**
 * Per-region overlap (PRO), the MVTec AD measure used by Uninformed Students
 * (SPEC §3). Each connected region (8-connectivity) of each ground-truth mask is
 * one defect; at a threshold, PRO is the mean over all defects of the fraction of
 * the defect's pixels scored >= threshold, so a small defect weighs as much as a
 * large one. The curve pairs PRO with the pixel false positive rate; its area up
 * to `maxFpr`, divided by `maxFpr`, is the PRO score (1 = perfect).
 *
 * Exact sweep, no threshold grid: every distinct score is a threshold. PRO is a
 * weighted true positive rate (a pixel of a region of size s weighs 1/s, and the
 * weights add up to the number of regions), so the curve comes from the same
 * sorted sweep as the ROC curve.
 */
import { checkOptionKeys } from '../config/option-keys.js';
import { NormalityError, invalidArgument } from '../errors.js';
import { countsAtThresholds } from './class-split.js';
import { connectedComponents } from './connected-components.js';
import { checkMasksAndMaps, type ImageMap } from './image-maps.js';
import { sortAscending } from './sort-float64.js';
import { trapezoidArea } from './trapezoid.js';
import { count } from './validate.js';

export interface ProCurve {
  /** Pixel false positive rate, ascending from 0 to 1. */
  readonly fpr: Float64Array;
  /** Mean per-region overlap at the same threshold, ascending from 0 to 1. */
  readonly pro: Float64Array;
  /** Score >= threshold is anomalous; descending, the first is Infinity. */
  readonly thresholds: Float64Array;
}

/** The PRO curve at every distinct score of `maps`; starts at (0, 0), ends at (1, 1). */
export function proCurve(masks: readonly ImageMap[], maps: readonly ImageMap[]): ProCurve {
  checkMasksAndMaps(masks, maps);
  const { scores, weights, negatives, regions } = regionPixels(masks, maps);
  sortAscending(scores, weights);
  sortAscending(negatives);
  const counts = countsAtThresholds({ positives: scores, negatives, positiveWeights: weights });
  const k = counts.thresholds.length;
  const fpr = new Float64Array(k + 1);
  const pro = new Float64Array(k + 1);
  const thresholds = new Float64Array(k + 1);
  thresholds[0] = Infinity;
  for (let i = 0; i < k; i++) {
    fpr[i + 1] = counts.falsePositives[i] / negatives.length;
    // The 1/size weights need not add up to exactly the region count in floating point.
    pro[i + 1] = Math.min(1, counts.truePositives[i] / regions);
    thresholds[i + 1] = counts.thresholds[i];
  }
  pro[k] = 1;
  return { fpr, pro, thresholds };
}

export interface ProAucOptions {
  /** Integrate the PRO curve over FPR from 0 to this limit (default 0.3, as MVTec AD). */
  readonly maxFpr?: number;
}

const PRO_AUC_OPTION_KEYS: readonly (keyof ProAucOptions)[] = ['maxFpr'];

/** Area under the PRO curve for FPR in [0, maxFpr], divided by maxFpr: in [0, 1], 1 = perfect. */
export function proAuc(masks: readonly ImageMap[], maps: readonly ImageMap[], options: ProAucOptions = {}): number {
  checkOptionKeys('proAuc', options, PRO_AUC_OPTION_KEYS);
  const maxFpr = options.maxFpr ?? 0.3;
  if (typeof maxFpr !== 'number' || !(maxFpr > 0 && maxFpr <= 1)) {
    throw invalidArgument('maxFpr', 'a false positive rate in (0, 1]', maxFpr, 'The usual limit is 0.3.');
  }
  const curve = proCurve(masks, maps);
  return trapezoidArea(curve.fpr, curve.pro, maxFpr) / maxFpr;
}

interface RegionPixels {
  /** Scores of pixels inside a defect region, with the weight 1/(region size) of each. */
  readonly scores: Float64Array;
  readonly weights: Float64Array;
  /** Scores of normal pixels (mask 0). */
  readonly negatives: Float64Array;
  /** Number of defect regions over all images. */
  readonly regions: number;
}

function regionPixels(masks: readonly ImageMap[], maps: readonly ImageMap[]): RegionPixels {
  const perImage = masks.map((mask) => connectedComponents(mask.data, mask.height, mask.width));
  let anomalous = 0;
  let total = 0;
  let regions = 0;
  for (let image = 0; image < masks.length; image++) {
    const { sizes, count } = perImage[image];
    for (let r = 1; r <= count; r++) anomalous += sizes[r];
    regions += count;
    total += masks[image].data.length;
  }
  if (regions === 0) {
    throw new NormalityError('INVALID_ARGUMENT',
      `Expected at least one anomalous (non-zero) pixel in masks for PRO but all pixels of the ${count(masks.length, 'mask')} are 0. ` +
      'PRO is undefined without ground-truth defects: include test images that have anomalies.');
  }
  if (anomalous === total) {
    throw new NormalityError('INVALID_ARGUMENT',
      `Expected at least one normal (0) pixel in masks for PRO but all pixels of the ${count(masks.length, 'mask')} are non-zero. ` +
      'The false positive rate is undefined without normal pixels.');
  }
  const scores = new Float64Array(anomalous);
  const weights = new Float64Array(anomalous);
  const negatives = new Float64Array(total - anomalous);
  let p = 0;
  let q = 0;
  for (let image = 0; image < masks.length; image++) {
    const { labels, sizes } = perImage[image];
    const map = maps[image].data;
    for (let i = 0; i < labels.length; i++) {
      const region = labels[i];
      if (region === 0) {
        negatives[q++] = map[i];
      } else {
        scores[p] = map[i];
        weights[p++] = 1 / sizes[region];
      }
    }
  }
  return { scores, weights, negatives, regions };
}
