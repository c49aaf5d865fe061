import { test } from 'node:test';
import assert from 'node:assert/strict';
import pngjs from 'pngjs';
import { galleries, renderReport, runsOfOnes, scoreHistogram } from './html-report.js';
import { topFeatures } from './top-features.js';

const sum = (values: ArrayLike<number>) => Array.from(values).reduce((a, b) => a + b, 0);

test('the histogram normalises each class on its own and puts far outliers in the last bin', () => {
  const scores = Float64Array.from({ length: 1000 }, (_, i) => (i === 999 ? 1e6 : i / 1000));
  const labels = Int32Array.from({ length: 1000 }, (_, i) => (i >= 900 ? 1 : 0));
  const h = scoreHistogram(scores, labels, 10);
  assert.equal(h.edges.length, 11);
  assert.equal(h.edges[0], 0);
  assert.ok(h.edges[10]! < 1, `the last edge ${h.edges[10]} is the 99.5th percentile, not the outlier`);
  assert.ok(Math.abs(sum(h.normal) - 1) < 1e-12 && Math.abs(sum(h.anomalous!) - 1) < 1e-12);
  assert.equal(h.above, 5, 'the scores above the 99.5th percentile');
  assert.ok(h.anomalous![9]! > 0.5, 'the anomalies, highest, fill the last bins');
  const one = scoreHistogram([3, 3, 3]);
  assert.deepEqual([one.edges[0], one.edges.at(-1), one.anomalous, sum(one.normal)], [2.5, 3.5, undefined, 1], 'equal scores get a unit range around them');
});

test('galleries: the most anomalous, the anomalies scored lowest, the normal samples scored highest', () => {
  const scores = [0.9, 0.1, 0.5, 0.7, 0.3, 0.8];
  const labels = [1, 1, 0, 0, 1, 0];
  assert.deepEqual(galleries(scores, labels, 2), [
    { title: 'Most anomalous', indices: [0, 5] },
    { title: 'Anomalies scored lowest (the first misses)', indices: [1, 4] },
    { title: 'Normal images scored highest (the first false alarms)', indices: [5, 3] },
  ]);
  assert.deepEqual(galleries(scores, undefined, 3), [{ title: 'Most anomalous', indices: [0, 5, 3] }]);
  assert.deepEqual(runsOfOnes([0, 1, 1, 0, 1]), [{ from: 1, to: 3 }, { from: 4, to: 5 }]);
});

test('a report of labelled images: metrics, histogram, ROC and PR curves, galleries with maps, names escaped', () => {
  const n = 6;
  const x = Float32Array.from({ length: n * 3 * 4 * 5 }, (_, i) => (i % 7) / 6);
  const maps = { data: Float32Array.from({ length: n * 4 * 5 }, (_, i) => i), shape: [n, 4, 5] as [number, number, number] };
  const html = renderReport({
    title: 'a <test>', facts: [['data', 'parts & pieces']], metrics: { auc: 0.75, samples: 6 },
    scoreLabel: 'anomaly score', scores: [0.9, 0.1, 0.5, 0.7, 0.3, 0.8], labels: [1, 1, 0, 0, 1, 0], threshold: 0.6,
    images: { x, shape: [n, 3, 4, 5], files: ['a.png', 'b.png', '<script>.png', 'd.png', 'e.png', 'f.png'], maps },
    galleryLength: 2,
  });
  assert.match(html, /^<!DOCTYPE html>/);
  assert.match(html, /<title>a &lt;test&gt;<\/title>/);
  assert.match(html, /parts &amp; pieces/);
  assert.match(html, /<th>auc<\/th><td class="number">0.7500<\/td>/);
  assert.match(html, /<th>samples<\/th><td class="number">6<\/td>/);
  assert.match(html, /3 of 6 are at or above the threshold 0.6000/);
  for (const title of ['Scores', 'ROC curve', 'Precision–recall curve']) assert.ok(html.includes(`>${title}</text>`), title);
  assert.ok(!html.includes('<script>'), 'a file name never becomes markup');
  assert.equal(html.match(/<figure/g)?.length, 6, 'three galleries of two');
  const images = [...html.matchAll(/src="data:image\/png;base64,([^"]+)"/g)].map((m) => pngjs.PNG.sync.read(Buffer.from(m[1]!, 'base64')));
  assert.equal(images.length, 12, 'each image beside its map');
  assert.ok(images.every((png) => png.width === 5 && png.height === 4));
});

