import assert from 'node:assert/strict';
import { test } from 'node:test';
import { microAuc } from '../metrics/video.js';
import { rocAuc } from '../metrics/roc.js';
import { evaluateVideos, normalizeWithinVideo, scoresPerVideo, unscoredNote } from './video-eval.js';
import type { VideoSet } from './video.js';

const scored = (...values: number[]) => Float64Array.from(values);

test('evaluateVideos: per-video min-max, micro AUC over the scored frames, one AUC per video in order', () => {
  const scores = [
    { name: 'a', scores: scored(NaN, 1, 3, 2, 5) },
    { name: 'b', scores: scored(10, 30, 20, 40) },
  ];
  const labels = [Uint8Array.from([1, 0, 1, 0, 1]), Uint8Array.from([0, 1, 0, 1])];
  const evaluation = evaluateVideos(scores, labels);
  assert.equal(evaluation.microAuc, microAuc([Uint8Array.from([0, 1, 0, 1]), labels[1]!], [scored(0, 0.5, 0.25, 1), scored(0, 2 / 3, 1 / 3, 1)]));
  assert.deepEqual(evaluation.videoAucs, [rocAuc(Int32Array.from([0, 1, 0, 1]), scored(1, 3, 2, 5)), 1]);
  assert.deepEqual([evaluation.scoredFrames, evaluation.totalFrames, evaluation.unscoredVideos, unscoredNote(evaluation)], [8, 9, [], '']);
});

test('evaluateVideos leaves out a video too short to have a scored frame, and says which; none scored is an error', () => {
  const labels = [Uint8Array.from([0, 1, 0, 1]), Uint8Array.from([1, 1]), Uint8Array.from([1, 0, 0, 1])];
  const full = evaluateVideos([
    { name: 'a', scores: scored(1, 3, 2, 5) },
    { name: 'short', scores: scored(NaN, NaN) },
    { name: 'c', scores: scored(4, 1, 2, 3) },
  ], labels);
  const withoutShort = evaluateVideos([{ name: 'a', scores: scored(1, 3, 2, 5) }, { name: 'c', scores: scored(4, 1, 2, 3) }], [labels[0]!, labels[2]!]);
  assert.equal(full.microAuc, withoutShort.microAuc);
  assert.equal(full.meanVideoAuc, withoutShort.meanVideoAuc);
  assert.deepEqual(full.videoAucs, [withoutShort.videoAucs[0], NaN, withoutShort.videoAucs[1]], 'aligned with the videos, NaN for the short one');
  assert.deepEqual([full.unscoredVideos, full.skippedVideos, full.totalFrames], [['short'], 1, 10]);
  assert.equal(unscoredNote(full), "left out of the AUCs: 1 test video shorter than the model's clip (short)");
  assert.equal(full.normalized[1]!.scores.length, 2, 'the short video is still plotted, without scores');
  assert.throws(() => evaluateVideos([{ name: 'short', scores: scored(NaN) }], [Uint8Array.from([1])]), {
    message: "evaluating videos: no frame of any of the 1 test videos was scored: each is shorter than the model's clip. Test on longer videos.",
  });
  assert.throws(() => evaluateVideos([{ name: 'a', scores: scored(1, 2) }], [Uint8Array.from([1])]), { message: 'video a: 2 frame scores but 1 frame labels' });
});

test('normalizeWithinVideo keeps unscored frames empty; scoresPerVideo cuts the concatenated scores at each video', () => {
  assert.deepEqual([...normalizeWithinVideo(scored(NaN, 2, 4, 3))], [NaN, 0, 1, 0.5]);
  assert.deepEqual([...normalizeWithinVideo(scored(NaN, NaN))], [NaN, NaN]);
  const set = { videos: [{ name: 'a', length: 2 }, { name: 'b', length: 3 }], channels: 1, height: 4, width: 4 } as unknown as VideoSet;
  assert.deepEqual(scoresPerVideo(set, scored(1, 2, 3, 4, 5)).map((v) => [v.name, [...v.scores]]), [['a', [1, 2]], ['b', [3, 4, 5]]]);
  assert.throws(() => scoresPerVideo(set, scored(1, 2, 3)), /3 frame scores for 5 frames/);
});

test('evaluateVideos says what its arguments are when they are missing or of the wrong kind', () => {
  const call = evaluateVideos as (scores?: unknown, labels?: unknown) => unknown;
  assert.throws(() => call(), {
    code: 'INVALID_ARGUMENT',
    message: 'Expected an array of { name, scores } per test video (frame scores, NaN where unscored) for scores but received undefined. '
      + "For example: evaluateVideos([{ name: '01', scores: frameScores }], [frameLabels]), one entry per test video, in the same order.",
  });
  assert.throws(() => call([scored(1, 2)], []), /for scores but received an array of length 1\./);
  assert.throws(() => call([{ name: 'a', scores: scored(1, 2) }]), /Expected an array of frame labels per test video \(1 = anomalous frame\) for labels but received undefined\./);
});

test('evaluateVideos with normalize: false takes scores normalised within each video already (MNAD\'s S) as they are', () => {
  // Two videos whose S spans different ranges: a second min-max would stretch video b and change the micro AUC.
  const videos = [{ name: 'a', scores: scored(0.1, 0.2, 0.9, 0.8) }, { name: 'b', scores: scored(0.3, 0.32, 0.4, 0.35) }];
  const labels = [Uint8Array.from([0, 0, 1, 1]), Uint8Array.from([0, 1, 0, 0])];
  const asGiven = evaluateVideos(videos, labels, { normalize: false });
  // 15 (anomaly, normal) pairs: 0.9 and 0.8 outrank all 5 normal frames, b's 0.32 outranks 0.1, 0.2 and 0.3.
  assert.ok(Math.abs(asGiven.microAuc - 13 / 15) < 1e-12, String(asGiven.microAuc));
  assert.deepEqual([...asGiven.normalized[1]!.scores], [0.3, 0.32, 0.4, 0.35], 'plotted as given');
  const again = evaluateVideos(videos, labels);
  assert.ok(Math.abs(again.microAuc - 11.5 / 15) < 1e-12, 'normalised again, b\'s normal 0.4 becomes 1 and ties a\'s 0.9');
  assert.equal(asGiven.meanVideoAuc, again.meanVideoAuc, 'per-video AUCs do not depend on it');
  assert.throws(() => evaluateVideos(videos, labels, { normalize: 'no' as unknown as boolean }), /for options\.normalize but received 'no'/);
});
