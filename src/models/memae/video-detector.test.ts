// MemAE-3D's reading of videos: clips laid out (B, C, T, H, W) from (T, C, H, W) frames, what
// FrameVideo.frames returns checked per call, bytes and floats mixed, and data that make the loss NaN named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FrameVideo, VideoSet } from '../../detector/video.js';
import { tensor } from '../../tensor/create.js';
import { noGrad } from '../../tensor/grad-mode.js';
import { liveTensors, tidy } from '../../tensor/memory.js';
import { MemAE3DDetector } from './video-detector.js';
import type { MemAE3DNet } from './video-model.js';
import { clipError } from './score.js';

const SIZE = 16;
const T = 16;
const small = { height: SIZE, width: SIZE, memorySize: 10, epochs: 1, batchSize: 2, clipsPerEpoch: 2 };

/** Values in [−1, 1] that differ by frame, channel and pixel, so a wrong layout changes the score. */
function video(name: string, length: number, channels: number): FrameVideo & { values: Float32Array } {
  const frame = channels * SIZE * SIZE;
  const values = Float32Array.from({ length: length * frame }, (_, i) => Math.sin(i * 0.37 + name.length));
  return { name, length, values, frames: (s, n) => values.subarray(s * frame, (s + n) * frame) };
}

const set = (videos: FrameVideo[], channels = 1): VideoSet => ({ videos, channels, height: SIZE, width: SIZE });

test('three-channel clips reach the network as (C, T, H, W): the score equals one computed from a clip laid out by hand', async () => {
  const before = liveTensors();
  const detector = new MemAE3DDetector({ ...small, channels: 3 });
  try {
    const v = video('rgb', T, 3);
    await detector.fit(set([v], 3), { epochs: 0 });
    const [scored] = await detector.scoreVideos(set([v], 3));
    const byHand = new Float32Array(3 * T * SIZE * SIZE);
    for (let t = 0; t < T; t++) for (let c = 0; c < 3; c++) for (let p = 0; p < SIZE * SIZE; p++) byHand[(c * T + t) * SIZE * SIZE + p] = v.values[(t * 3 + c) * SIZE * SIZE + p]!;
    const network = detector.network as MemAE3DNet;
    network.eval();
    const expected = noGrad(() => tidy(() => {
      const clip = tensor(byHand, { shape: [1, 3, T, SIZE, SIZE] });
      return clipError(clip, network.forward(clip).reconstruction).item();
    }));
    assert.ok(Math.abs(scored!.scores[T / 2]! - expected) < 1e-5 * Math.abs(expected), `${scored!.scores[T / 2]} vs ${expected}`);
  } finally {
    detector.dispose();
  }
  assert.equal(liveTensors(), before);
});

test('frames() that return too few or too many values, or no typed array, are refused naming the video and frames', async () => {
  const before = liveTensors();
  const good = video('good', 17, 1);
  const returning = (values: unknown): FrameVideo => ({ name: 'bad', length: 17, frames: () => values as Float32Array });
  for (const [values, received] of [
    [new Float32Array(5), 'a Float32Array of length 5'],
    [new Float32Array(T * SIZE * SIZE * 2), `a Float32Array of length ${T * SIZE * SIZE * 2}`],
    [new Array(T * SIZE * SIZE).fill(0), `an array of length ${T * SIZE * SIZE}`],
  ] as const) {
    const detector = new MemAE3DDetector(small);
    try {
      await assert.rejects(detector.fit(set([returning(values)])), {
        code: 'SHAPE_MISMATCH',
        message: new RegExp(`^Expected 16 frames of \\(C, H, W\\) = \\(1, 16, 16\\) \\(a Float32Array or Uint8Array of 4096 values\\) for video 'bad' frames 0\\.\\.15 but received ${received.replace(/[()]/g, '\\$&')}\\.`),
      });
      await detector.fit(set([good]), { epochs: 0 });
      await assert.rejects(detector.score(set([returning(values)])), { code: 'SHAPE_MISMATCH' });
    } finally {
      detector.dispose();
    }
  }
  assert.equal(liveTensors(), before);
});

test('videos of bytes and of floats mix: bytes mean byte / 127.5 − 1, whatever the first clip of a batch holds', async () => {
  const detector = new MemAE3DDetector(small);
  try {
    const floats = video('floats', T, 1);
    const bytes = Uint8Array.from(floats.values, (v) => Math.round((v + 1) * 127.5));
    const asFloats = Float32Array.from(bytes, (b) => b / 127.5 - 1);
    const byteVideo: FrameVideo = { name: 'bytes', length: T, frames: (s, n) => bytes.subarray(s * SIZE * SIZE, (s + n) * SIZE * SIZE) };
    const floatVideo: FrameVideo = { name: 'same as floats', length: T, frames: (s, n) => asFloats.subarray(s * SIZE * SIZE, (s + n) * SIZE * SIZE) };
    await detector.fit(set([floats]), { epochs: 0 });
    // One batch holds both (batchSize 2 over one clip each): the bytes must not be read as floats or the floats cut to bytes.
    const mixed = await detector.score({ ...set([byteVideo, floats]) });
    const reference = await detector.score(set([floatVideo, floats]));
    assert.ok(Math.abs(mixed[T / 2]! - reference[T / 2]!) < 1e-5, `${mixed[T / 2]} vs ${reference[T / 2]}`);
    assert.ok(Math.abs(mixed[T + T / 2]! - reference[T + T / 2]!) < 1e-5);
  } finally {
    detector.dispose();
  }
});

