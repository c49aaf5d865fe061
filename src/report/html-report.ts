/**
 * A detector's results as one self-contained HTML page, for a person rather than a script: the metrics,
 * the score histogram of normal and anomalous samples with the threshold, the ROC and PR curves, and
 * where there are images, the ones to look at first (the most anomalous, the anomalies scored lowest,
 * the normal images scored highest) beside their anomaly maps; where there are table rows, the same rows with
 * the features that deviate most; where there are videos, each video's
 * frame scores over its ground truth. Everything is inline (SVG charts, PNG data URIs): one file to send.
 */
import type { AnomalyMaps, FeatureErrors } from '../detector/types.js';
import { percentile } from '../metrics/percentile.js';
import { precisionRecallCurve } from '../metrics/precision-recall.js';
import { rocCurve } from '../metrics/roc.js';
import { hasBothClasses } from '../metrics/validate.js';
import { checkReportContent } from './check-report.js';
import { heatScale, heatmapPng } from './heatmaps.js';
import { escapeMarkup } from './markup.js';
import { samplePng } from './sample-png.js';
import { svgChart } from './svg-chart.js';
import { topFeatures } from './top-features.js';

// Optional fields also take undefined, so that a dataset's own optional fields (files, labels, a detector's
// threshold) pass through under exactOptionalPropertyTypes.
export interface ReportImages {
  /** `(N, C, H, W)` in [0, 1], one image per score. */
  x: Float32Array;
  shape: readonly number[];
  files?: readonly string[] | undefined;
  /** Each image's anomaly map, shown beside it on one colour scale for the set. */
  maps?: AnomalyMaps | undefined;
}

export interface ReportRows {
  /** `(N, D)`, one row per score, in the data's own units. */
  x: Float32Array;
  shape: readonly number[];
  featureNames?: readonly string[] | undefined;
  /** Each row's per-feature errors: the features named beside it are its largest. */
  errors: FeatureErrors;
  /** Each row's data row in its file, counted from 0 (a held-out split is shuffled, a subset skips rows); default its place. */
  fileRows?: ArrayLike<number> | undefined;
}

export interface ReportVideo {
  name: string;
  /** One score per frame, higher = more anomalous; NaN where a frame has no score. */
  scores: ArrayLike<number>;
  /** 1 = anomalous frame. */
  labels?: ArrayLike<number> | undefined;
  auc?: number | undefined;
}

export interface ReportContent {
  title: string;
  /** What was measured and how: checkpoint, model, data, command, version. */
  facts: readonly (readonly [string, string])[];
  metrics?: Readonly<Record<string, number>> | undefined;
  /** What a score is, for the axes ("anomaly score", "normalised frame score"). */
  scoreLabel: string;
  scores: ArrayLike<number>;
  /** 1 = anomaly, 0 = normal, one per score. */
  labels?: ArrayLike<number> | undefined;
  /** Scores at or above it are flagged. */
  threshold?: number | undefined;
  images?: ReportImages | undefined;
  rows?: ReportRows | undefined;
  videos?: readonly ReportVideo[] | undefined;
  /** Images per gallery (default 12). */
  galleryLength?: number | undefined;
}

const NORMAL = '#1f77b4';
const ANOMALY = '#d62728';
const THRESHOLD = '#333';

