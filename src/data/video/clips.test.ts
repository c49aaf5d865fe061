import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng } from '../random.js';
import { ClipBatches, MINUS_ONE_TO_ONE } from './clip-batches.js';
import { clipScoresToFrames, labelsAtFrames, memaeClips, predictionWindows, scoredFrame, singleFrames } from './clips.js';
import type { FrameFormat } from './frame-format.js';
import { MemoryFrames } from './frame-store.js';

const format: FrameFormat = { width: 3, height: 2, channels: 3 };
const plane = 6;
/** Byte of (video v, frame t, channel c, pixel i): distinct enough to find any mix-up. */
const byte = (v: number, t: number, c: number, i: number): number => (v * 97 + t * 13 + c * 5 + i) % 256;
function video(v: number, frames: number): Uint8Array {
  const out = new Uint8Array(frames * 3 * plane);
  for (let t = 0; t < frames; t++) for (let c = 0; c < 3; c++) for (let i = 0; i < plane; i++) out[(t * 3 + c) * plane + i] = byte(v, t, c, i);
  return out;
}
const counts = [20, 16, 10];
const source = new MemoryFrames(counts.map((n, v) => video(v, n)), format);

describe('clips', () => {
  it('lists MemAE clips of 16 frames scored on start + 8 (the labels cut as gt[8:-7])', () => {
    const clips = memaeClips(counts);
    // 20 − 15 clips in video 0, 1 in video 1, none in the 10-frame video 2.
    assert.equal(clips.count, 6);
    assert.deepEqual(Array.from(clips.video), [0, 0, 0, 0, 0, 1]);
    assert.deepEqual(Array.from(clips.start), [0, 1, 2, 3, 4, 0]);
    assert.deepEqual([clips.length, clips.scoreOffset, scoredFrame(clips, 4)], [16, 8, 12]);
    const scored = clipScoresToFrames(clips, [10, 11, 12, 13, 14, 20], 3);
    const labels = counts.map((n) => Uint8Array.from({ length: n }, (_, i) => i % 3));
    assert.deepEqual(Array.from(scored[0].frames), [8, 9, 10, 11, 12]);
    assert.deepEqual(labelsAtFrames(labels, scored)[0], labels[0].slice(8, -7));
    assert.deepEqual(labelsAtFrames(labels, scored)[1], labels[1].slice(8, -7));
    assert.deepEqual(scored[2], { frames: new Int32Array(0), scores: new Float64Array(0) });
    assert.equal(memaeClips(counts, { stride: 2 }).count, 4);
  });

  it('lists MNAD prediction windows (no score on the first 4 frames) and single frames', () => {
    const windows = predictionWindows(counts);
    assert.equal(windows.count, 16 + 12 + 6);
    assert.deepEqual([windows.length, windows.scoreOffset], [5, 4]);
    const scored = clipScoresToFrames(windows, new Float64Array(windows.count), 3);
    assert.deepEqual(scored.map((s) => [s.frames[0], s.frames.at(-1), s.frames.length]), [[4, 19, 16], [4, 15, 12], [4, 9, 6]]);
    const frames = singleFrames(counts);
    assert.deepEqual([frames.count, frames.length, frames.scoreOffset], [46, 1, 0]);
  });

  it('puts scores gathered in shuffled order back on their frames', () => {
    const clips = predictionWindows(counts);
    const order = new Rng(1).permutation(clips.count);
    const scores = Float64Array.from(order, (id) => clips.video[id] * 100 + scoredFrame(clips, id));
    const scored = clipScoresToFrames(clips, scores, 3, order);
    for (let v = 0; v < 3; v++) assert.deepEqual(Array.from(scored[v].scores), Array.from(scored[v].frames, (f) => v * 100 + f));
    assert.throws(() => clipScoresToFrames(clips, [1, 2], 3, [0, 0]), {
      message: "Expected at most one score per frame for scores but received two scores for frame 4 of video 0. Score each clip once.",
    });
  });

  it('gathers MemAE batches as (B, C, T, H, W) in [−1, 1]', () => {
    const clips = memaeClips(counts, { length: 4 });
    const batches = new ClipBatches(source, clips);
    const ids = [5, 0];
    const x = batches.clips(ids);
    assert.equal(x.length, 2 * 3 * 4 * plane);
    for (let b = 0; b < 2; b++) {
      for (let c = 0; c < 3; c++) {
        for (let t = 0; t < 4; t++) {
          for (let i = 0; i < plane; i++) {
            const expected = byte(clips.video[ids[b]], clips.start[ids[b]] + t, c, i) / 127.5 - 1;
            assert.ok(Math.abs(x[(((b * 3 + c) * 4 + t) * plane) + i] - expected) < 1e-6);
          }
        }
      }
    }
    // The buffer is reused: a smaller batch is a view on the same memory.
    const y = batches.clips([1]);
    assert.equal(y.buffer, x.buffer);
    // numpy: (np.array([0, 1, 127, 128, 200, 255], np.float32) / 127.5) - 1.0
    const numpy = [-1.0, -0.9921568632125854, -0.003921568393707275, 0.003921627998352051, 0.5686274766921997, 1.0];
    assert.deepEqual([0, 1, 127, 128, 200, 255].map((v) => MINUS_ONE_TO_ONE[v]), numpy);
  });

  it('gathers MNAD prediction batches, frames stacked along channels, and BGR on request', () => {
    const clips = predictionWindows(counts);
    const ids = [20, 3];
    for (const order of ['rgb', 'bgr'] as const) {
      const { input, target } = new ClipBatches(source, clips, { channelOrder: order }).prediction(ids);
      assert.equal(input.length, 2 * 12 * plane);
      assert.equal(target.length, 2 * 3 * plane);
      for (let b = 0; b < 2; b++) {
        const v = clips.video[ids[b]], s = clips.start[ids[b]];
        for (let c = 0; c < 3; c++) {
          const from = order === 'bgr' ? 2 - c : c;
          for (let t = 0; t < 4; t++) assert.equal(input[(b * 12 + t * 3 + c) * plane + 1], MINUS_ONE_TO_ONE[byte(v, s + t, from, 1)]);
          assert.equal(target[(b * 3 + c) * plane + 2], MINUS_ONE_TO_ONE[byte(v, s + 4, from, 2)]);
        }
      }
    }
    const frames = new ClipBatches(source, singleFrames(counts)).frames([17]);
    assert.deepEqual(Array.from(frames.subarray(0, 2)), [byte(0, 17, 0, 0), byte(0, 17, 0, 1)].map((v) => MINUS_ONE_TO_ONE[v]));
  });

  it('rejects clips that do not fit the source', () => {
    assert.throws(() => new ClipBatches(new MemoryFrames([video(0, 8)], format), memaeClips([20], { length: 4 })), {
      message: "Expected clips inside the source's videos (1 videos) for clips but received clip 5 at frame 5 of video 0. Build the clip list from this source's frameCounts.",
    });
    assert.throws(() => memaeClips([10, 12]), {
      message: 'Expected at least one video with 16 frames or more for frameCounts but received an array of length 2. Every video is shorter than one clip of 16 frames.',
    });
    assert.throws(() => new ClipBatches(source, singleFrames(counts)).prediction([0]), {
      code: 'INVALID_ARGUMENT',
      message: 'Expected windows of at least 2 frames (inputs and a target) for clips but received clips of 1 frame. Use predictionWindows().',
    });
    assert.throws(() => source.readFrames(2, 8, 3), {
      code: 'INVALID_ARGUMENT',
      message: 'Expected a range of frames inside video 2 (10 frames) for start, count but received frames [8, 11).',
    });
  });
});
