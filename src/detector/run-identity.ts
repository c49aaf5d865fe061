/**
 * What makes two training runs the same run, so that resuming from a training checkpoint never mixes
 * two trainings. The checkpoint stores the model, its configuration and a digest of the training data;
 * a resumption must match all three, except for the settings that may change between the parts of one
 * run: how many epochs, where and in what precision it computes, and the threshold fitted at the end.
 */
import { badFile } from '../errors.js';
import type { SampleArray } from './types.js';
import type { VideoSet } from './video.js';

export interface RunIdentity {
  model: string;
  config: Record<string, unknown>;
  /** Sample count and a hash of up to 64 evenly spaced samples (arrays) or frames (videos). */
  data: { items: number; digest: string };
}

const MAY_CHANGE_ON_RESUME = new Set(['epochs', 'device', 'precision', 'contamination']);
const SAMPLES_HASHED = 64;

export function runIdentity(model: string, config: object, data: SampleArray | VideoSet): RunIdentity {
  return { model, config: { ...config } as Record<string, unknown>, data: dataDigest(data) };
}

/** Refuses a training checkpoint written by another run; `saved` is its `run` metadata (absent in older files: accepted). */
export function checkSameRun(path: string, saved: RunIdentity | undefined, current: RunIdentity): void {
  if (saved === undefined) return;
  const differences: string[] = [];
  if (saved.model !== current.model) differences.push(`model ${saved.model} there, ${current.model} here`);
  const keys = new Set([...Object.keys(saved.config), ...Object.keys(current.config)]);
  for (const key of keys) {
    if (MAY_CHANGE_ON_RESUME.has(key)) continue;
    const [there, here] = [JSON.stringify(saved.config[key]), JSON.stringify(current.config[key])];
    if (there !== here) differences.push(`${key} ${there ?? 'unset'} there, ${here ?? 'unset'} here`);
  }
  if (saved.data.items !== current.data.items) differences.push(`${saved.data.items} training samples there, ${current.data.items} here`);
  else if (saved.data.digest !== current.data.digest) differences.push('other training data of the same size');
  if (differences.length > 0) {
    throw badFile(path, `is the training checkpoint of another run (${differences.join('; ')}); resuming from it would mix two trainings`,
      'Delete it to train afresh, or choose another --out (library: checkpointPath).');
  }
}

/** FNV-1a over the bytes of a few evenly spaced samples: cheap, and enough to tell one dataset from another. */
function dataDigest(data: SampleArray | VideoSet): RunIdentity['data'] {
  let hash = 0x811c9dc5;
  const mix = (bytes: Uint8Array) => {
    for (let i = 0; i < bytes.length; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
  };
  const asBytes = (values: Float32Array | Uint8Array) => new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  let items: number;
  if ('videos' in data) {
    const counts = data.videos.map((v) => v.length);
    items = counts.reduce((a, b) => a + b, 0);
    mix(asBytes(Float32Array.from(counts)));
    for (const [video, frame] of evenlySpaced(counts, SAMPLES_HASHED)) mix(asBytes(data.videos[video]!.frames(frame, 1)));
  } else {
    items = data.shape[0] ?? 0;
    const size = items > 0 ? data.x.length / items : 0;
    for (const [, sample] of evenlySpaced([items], SAMPLES_HASHED)) mix(asBytes(data.x.subarray(sample * size, (sample + 1) * size)));
  }
  return { items, digest: (hash >>> 0).toString(16).padStart(8, '0') };
}

/** Up to `count` [video, frame] positions spread evenly over videos of these lengths. */
function evenlySpaced(lengths: number[], count: number): [number, number][] {
  const total = lengths.reduce((a, b) => a + b, 0);
  const picks: [number, number][] = [];
  const take = Math.min(count, total);
  for (let k = 0; k < take; k++) {
    let position = Math.floor((k * total) / take);
    let video = 0;
    while (position >= lengths[video]!) position -= lengths[video++]!;
    picks.push([video, position]);
  }
  return picks;
}
