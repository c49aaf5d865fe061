// MnadDetector end to end on generated videos (moving squares): fit → score → save → load → the same
// scores, the stream, resuming training, wrong shapes, and no leaked tensors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FrameVideo, VideoSet } from '../../detector/video.js';
import { liveTensors } from '../../tensor/memory.js';
import { loadDetector } from '../registry.js';
import { MnadDetector, RunningScore, type MnadVideoScores } from './index.js';

const SIZE = 32;
const FRAME = 3 * SIZE * SIZE;

/** A square of side 8 moving one pixel per frame on a dark background; `noiseAt` frames are random noise. */
function movingSquare(name: string, frames: number, start: number, noiseAt: number[] = []): FrameVideo {
  const data = new Float32Array(frames * FRAME).fill(-1);
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
  for (let f = 0; f < frames; f++) {
    const x0 = (start + f) % (SIZE - 8);
    for (let c = 0; c < 3; c++) {
      for (let y = 12; y < 20; y++) for (let x = x0; x < x0 + 8; x++) data[f * FRAME + c * SIZE * SIZE + y * SIZE + x] = c === 0 ? 1 : 0.2 * c;
    }
    if (noiseAt.includes(f)) for (let i = 0; i < FRAME; i++) data[f * FRAME + i] = random();
  }
  return { name, length: frames, frames: (s, n) => data.subarray(s * FRAME, (s + n) * FRAME) };
}

/** The top-left size × size corner of every frame. */
function cropped(video: FrameVideo, size: number): FrameVideo {
  return {
    name: video.name,
    length: video.length,
    frames: (s, n) => {
      const full = video.frames(s, n);
      const out = new Float32Array(n * 3 * size * size);
      for (let f = 0; f < n * 3; f++) for (let y = 0; y < size; y++) out.set(full.subarray(f * SIZE * SIZE + y * SIZE, f * SIZE * SIZE + y * SIZE + size), (f * size + y) * size);
      return out;
    },
  };
}

const videoSet = (videos: FrameVideo[], size = SIZE, channels = 3): VideoSet => ({ videos, channels, height: size, width: size });
const train = videoSet([movingSquare('a', 12, 0), movingSquare('b', 12, 5)]);
const testSet = videoSet([movingSquare('t1', 12, 3, [8]), movingSquare('t2', 10, 9)]);
const small = { height: SIZE, width: SIZE, epochs: 2, seed: 3, featureDim: 64 };

const isNaNs = (a: ArrayLike<number>) => Array.from(a, Number.isNaN);