export function renderReport(content: ReportContent): string {
  checkReportContent(content);
  const sections = [
    factsSection(content),
    scoreSection(content),
    ...(content.images ? [gallerySection(content, content.images)] : []),
    ...(content.rows ? [rowSection(content, content.rows)] : []),
    ...(content.videos ? [videoSection(content.videos, content.scoreLabel)] : []),
  ];
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeMarkup(content.title)}</title>
<style>
body { font-family: sans-serif; margin: 24px; color: #222; max-width: 1400px; }
table { border-collapse: collapse; margin: 8px 0 16px; } td, th { border: 1px solid #ccc; padding: 3px 10px; text-align: left; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
.charts, .gallery { display: flex; flex-wrap: wrap; gap: 12px; }
figure { margin: 0; font-size: 12px; width: 180px; overflow-wrap: anywhere; }
figure img { width: 84px; height: 84px; image-rendering: pixelated; border: 1px solid #ccc; }
figure.anomaly figcaption b { color: ${ANOMALY}; }
p.note { color: #555; font-size: 13px; }
</style></head><body>
<h1>${escapeMarkup(content.title)}</h1>
${sections.join('\n')}
</body></html>
`;
}

function factsSection(content: ReportContent): string {
  const facts = content.facts.map(([name, value]) => `<tr><th>${escapeMarkup(name)}</th><td>${escapeMarkup(value)}</td></tr>`).join('');
  const metrics = Object.entries(content.metrics ?? {}).map(([name, value]) =>
    `<tr><th>${escapeMarkup(name)}</th><td class="number">${Number.isInteger(value) ? value : value.toFixed(4)}</td></tr>`).join('');
  return `<table>${facts}</table>${metrics ? `<h2>Metrics</h2><table>${metrics}</table>` : ''}`;
}

function scoreSection(content: ReportContent): string {
  const { scores, labels, threshold } = content;
  const histogram = scoreHistogram(scores, labels);
  const bars = labels && histogram.anomalous
    ? [{ label: 'normal', colour: NORMAL, edges: histogram.edges, heights: histogram.normal }, { label: 'anomalous', colour: ANOMALY, edges: histogram.edges, heights: histogram.anomalous }]
    : [{ label: 'all', colour: NORMAL, edges: histogram.edges, heights: histogram.normal }];
  const top = Math.max(...bars.flatMap((b) => Array.from(b.heights)), 1e-9);
  const charts = [svgChart({
    title: 'Scores', width: 520,
    x: { label: content.scoreLabel, min: histogram.edges[0]!, max: histogram.edges.at(-1)! },
    y: { label: labels ? 'fraction of the class' : 'fraction of the samples', min: 0, max: top * 1.05 },
    bars,
    markers: threshold === undefined ? [] : [{ label: 'threshold', colour: THRESHOLD, x: threshold }],
  })];
  if (labels && hasBothClasses(labels)) {
    const roc = rocCurve(labels, scores);
    const pr = precisionRecallCurve(labels, scores);
    charts.push(svgChart({
      title: 'ROC curve', x: { label: 'false positive rate', min: 0, max: 1 }, y: { label: 'true positive rate', min: 0, max: 1 },
      lines: [{ label: '', colour: '#aaa', x: [0, 1], y: [0, 1], dashed: true }, { label: 'detector', colour: ANOMALY, x: roc.fpr, y: roc.tpr }],
    }));
    charts.push(svgChart({
      title: 'Precision–recall curve', x: { label: 'recall', min: 0, max: 1 }, y: { label: 'precision', min: 0, max: 1 },
      lines: [{ label: 'detector', colour: ANOMALY, x: pr.recall, y: pr.precision }],
    }));
  }
  const clipped = histogram.above > 0 ? ` The ${histogram.above === 1 ? 'highest score' : `${histogram.above} highest scores`} (above the 99.5th percentile) ${histogram.above === 1 ? 'is' : 'are'} counted in the last bar.` : '';
  const flagged = threshold === undefined ? '' : ` ${countAtOrAbove(scores, threshold)} of ${scores.length} are at or above the threshold ${threshold.toPrecision(4)}.`;
  return `<h2>Scores</h2><p class="note">${scores.length} scores, higher = more anomalous.${flagged}${clipped}</p><div class="charts">${charts.join('')}</div>`;
}

export interface ScoreHistogram {
  edges: Float64Array;
  /** Per bin, the fraction of the normal samples (or of all samples, without labels). */
  normal: Float64Array;
  /** Per bin, the fraction of the anomalies; absent without labels or without anomalies. */
  anomalous?: Float64Array;
  /** How many scores lie above the last edge and were counted in the last bin. */
  above: number;
}

/**
 * `bins` equal bins from the lowest score to the 99.5th percentile (one far outlier would otherwise squeeze
 * every other score into a bar or two); scores above it go into the last bin. Each class is normalised on
 * its own, since anomalies are usually few.
 */
export function scoreHistogram(scores: ArrayLike<number>, labels?: ArrayLike<number>, bins = 40): ScoreHistogram {
  const finite = Float64Array.from(scores).filter(Number.isFinite);
  // Loops, not Math.min(...finite): spreading 300,000 arguments overflows the stack.
  let low = Infinity;
  let highest = -Infinity;
  for (const s of finite) {
    if (s < low) low = s;
    if (s > highest) highest = s;
  }
  let high = finite.length > 0 ? percentile(finite, 99.5) : 1;
  if (!(high > low)) high = highest;
  if (!(high > low)) {
    low = (Number.isFinite(low) ? low : 0) - 0.5;
    high = low + 1;
  }
  const edges = Float64Array.from({ length: bins + 1 }, (_, i) => low + ((high - low) * i) / bins);
  const normal = new Float64Array(bins);
  const anomalous = new Float64Array(bins);
  let normals = 0;
  let anomalies = 0;
  let above = 0;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i]!;
    if (!Number.isFinite(s)) continue;
    if (s > high) above++;
    const bin = Math.min(bins - 1, Math.max(0, Math.floor(((s - low) / (high - low)) * bins)));
    if (labels?.[i] === 1) {
      anomalous[bin]++;
      anomalies++;
    } else {
      normal[bin]++;
      normals++;
    }
  }
  for (let b = 0; b < bins; b++) {
    normal[b] /= Math.max(1, normals);
    anomalous[b] /= Math.max(1, anomalies);
  }
  return { edges, normal, ...(anomalies > 0 ? { anomalous } : {}), above };
}

export interface Gallery {
  title: string;
  indices: number[];
}

/**
 * The samples to look at first: the most anomalous; with labels, also the anomalies scored lowest (the
 * detector's misses) and the normal samples scored highest (its false alarms), named by `noun`.
 */
export function galleries(scores: ArrayLike<number>, labels: ArrayLike<number> | undefined, length: number, noun = 'images'): Gallery[] {
  const all = Array.from({ length: scores.length }, (_, i) => i);
  const descending = all.sort((a, b) => scores[b]! - scores[a]! || a - b);
  const result = [{ title: 'Most anomalous', indices: descending.slice(0, length) }];
  if (labels) {
    const missed = descending.filter((i) => labels[i] === 1).reverse().slice(0, length);
    const falseAlarms = descending.filter((i) => labels[i] === 0).slice(0, length);
    if (missed.length > 0) result.push({ title: 'Anomalies scored lowest (the first misses)', indices: missed });
    if (falseAlarms.length > 0) result.push({ title: `Normal ${noun} scored highest (the first false alarms)`, indices: falseAlarms });
  }
  return result;
}

/** Sample i's label in words, and ', flagged' when its score reaches the threshold. */
function status(content: ReportContent, i: number): { label: string; flagged: string } {
  const { scores, labels, threshold } = content;
  return {
    label: labels ? (labels[i] === 1 ? 'anomaly' : 'normal') : 'unlabelled',
    flagged: threshold !== undefined && scores[i]! >= threshold ? ', flagged' : '',
  };
}

function gallerySection(content: ReportContent, images: ReportImages): string {
  const { scores, labels } = content;
  const scale = images.maps ? heatScale(images.maps) : undefined;
  const dataUri = (png: Buffer) => `data:image/png;base64,${png.toString('base64')}`;
  const tile = (i: number) => {
    const name = images.files?.[i] ?? `#${i}`;
    const { label, flagged } = status(content, i);
    const map = images.maps && scale ? `<img src="${dataUri(heatmapPng(images.maps, i, scale))}" alt="anomaly map">` : '';
    return `<figure class="${labels?.[i] === 1 ? 'anomaly' : 'normal'}"><img src="${dataUri(samplePng(images.x, images.shape, i))}" alt="${escapeMarkup(name)}">${map}` +
      `<figcaption>${escapeMarkup(name)}<br>score ${scores[i]!.toPrecision(4)}<br><b>${label}</b>${flagged}</figcaption></figure>`;
  };
  const mapsNote = images.maps ? ' Beside each image, its anomaly map: squared reconstruction error per pixel, one colour scale for the whole set (dark blue lowest, dark red the set\'s 99.9th percentile and above).' : '';
  const parts = galleries(scores, labels, content.galleryLength ?? 12).map((g) => `<h3>${escapeMarkup(g.title)}</h3><div class="gallery">${g.indices.map(tile).join('')}</div>`);
  return `<h2>Images</h2><p class="note">Images at the network's input size.${mapsNote}</p>${parts.join('\n')}`;
}

/** The rows to look at first, as the image galleries, each with the features that deviate most from normal. */
function rowSection(content: ReportContent, rows: ReportRows): string {
  const { scores, labels } = content;
  const features = rows.shape[1]!;
  const name = (f: number) => rows.featureNames?.[f] ?? `feature ${f}`;
  const line = (i: number) => {
    const { label, flagged } = status(content, i);
    const top = topFeatures(rows.errors, i, TOP_FEATURES).map(({ feature, share }) =>
      `${escapeMarkup(name(feature))} = ${formatValue(rows.x[i * features + feature]!)} (${(share * 100).toFixed(0)}%)`).join('; ');
    return `<tr><td class="number">${rows.fileRows?.[i] ?? i}</td><td class="number">${scores[i]!.toPrecision(4)}</td><td>${label}${flagged}</td><td>${top}</td></tr>`;
  };
  const parts = galleries(scores, labels, content.galleryLength ?? 12, 'rows').map((g) =>
    `<h3>${escapeMarkup(g.title)}</h3><table><tr><th>row</th><th>score</th><th>label</th><th>features that deviate most: value (share of the row's error)</th></tr>${g.indices.map(line).join('')}</table>`);
  return `<h2>Rows</h2><p class="note">${rows.fileRows ? 'Rows are numbered as in their file, from 0 (the row column of score\'s CSV)' : 'Rows are numbered as in the scored data, from 0'}. Beside each, the ${TOP_FEATURES} features with the largest squared reconstruction error (on the model's own scale), with their values and their share of the row's error.</p>${parts.join('\n')}`;
}

const TOP_FEATURES = 3;

/** A table value, short: integers whole, others to 4 significant digits. */
function formatValue(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(4);
}

function videoSection(videos: readonly ReportVideo[], scoreLabel: string): string {
  const charts = videos.map((video) => svgChart({
    title: `${video.name}${video.auc !== undefined && Number.isFinite(video.auc) ? ` (AUC ${video.auc.toFixed(4)})` : ''}`,
    width: 640, height: 200,
    x: { label: 'frame', min: 0, max: Math.max(1, video.scores.length - 1) },
    y: { label: 'score', min: 0, max: 1 },
    // A run of anomalous frames i..j-1 is shaded from half a frame before i to half a frame after j-1.
    bands: { label: 'anomalous frames', colour: ANOMALY, intervals: video.labels ? runsOfOnes(video.labels).map(({ from, to }) => ({ from: from - 0.5, to: to - 0.5 })) : [] },
    lines: [{ label: 'score', colour: NORMAL, x: Array.from({ length: video.scores.length }, (_, i) => i), y: video.scores }],
  }));
  return `<h2>Videos</h2><p class="note">Each frame's ${escapeMarkup(scoreLabel)}, higher = more anomalous; ${videos.some((video) => video.labels) ? 'shaded: the frames the ground truth marks anomalous; ' : ''}gaps: frames the method does not score.</p><div class="charts">${charts.join('')}</div>`;
}

/** The runs of 1s as [from, to) frame intervals. */
export function runsOfOnes(labels: ArrayLike<number>): { from: number; to: number }[] {
  const runs: { from: number; to: number }[] = [];
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== 1) continue;
    const last = runs.at(-1);
    if (last && last.to === i) last.to = i + 1;
    else runs.push({ from: i, to: i + 1 });
  }
  return runs;
}

function countAtOrAbove(scores: ArrayLike<number>, threshold: number): number {
  let count = 0;
  for (let i = 0; i < scores.length; i++) if (scores[i]! >= threshold) count++;
  return count;
}
