import { test } from 'node:test';
import assert from 'node:assert/strict';
import { thresholdFromContamination } from '../../metrics/percentile.js';
import { RunningScore } from './score.js';
import { calibrateStream, savedStreamCalibration, typicalSpreads } from './stream-calibration.js';

const videos = [
  { psnr: [NaN, 30, 32, 31], distance: [NaN, 0.1, 0.2, 0.1] }, // spreads 2 and 0.1
  { psnr: [NaN, 20, 26, 22], distance: [NaN, 0.3, 0.3, 0.7] }, // 6 and 0.4
  { psnr: [NaN, 25, 29, 25], distance: [NaN, 0.5, 0.6, 0.5] }, // 4 and 0.1
  { psnr: [NaN, NaN, NaN, 40], distance: [NaN, NaN, NaN, 0.9] }, // one scored frame: no spread, left out
];

test('typicalSpreads: the median over the videos of each one\'s spread, videos with fewer than 2 scored frames left out', () => {
  assert.deepEqual(typicalSpreads(videos), { psnr: 4, distance: 0.1 });
  assert.deepEqual(typicalSpreads(videos.slice(0, 2)), { psnr: 4, distance: 0.25 }, 'an even count: the mean of the middle two');
  assert.deepEqual(typicalSpreads([videos[3]!]), { psnr: 0, distance: 0 }, 'no video with a spread: none');
});

test('calibrateStream: the spreads, and the threshold of the online S over the training videos, each a stream of its own', () => {
  const calibration = calibrateStream(videos, 0.6, 0.1);
  const online = videos.flatMap((video) => {
    const running = new RunningScore(0.6, { psnr: 4, distance: 0.1 });
    return video.psnr.map((p, i) => running.next(p, video.distance[i]!)).filter((s) => !Number.isNaN(s));
  });
  assert.equal(online.length, 10);
  assert.deepEqual(calibration, { spreads: { psnr: 4, distance: 0.1 }, threshold: thresholdFromContamination(online, 0.1) });
  assert.deepEqual(calibrateStream(videos, 0.6, 0), { spreads: { psnr: 4, distance: 0.1 }, threshold: null }, 'no contamination: no threshold');
  for (const contamination of [-0.1, 0.7, NaN]) {
    assert.throws(() => calibrateStream(videos, 0.6, contamination), /^NormalityError: Expected a fraction in \(0, 0\.5\] for contamination/);
  }
  assert.throws(() => calibrateStream([{ psnr: [NaN, NaN], distance: [NaN, NaN] }, { psnr: [NaN], distance: [NaN] }], 0.6, 0.1),
    /^NormalityError: Expected normal videos with frames to score .* but received 2 videos without a scored frame\. Calibrate with longer videos\./);
});

test('savedStreamCalibration reads what save wrote and refuses anything else, naming the file', () => {
  const good = { spreads: { psnr: 4, distance: 0.1 }, threshold: 0.5 };
  assert.deepEqual(savedStreamCalibration(JSON.parse(JSON.stringify(good)), 'm.safetensors'), good);
  assert.deepEqual(savedStreamCalibration({ ...good, threshold: null }, 'm.safetensors'), { ...good, threshold: null });
  assert.equal(savedStreamCalibration(undefined, 'm.safetensors'), undefined, 'a checkpoint saved before calibration');
  assert.equal(savedStreamCalibration(null, 'm.safetensors'), undefined, 'a detector never calibrated');
  for (const bad of [{ spreads: { psnr: -1, distance: 0.1 }, threshold: 0.5 }, { spreads: { psnr: 4 }, threshold: 0.5 }, { ...good, threshold: '0.5' }, 3]) {
    assert.throws(() => savedStreamCalibration(bad, 'm.safetensors'), /^NormalityError: m\.safetensors: its metadata 'stream' is .*, not \{ spreads: \{ psnr, distance \} \(numbers ≥ 0\), threshold \(a number or null\) \}/);
  }
});