test('mnad-pred: fit → score → save → load gives the same scores; the stream matches; nothing leaks', async () => {
  const before = liveTensors();
  const dir = mkdtempSync(join(tmpdir(), 'normality-mnad-'));
  const detector = new MnadDetector({ ...small, variant: 'pred' });
  try {
    const report = await detector.fit(train);
    assert.equal(report.losses.length, 2);
    assert.ok(report.losses.every(Number.isFinite));
    const videos = await detector.scoreVideos(testSet);
    const scores = await detector.score(testSet);
    assert.equal(scores.length, 22);
    assert.deepEqual(isNaNs(scores), [...Array(4).fill(true), ...Array(8).fill(false), ...Array(4).fill(true), ...Array(6).fill(false)]);
    assert.deepEqual(Array.from(scores.subarray(0, 12)), Array.from(videos[0]!.scores), 'score() concatenates scoreVideos()');
    for (const s of scores) if (!Number.isNaN(s)) assert.ok(s >= 0 && s <= 1, `S in [0, 1], got ${s}`);
    const noisy = (videos[0] as MnadVideoScores).scores;
    const worst = noisy.indexOf(Math.max(...Array.from(noisy).filter((s) => !Number.isNaN(s))));
    assert.ok(worst >= 8 && worst <= 11, `the noise frame (8) or a frame predicted from it is the most anomalous, got ${worst}`);
    assert.deepEqual(await detector.score(testSet), scores, 'scoring leaves the trained memory unchanged');

    const path = join(dir, 'mnad.safetensors');
    detector.save(path);
    const loaded = loadDetector(path) as MnadDetector;
    try {
      assert.equal(loaded.modelName, 'mnad-pred');
      assert.deepEqual(await loaded.score(testSet), scores);
    } finally {
      loaded.dispose();
    }

    const streamed = [];
    const frames = testSet.videos[0]!;
    async function* arrive() {
      for (let f = 0; f < frames.length; f++) yield frames.frames(f, 1);
    }
    for await (const s of detector.scoreStream(arrive())) streamed.push(s);
    assert.deepEqual(streamed.map((s) => s.frame), Array.from({ length: 12 }, (_, i) => i));
    assert.deepEqual(streamed.map((s) => s.psnr), Array.from(videos[0]!.psnr), 'the stream gives scoreVideos\' raw PSNR');
    assert.deepEqual(streamed.map((s) => s.distance), Array.from(videos[0]!.distance));
    assert.deepEqual(streamed.map((s) => (s.updated ? 1 : 0)), Array.from(videos[0]!.updated));
    // S over the frames so far: none for the first 4, λ for the first scored, and the video's own S for the last.
    assert.ok(streamed.slice(0, 4).every((s) => Number.isNaN(s.score)));
    assert.equal(streamed[4]!.score, detector.config.scoreWeight);
    assert.ok(Math.abs(streamed.at(-1)!.score - videos[0]!.scores.at(-1)!) < 1e-12, `last frame: ${streamed.at(-1)!.score} against ${videos[0]!.scores.at(-1)}`);
    assert.equal(detector.streamThreshold, undefined, 'fit without contamination: no calibration and no threshold');
    // Calibrated from normal videos: S divides by at least their typical spreads, so the first scored frame gets 0;
    // the calibration is saved with the weights.
    const calibration = await detector.calibrateStream(train, 0.1);
    assert.ok(calibration.spreads.psnr > 0 && calibration.spreads.distance > 0 && typeof calibration.threshold === 'number', JSON.stringify(calibration));
    assert.equal(detector.streamThreshold, calibration.threshold);
    const calibrated = [];
    for await (const s of detector.scoreStream(arrive())) calibrated.push(s.score);
    const running = new RunningScore(detector.config.scoreWeight, calibration.spreads);
    assert.deepEqual(calibrated, streamed.map((s) => running.next(s.psnr, s.distance)));
    assert.equal(calibrated[4], 0);
    detector.save(join(dir, 'calibrated.safetensors'));
    const reloaded = loadDetector(join(dir, 'calibrated.safetensors')) as MnadDetector;
    try {
      assert.deepEqual([reloaded.streamCalibration, reloaded.streamThreshold, reloaded.rescoredSettings], [calibration, calibration.threshold, {}]);
    } finally {
      reloaded.dispose();
    }
    // Loaded with another λ: the threshold of S under the saved λ is dropped; the spreads, of PSNR and D, stay.
    const rescored = loadDetector(join(dir, 'calibrated.safetensors'), { scoreWeight: 0.9 }) as MnadDetector;
    try {
      assert.deepEqual([rescored.rescoredSettings, rescored.streamCalibration, rescored.streamThreshold], [{ scoreWeight: detector.config.scoreWeight }, { ...calibration, threshold: null }, undefined]);
    } finally {
      rescored.dispose();
    }

    await assert.rejects(async () => {
      for await (const _ of detector.scoreStream([new Float32Array(FRAME - 1)])) void _;
    }, /Expected 1 frame of \(C, H, W\) = \(3, 32, 32\) \(a Float32Array or Uint8Array of 3072 values\) for scoreStream frame 0 but received a Float32Array of length 3071/);
    // Every streamed float frame is checked: 0–255 values (unscaled) or a NaN would score silently wrong.
    const unscaled = new Float32Array(FRAME).fill(0.5);
    unscaled[7] = 200;
    await assert.rejects(async () => {
      for await (const _ of detector.scoreStream([new Float32Array(FRAME), unscaled])) void _;
    }, /^NormalityError: Expected float values in \[−1, 1\] \(or bytes 0–255\) for scoreStream frame 1 but received 200 in video 'stream' frame 1\. Scale float frames/);
    // While a stream is open, fit is refused: it would change the weights under the stream. Once it ends, fit may run.
    for await (const s of detector.scoreStream(arrive())) {
      await assert.rejects(detector.fit(train, { epochs: 1 }), { code: 'BUSY', message: /mnad-pred is scoring a stream \(scoreStream\): to fit now would change the weights under it/ });
      if (s.frame === 5) break;
    }
    await detector.fit(train, { epochs: 1 });
    assert.equal(detector.streamCalibration, undefined, 'training again without contamination drops the calibration of the old weights');
    // A stream that onEpoch opens and leaves open stops fit: training on would change the weights under it.
    let leftOpen: AsyncGenerator<unknown> | undefined;
    await assert.rejects(detector.fit(train, {
      epochs: 1,
      onEpoch: async () => {
        leftOpen = detector.scoreStream(arrive());
        await leftOpen.next();
      },
    }), { code: 'BUSY', message: /^mnad-pred's onEpoch left a scoreStream open/ });
    await leftOpen!.return(undefined);
  } finally {
    detector.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
  assert.equal(liveTensors(), before);
});

test('mnad-recon scores every frame; without test-time updates it scores in batches', async () => {
  const before = liveTensors();
  const detector = new MnadDetector({ ...small, variant: 'recon', epochs: 1, testUpdate: false });
  try {
    await detector.fit(train);
    const videos = await detector.scoreVideos(testSet);
    assert.ok(videos.every((v) => v.scores.every(Number.isFinite)));
    assert.ok(videos.every((v) => v.updated.every((u) => u === 0)));
    assert.equal(detector.config.scoreWeight, 0.7);
    assert.equal(detector.config.updateThreshold, 0.015);
    // Frames all at hand (a file read ahead) still let the event loop in now and then: signals, timers and
    // the writes of the rows scored so far would otherwise wait for the whole stream.
    const frames = Array.from({ length: 40 }, (_, f) => testSet.videos[0]!.frames(f % 12, 1));
    let turned = false;
    setImmediate(() => { turned = true; });
    let turnedBeforeLastFrame = false;
    for await (const item of detector.scoreStream(frames)) if (item.frame === 39) turnedBeforeLastFrame = turned;
    assert.ok(turnedBeforeLastFrame);
  } finally {
    detector.dispose();
  }
  assert.equal(liveTensors(), before);
});

test('stopEarly ends training after the epoch that asks, onEpoch is awaited before it, and beforeThreshold comes last', async () => {
  const before = liveTensors();
  const detector = new MnadDetector({ ...small, height: 16, width: 16, featureDim: 16, epochs: 3, testUpdate: false, contamination: 0.1 });
  const data = videoSet(train.videos.map((v) => cropped(v, 16)), 16);
  const seen: (number | string)[] = [];
  try {
    const report = await detector.fit(data, {
      onEpoch: async (info) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        seen.push(info.epoch);
      },
      stopEarly: () => seen.length === 2,
      beforeThreshold: (info) => void seen.push(`threshold ${info.contamination}`),
    });
    assert.deepEqual([report.epochsDone, report.stoppedEarly, report.stoppedByTime, seen], [2, true, false, [0, 1, 'threshold 0.1']]);
  } finally {
    detector.dispose();
  }
  assert.equal(liveTensors(), before);
});

test('training stopped after an epoch resumes from its checkpoint to the same model as an uninterrupted run', async () => {
  const before = liveTensors();
  const dir = mkdtempSync(join(tmpdir(), 'normality-mnad-'));
  const tiny = (videos: FrameVideo[]) => videoSet(videos.map((v) => cropped(v, 16)), 16);
  const data = tiny(train.videos);
  const config = { ...small, height: 16, width: 16, featureDim: 16, testUpdate: false };
  const whole = new MnadDetector(config);
  const stopped = new MnadDetector(config);
  const resumed = new MnadDetector(config);
  try {
    await whole.fit(data);
    const checkpointPath = join(dir, 'training.safetensors');
    const controller = new AbortController();
    await assert.rejects(stopped.fit(data, { checkpointPath, signal: controller.signal, onEpoch: () => controller.abort() }), /training stopped at epoch 2, step 1: aborted/);
    const report = await resumed.fit(data, { checkpointPath });
    assert.equal(report.resumedFromEpoch, 1);
    assert.deepEqual(report.losses.length, 2);
    // Another run's settings do not resume from it.
    const otherRun = new MnadDetector({ ...config, lr: 1e-3 });
    await assert.rejects(otherRun.fit(data, { checkpointPath }), /training\.safetensors: is the training checkpoint of another run \(lr 0\.0002 there, 0\.001 here\)/);
    otherRun.dispose();
    // The same loop under a time budget spent in the first epoch: it stops there, and says so.
    const budgeted = new MnadDetector(config);
    const short = await budgeted.fit(data, { maxSeconds: 1e-3 });
    budgeted.dispose();
    assert.deepEqual([short.epochsDone, short.epochs, short.stoppedByTime], [1, 2, true]);
    const testData = tiny(testSet.videos);
    assert.deepEqual(await resumed.score(testData), await whole.score(testData));
  } finally {
    whole.dispose();
    stopped.dispose();
    resumed.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
  assert.equal(liveTensors(), before);
});

test('frames given as bytes (byte / 127.5 − 1) score like the same frames as floats', async () => {
  const before = liveTensors();
  const bytes = train.videos.map((v): FrameVideo => {
    const all = v.frames(0, v.length);
    const data = Uint8Array.from(all, (x) => Math.round((x + 1) * 127.5));
    return { name: v.name, length: v.length, frames: (s, n) => data.subarray(s * FRAME, (s + n) * FRAME) };
  });
  const floats = bytes.map((v): FrameVideo => ({ name: v.name, length: v.length, frames: (s, n) => Float32Array.from(v.frames(s, n), (b) => b / 127.5 - 1) }));
  const detector = new MnadDetector({ ...small, variant: 'pred', featureDim: 16 });
  try {
    await detector.fit(videoSet(floats), { epochs: 0 }); // fitted without training: scoring is allowed
    // Raw scores: the per-video min-max of an untrained model would magnify float32 rounding differences.
    const [fromBytes] = await detector.scoreVideos(videoSet(bytes));
    const [fromFloats] = await detector.scoreVideos(videoSet(floats));
    fromBytes!.psnr.forEach((p, i) => {
      if (Number.isNaN(p)) return assert.ok(i < 4);
      assert.ok(Math.abs(p - fromFloats!.psnr[i]!) < 1e-3, `PSNR of frame ${i}: ${p} vs ${fromFloats!.psnr[i]}`);
      assert.ok(Math.abs(fromBytes!.distance[i]! / fromFloats!.distance[i]! - 1) < 1e-3, `D of frame ${i}`);
    });
    const streamed = [];
    for await (const s of detector.scoreStream(Array.from({ length: 12 }, (_, f) => bytes[0]!.frames(f, 1)))) streamed.push(s.psnr);
    assert.deepEqual(streamed, Array.from(fromBytes!.psnr), 'a byte stream gives what byte videos give');
  } finally {
    detector.dispose();
  }
  assert.equal(liveTensors(), before);
});

test('wrong frame sizes or channel counts name the expected and received shapes', async () => {
  const detector = new MnadDetector({ ...small, variant: 'pred' });
  try {
    await assert.rejects(detector.fit(videoSet([movingSquare('a', 12, 0)], 16)),
      /mnad-pred was built for frames \(C, H, W\) = \(3, 32, 32\) but the training videos have frames \(3, 16, 16\)/);
    await assert.rejects(detector.score(videoSet([movingSquare('a', 12, 0)], SIZE, 1)),
      /mnad-pred was built for frames \(C, H, W\) = \(3, 32, 32\) but the test videos have frames \(1, 32, 32\)/);
    await assert.rejects(detector.fit(videoSet([movingSquare('short', 4, 0)])), /needs a video of at least 5 frames for training but the longest has 4/);
    assert.throws(() => new MnadDetector({ height: 30 }), /Expected a positive multiple of 8 \(the encoder halves the frame three times\) for height but received 30/);
    assert.throws(() => new MnadDetector({ variant: 'future' as never }), /Expected 'pred' or 'recon' for variant/);
  } finally {
    detector.dispose();
  }
});