test('a report without labels has no curves and one gallery; a video report plots each video over its ground truth', () => {
  const html = renderReport({ title: 't', facts: [], scoreLabel: 's', scores: [1, 2, 3], images: { x: new Float32Array(3 * 4), shape: [3, 1, 2, 2] } });
  assert.ok(!html.includes('ROC curve') && !html.includes('Metrics'));
  assert.equal(html.match(/<h3>/g)?.length, 1);
  assert.match(html, /<b>unlabelled<\/b>/);
  const video = renderReport({
    title: 'v', facts: [], scoreLabel: 'frame score', scores: [0.1, 0.9, 0.2], labels: [0, 1, 0],
    videos: [{ name: 'Test001', scores: [NaN, 0.1, 0.9, 0.2], labels: [0, 0, 1, 0], auc: 1 }, { name: 'Test002', scores: [0, 1], labels: [0, 0] }],
  });
  assert.match(video, />Test001 \(AUC 1.0000\)</);
  assert.match(video, />Test002</);
  assert.equal(video.match(/fill-opacity="0.25"/g)?.length, 1, 'one run of anomalous frames, shaded');
  assert.match(video, /shaded: the frames the ground truth marks anomalous/);
  const unlabelled = renderReport({ title: 'v', facts: [], scoreLabel: 'frame score', scores: [0.1, 0.9], videos: [{ name: 'Train001', scores: [NaN, 0.1, 0.9] }] });
  assert.ok(!unlabelled.includes('ground truth'), 'no labels: no word of shading');
});

test('table rows: each named with the features of largest error, their values and shares', () => {
  const errors = { data: Float32Array.from([0.1, 0.6, 0.3, /* row 1 */ 0, 0, 0]), shape: [2, 3] as [number, number] };
  assert.deepEqual(topFeatures(errors, 0, 2).map(({ feature, share }) => [feature, Number(share.toFixed(6))]), [[1, 0.6], [2, 0.3]]);
  assert.deepEqual(topFeatures(errors, 1, 2), [{ feature: 0, share: 0 }, { feature: 1, share: 0 }], 'no error: the first columns, no share');
  const html = renderReport({
    title: 't', facts: [], scoreLabel: 's', scores: [0.9, 0.1], labels: [1, 0],
    rows: { x: Float32Array.from([1.5, 20, 0.25, 0, 0, 0]), shape: [2, 3], featureNames: ['bytes', '<port>', 'rate'], errors },
  });
  assert.match(html, /<h2>Rows<\/h2>/);
  assert.match(html, /&lt;port&gt; = 20 \(60%\); rate = 0\.2500 \(30%\); bytes = 1\.500 \(10%\)/);
  assert.match(html, /<h3>Normal rows scored highest \(the first false alarms\)<\/h3>/);
  assert.match(html, /Rows are numbered as in the scored data, from 0\./);
  // With the rows' places in their file (a shuffled held-out split), those are the numbers shown.
  const filed = renderReport({
    title: 't', facts: [], scoreLabel: 's', scores: [0.9, 0.1], labels: [1, 0],
    rows: { x: Float32Array.from([1.5, 20, 0.25, 0, 0, 0]), shape: [2, 3], featureNames: ['bytes', '<port>', 'rate'], errors, fileRows: Int32Array.from([312, 7]) },
  });
  assert.match(filed, /Rows are numbered as in their file, from 0/);
  assert.match(filed, /<tr><td class="number">312<\/td><td class="number">0\.9000<\/td>/);
});

test('renderReport checks its input up front, naming the field', () => {
  const call = renderReport as (content?: unknown) => string;
  const base = { title: 't', facts: [], scoreLabel: 's', scores: [0.1, 0.9, 0.5] };
  assert.throws(() => call(), {
    code: 'INVALID_ARGUMENT',
    message: 'Expected an object with title, facts, scoreLabel and scores for renderReport options but received undefined. '
      + "For example: renderReport({ title: 'bottle', facts: [['data', 'bottle/']], scoreLabel: 'anomaly score', scores, labels }).",
  });
  assert.throws(() => call({}), /Expected a string for title but received undefined/);
  assert.throws(() => call({ ...base, facts: undefined }), {
    message: 'Expected an array of [name, value] string pairs (may be empty) for facts but received undefined.',
  });
  assert.throws(() => call({ ...base, threshold: 'x' }), {
    code: 'INVALID_ARGUMENT',
    message: "Expected a finite number (or leave it out) for threshold but received 'x' of type string.",
  });
  assert.throws(() => call({ ...base, labels: [0, 2, 0] }), {
    code: 'INVALID_ARGUMENT',
    message: 'Expected 0 (normal) or 1 (anomaly) for labels[1] but received 2 of type number. Map labels to 0/1 first, e.g. with (v) => (v ? 1 : 0).',
  });
  assert.throws(() => call({ ...base, labels: [0, 1] }), /Expected the same length as scores \(3\) for labels but received an array of length 2/);
  assert.throws(() => call({ ...base, scores: [0.1, NaN, 0.3] }), /^NormalityError: Expected a finite number for scores\[1\] but received NaN/);
  assert.throws(() => call({ ...base, treshold: 0.5 }), {
    message: "Unknown option 'treshold' for renderReport. Did you mean 'threshold'? Its options: title, facts, metrics, scoreLabel, scores, labels, threshold, images, rows, videos, galleryLength.",
  });
  assert.throws(() => call({ ...base, images: { x: new Float32Array(8), shape: [2, 1, 2, 2] } }), {
    message: 'Expected (N, C, H, W) with N = 3 (one image per score) and C 1 or 3 for images.shape but received shape (2, 1, 2, 2).',
  });
  assert.throws(() => call({ ...base, videos: [{ name: 'v', scores: [0, 1], labels: [0, 1, 1] }] }), /for videos\[0\]\.labels but received an array of length 3/);
});