test('a NaN loss from float frames that are not finite or outside [−1, 1] names the value, video and frame, not the learning rate', async () => {
  const before = liveTensors();
  for (const [bad, shown] of [[NaN, 'NaN'], [Infinity, 'Infinity']] as const) {
    const v = video('cam3', 17, 1);
    v.values[16 * SIZE * SIZE + 3] = bad; // past the first clip, which is checked before training
    const detector = new MemAE3DDetector({ ...small, clipsPerEpoch: 0 });
    try {
      await assert.rejects(detector.fit(set([v])), {
        code: 'INVALID_ARGUMENT',
        message: new RegExp(`^training stopped: the loss is NaN at epoch 1, step 1, and the batch holds ${shown} in video 'cam3' frame 16\\. Float frames must be finite and in \\[−1, 1\\]`),
      });
    } finally {
      detector.dispose();
    }
  }
  assert.equal(liveTensors(), before);
});

test('float frames on another scale (0–255) or with NaN in the first clip are refused before training or scoring', async () => {
  const before = liveTensors();
  const detector = new MemAE3DDetector(small);
  try {
    const scaled = video('bytes as floats', 17, 1);
    scaled.values.forEach((v, i) => (scaled.values[i] = (v + 1) * 127.5));
    const message = /^Expected float values in \[−1, 1\] \(or bytes 0–255\) for training frames but received [\d.]+ in video 'bytes as floats' frame 0\. Scale float frames to \[−1, 1\]: x \/ 127\.5 − 1 for values 0–255/;
    await assert.rejects(detector.fit(set([scaled])), { code: 'INVALID_ARGUMENT', message });
    await detector.fit(set([video('ok', 17, 1)]), { epochs: 0 });
    await assert.rejects(detector.score(set([scaled])), /for test frames but received [\d.]+ in video 'bytes as floats' frame 0/);
    const damaged = video('damaged', 17, 1);
    damaged.values[3] = Number.NaN;
    await assert.rejects(detector.score(set([damaged])), { message: /received NaN in video 'damaged' frame 0\. A frame with NaN or infinite values is damaged .*: drop or replace it\.$/ });
  } finally {
    detector.dispose();
  }
  assert.equal(liveTensors(), before);
});

test('samples, null or a video without frames() given to a video model say what was expected', async () => {
  const detector = new MemAE3DDetector(small);
  try {
    await assert.rejects(detector.fit({ x: new Float32Array(4), shape: [1, 4] } as unknown as VideoSet),
      /^NormalityError: Expected a VideoSet \{ videos, channels, height, width \} for training but received samples \{ x, shape \} \(images or table rows\)\. memae-video reads videos/);
    await assert.rejects(detector.fit(null as unknown as VideoSet), /for training but received null\. memae-video reads videos/);
    await assert.rejects(detector.fit(set([{ name: 'x', length: 20 } as FrameVideo])), /Expected a FrameVideo \{ name, length, frames\(start, count\) \} for training video 0 but received an object of type Object with length 20 of type number\./);
  } finally {
    detector.dispose();
  }
});

test('labels that do not match the videos (another count of videos, or of frames) are refused, not ignored', async () => {
  const detector = new MemAE3DDetector(small);
  try {
    const v = video('v', 17, 1);
    await detector.fit(set([v]), { epochs: 0 });
    await assert.rejects(detector.score({ ...set([v]), labels: [new Uint8Array(16)] }),
      { code: 'INVALID_ARGUMENT', message: /^Expected a Uint8Array of 17 frame labels, one per frame for test labels of video 0 \(v\) but received a Uint8Array of length 16\./ });
    await assert.rejects(detector.score({ ...set([v]), labels: [] }), /one Uint8Array of frame labels per video \(1\), or no labels for test labels but received an array of length 0/);
    assert.equal((await detector.score({ ...set([v]), labels: [new Uint8Array(17)] })).length, 17);
  } finally {
    detector.dispose();
  }
});

test('scoring between epochs (train --validate) does not lose the training clips: the next epoch trains on', async () => {
  const detector = new MemAE3DDetector({ ...small, epochs: 3 });
  try {
    const data = set([video('train', 18, 1)]);
    let validated = 0;
    const report = await detector.fit(data, { onEpoch: async () => { await detector.scoreVideos(set([video('test', 17, 1)])); validated++; } });
    assert.equal(report.epochsDone, 3);
    assert.equal(validated, 3);
  } finally {
    detector.dispose();
  }
});
