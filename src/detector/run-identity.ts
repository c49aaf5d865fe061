/**
 * What makes two training runs the same run, so that resuming from a training checkpoint never mixes
 * two trainings. The checkpoint stores the model, its configuration and a digest of the training data;
 * a resumption must match all three, except for the settings that may change between the parts of one
 * run: how many epochs, where and in what precision it computes, and the threshold fitted at the end.
 */
import { createHash } from 'node:crypto';
import { badFile } from '../errors.js';
import type { SampleArray } from './types.js';
import type { VideoSet } from './video.js';

export interface RunIdentity {
  model: string;
  config: Record<string, unknown>;
  /** Sample count and a hash of every sample (arrays) or frame (videos). */
  data: { items: number; digest: string };
}

const MAY_CHANGE_ON_RESUME = new Set(['epochs', 'device', 'precision', 'contamination']);
/** Frames read at once while hashing a video: a long one need not be held whole. */
const FRAMES_PER_READ = 64;
/** Checkpoints before every sample was hashed kept 8 hex digits of a hash of 64 samples: their data is compared by count. */
const SAMPLED_DIGEST_LENGTH = 8;

export function runIdentity(model: string, config: object, data: SampleArray | VideoSet): RunIdentity {
  return { model, config: { ...config } as Record<string, unknown>, data: dataDigest(data) };
}

/** Refuses a training checkpoint written by another run; `saved` is its `run` metadata (absent in older files: accepted). */
export function checkSameRun(path: string, saved: RunIdentity | undefined, current: RunIdentity): void {
  if (saved === undefined) return;
  const differences: string[] = [];
  // Another model's settings differ in every key: the model alone says it.
  if (saved.model !== current.model) throw otherRun(path, [`model ${saved.model} there, ${current.model} here`]);
  const keys = new Set([...Object.keys(saved.config), ...Object.keys(current.config)]);
  for (const key of keys) {
    if (MAY_CHANGE_ON_RESUME.has(key)) continue;
    const [there, here] = [JSON.stringify(saved.config[key]), JSON.stringify(current.config[key])];
    if (there !== here) differences.push(`${key} ${there ?? 'unset'} there, ${here ?? 'unset'} here`);
  }
  if (saved.data.items !== current.data.items) differences.push(`${saved.data.items} training samples there, ${current.data.items} here`);
  else if (saved.data.digest.length !== SAMPLED_DIGEST_LENGTH && saved.data.digest !== current.data.digest) differences.push('other training data of the same size');
  if (differences.length > 0) throw otherRun(path, differences);
}

/** The way out of a training checkpoint that cannot be resumed, named for each place a checkpoint path is given. */
export const AFRESH = 'Delete it to train afresh, or give this run a checkpoint of its own (train: --out; reproduce: --checkpoint; library: checkpointPath).';

function otherRun(path: string, differences: readonly string[]) {
  return badFile(path, `is the training checkpoint of another run (${differences.join('; ')}); resuming from it would mix two trainings`, AFRESH);
}

/**
 * SHA-1 over every sample's bytes (videos: every frame, and the videos' lengths). Each byte, since an edited
 * table can differ from the original in a few rows only; SHA-1 hashes MNIST's 188 MB in about 0.3 s.
 */
export function dataDigest(data: SampleArray | VideoSet): RunIdentity['data'] {
  const hash = createHash('sha1');
  const asBytes = (values: Float32Array | Uint8Array) => new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  let items: number;
  if ('videos' in data) {
    const counts = data.videos.map((v) => v.length);
    items = counts.reduce((a, b) => a + b, 0);
    hash.update(asBytes(Float32Array.from(counts)));
    for (const video of data.videos) {
      for (let frame = 0; frame < video.length; frame += FRAMES_PER_READ) hash.update(asBytes(video.frames(frame, Math.min(FRAMES_PER_READ, video.length - frame))));
    }
  } else {
    items = data.shape[0] ?? 0;
    hash.update(asBytes(data.x));
  }
  return { items, digest: hash.digest('hex') };
}
