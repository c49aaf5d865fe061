/**
 * renderReport's input checked up front. Called from plain JavaScript, a report of the wrong shape would
 * otherwise fail deep inside the page (`threshold.toPrecision is not a function`, `reading 'map'`) or,
 * worse, draw labels 2 as normal samples without a word.
 */
import { checkOptionKeys, requireOptions } from '../config/option-keys.js';
import { described, invalidArgument } from '../errors.js';
import { checkAllFinite, checkBinary, checkNumberArray, checkSameLength } from '../metrics/validate.js';
import type { ReportContent, ReportImages, ReportRows, ReportVideo } from './html-report.js';

const CONTENT_KEYS: readonly (keyof ReportContent)[] = [
  'title', 'facts', 'metrics', 'scoreLabel', 'scores', 'labels', 'threshold', 'images', 'rows', 'videos', 'galleryLength',
];
const EXAMPLE = "renderReport({ title: 'bottle', facts: [['data', 'bottle/']], scoreLabel: 'anomaly score', scores, labels })";

export function checkReportContent(content: ReportContent): void {
  requireOptions('renderReport', content, 'title, facts, scoreLabel and scores', EXAMPLE);
  checkOptionKeys('renderReport', content, CONTENT_KEYS);
  const { title, facts, metrics, scoreLabel, scores, labels, threshold, galleryLength } = content;
  if (typeof title !== 'string') throw invalidArgument('title', 'a string', title, `For example: ${EXAMPLE}.`);
  if (typeof scoreLabel !== 'string') throw invalidArgument('scoreLabel', "a string saying what a score is, e.g. 'anomaly score'", scoreLabel);
  const isPair = (fact: unknown) => Array.isArray(fact) && fact.length === 2 && fact.every((part) => typeof part === 'string');
  if (!Array.isArray(facts)) throw invalidArgument('facts', 'an array of [name, value] string pairs (may be empty)', facts);
  facts.forEach((fact, i) => { if (!isPair(fact)) throw invalidArgument(`facts[${i}]`, 'a [name, value] pair of strings', fact); });
  if (metrics !== undefined) {
    if (metrics === null || typeof metrics !== 'object') throw invalidArgument('metrics', 'an object of named numbers', metrics);
    for (const [name, value] of Object.entries(metrics)) {
      if (typeof value !== 'number') throw invalidArgument(`metrics.${name}`, 'a number', value);
    }
  }
  checkNumberArray('scores', scores);
  // Each sample's score is drawn and ranked; a NaN would drop out of the histogram without a word
  // (video frames without a score belong in videos[].scores, where NaN is allowed).
  checkAllFinite('scores', scores);
  if (labels !== undefined) checkLabels('labels', labels, 'scores', scores);
  if (threshold !== undefined && !Number.isFinite(threshold)) throw invalidArgument('threshold', 'a finite number (or leave it out)', threshold);
  if (galleryLength !== undefined && !(Number.isInteger(galleryLength) && galleryLength >= 1)) {
    throw invalidArgument('galleryLength', 'a whole number of images >= 1', galleryLength);
  }
  if (content.images !== undefined) checkImages(content.images, scores.length);
  if (content.rows !== undefined) checkRows(content.rows, scores.length);
  if (content.videos !== undefined) checkVideos(content.videos);
}

/** Labels of the report are 1 = anomaly, 0 = normal, as rocAuc wants them; one per score. */
function checkLabels(name: string, labels: unknown, scoresName: string, scores: ArrayLike<number>): void {
  checkNumberArray(name, labels);
  checkSameLength(scoresName, scores, name, labels);
  for (let i = 0; i < labels.length; i++) checkBinary(name, labels[i]!, i);
}

const shapeText = (shape: unknown) => described(Array.isArray(shape) ? `shape (${shape.join(', ')})` : String(shape));

function checkImages(images: ReportImages, n: number): void {
  const { x, shape, maps } = images ?? ({} as ReportImages);
  const ok = Array.isArray(shape) && shape.length === 4 && shape[0] === n && (shape[1] === 1 || shape[1] === 3);
  if (!ok) throw invalidArgument('images.shape', `(N, C, H, W) with N = ${n} (one image per score) and C 1 or 3`, shapeText(shape));
  checkNumberArray('images.x', x);
  if (x.length !== shape.reduce((a, b) => a * b, 1)) throw invalidArgument('images.x', `the values of shape (${shape.join(', ')})`, x);
  if (maps !== undefined) {
    const [, , height, width] = shape;
    const fits = Array.isArray(maps?.shape) && maps.shape[0] === n && maps.shape[1] === height && maps.shape[2] === width;
    if (!fits) throw invalidArgument('images.maps.shape', `(${n}, ${height}, ${width}): one map per image at its size`, shapeText(maps?.shape));
  }
}

function checkRows(rows: ReportRows, n: number): void {
  const { x, shape, errors } = rows ?? ({} as ReportRows);
  if (!(Array.isArray(shape) && shape.length === 2 && shape[0] === n)) {
    throw invalidArgument('rows.shape', `(N, D) with N = ${n} (one row per score)`, shapeText(shape));
  }
  checkNumberArray('rows.x', x);
  const fits = Array.isArray(errors?.shape) && errors.shape[0] === n && errors.shape[1] === shape[1];
  if (!fits) throw invalidArgument('rows.errors.shape', `(${n}, ${shape[1]}): one error per feature of each row`, shapeText(errors?.shape));
}

function checkVideos(videos: readonly ReportVideo[]): void {
  if (!Array.isArray(videos)) throw invalidArgument('videos', 'an array of { name, scores, labels? }', videos);
  videos.forEach((video, v) => {
    if (typeof video?.name !== 'string') throw invalidArgument(`videos[${v}].name`, 'a string', video?.name);
    checkNumberArray(`videos[${v}].scores`, video.scores);
    if (video.labels !== undefined) checkLabels(`videos[${v}].labels`, video.labels, `videos[${v}].scores`, video.scores);
  });
}
