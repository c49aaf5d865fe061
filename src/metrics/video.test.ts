import { test } from 'node:test';
import assert from 'node:assert/strict';
import { meanPerVideoAuc, microAuc, minMaxNormalize, perVideoMinMax } from './video.js';
import { assertAllClose, assertClose, loadReference } from './fixtures/reference.js';

const video = loadReference().video;

test('minMaxNormalize maps to [0, 1]; constant input gives zeros, not NaN', () => {
  assert.deepEqual(Array.from(minMaxNormalize([2, 4, 3])), [0, 1, 0.5]);
  assert.deepEqual(Array.from(minMaxNormalize(new Float32Array([7, 7, 7]))), [0, 0, 0]);
  assert.deepEqual(Array.from(minMaxNormalize([])), []);
});

test('perVideoMinMax normalises each video on its own, as the reference', () => {
  const lengths = video.scoresPerVideo.map((s) => s.length);
  const normalized = perVideoMinMax(video.scoresPerVideo.flat(), lengths);
  assertAllClose(normalized, video.normalizedPerVideo.flat(), 1e-15, 'normalized');
  assert.deepEqual(Array.from(perVideoMinMax([1, 3, 5, 5], [2, 0, 2])), [0, 1, 0, 0]);
});

test('microAuc pools all frames (equals sklearn on the concatenation)', () => {
  const normalized = video.normalizedPerVideo;
  assertClose(microAuc(video.labelsPerVideo, normalized), video.microAucNormalized, 1e-12, 'normalised');
  assertClose(microAuc(video.labelsPerVideo, video.scoresPerVideo), video.microAucRaw, 1e-12, 'raw');
});

test('meanPerVideoAuc skips single-class videos and says which', () => {
  const result = meanPerVideoAuc(video.labelsPerVideo, video.scoresPerVideo);
  assertClose(result.mean, video.meanPerVideoAuc, 1e-12, 'mean');
  assert.equal(result.skipped, 1);
  assert.deepEqual(result.skippedVideos, video.skippedVideos);
  video.perVideoAuc.forEach((expected, v) => {
    if (expected === null) assert.ok(Number.isNaN(result.perVideo[v]));
    else assertClose(result.perVideo[v], expected, 1e-12, `video ${v}`);
  });
});

test('bad input', () => {
  assert.throws(() => perVideoMinMax([1, 2, 3], [2, 2]), {
    name: 'NormalityError',
    message: 'Expected lengths that add up to scores.length (3) for videoLengths but received an array of length 2. They add up to 4: give the number of scored frames of every video, in the order of scores.',
  });
  assert.throws(() => perVideoMinMax([1, 2, 3], [1.5, 1.5]), {
    message: 'Expected a whole number of frames >= 0 for videoLengths[0] but received 1.5 of type number.',
  });
  assert.throws(() => minMaxNormalize([1, NaN]), { message: /^Expected a finite number for values\[1\]/ });
  assert.throws(() => microAuc([[0, 1], [1]], [[0.1, 0.2]]), {
    message: 'Expected one score array per video (2, as labelsPerVideo) for scoresPerVideo but received an array of length 1.',
  });
  assert.throws(() => microAuc([[0, 1], [1, 0]], [[0.1, 0.2], [0.3]]), {
    message: 'Expected the same length as labelsPerVideo[1] (2) for scoresPerVideo[1] but received an array of length 1. Pass exactly one entry of scoresPerVideo[1] per entry of labelsPerVideo[1].',
  });
  assert.throws(() => microAuc([[0, 0], [0]], [[0.1, 0.2], [0.3]]), {
    message: 'Expected both classes in labelsPerVideo for microAuc but received 3 labels, all 0 (normal). microAuc is undefined with a single class: include at least one anomaly (1) and one normal (0) sample.',
  });
  assert.throws(() => meanPerVideoAuc([[0, 0], [1]], [[0.1, 0.2], [0.3]]), {
    message: 'Expected at least one video with both normal (0) and anomalous (1) frames for labelsPerVideo but received an array of length 2. Every video has a single class, so no per-video AUC is defined; report the micro AUC instead.',
  });
});
