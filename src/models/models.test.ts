// Every registered model, through the registry and the public detector contract only:
// fit → score → save → load → the same scores, the same seed gives the same scores, nothing leaks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDetector, getModel, loadDetector, modelNames, type BuiltInModelName } from './index.js';
import { dispose, liveTensors, tidy } from '../tensor/memory.js';
import { loadTensors, saveTensors } from '../checkpoint/tensors.js';
import type { SampleArray } from '../detector/types.js';
import type { FrameVideo, VideoSet } from '../detector/video.js';
import { Rng } from '../data/random.js';
import { cudaAvailable } from '../tensor/runtime.js';
import { memorySettingsFor } from './memae/config.js';

const dir = mkdtempSync(join(tmpdir(), 'normality-models-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

/** Small models of each family, so the test stays fast. */
const SMALL: Record<string, Record<string, unknown>> = {
  samples: { architecture: 'mnist', epochs: 1, batchSize: 16 },
  video: { epochs: 1, batchSize: 2, height: 32, width: 32, memorySize: 20 },
};

function images(n: number, seed: number): SampleArray {
  const rng = new Rng(seed);
  const x = new Float32Array(n * 784);
  for (let i = 0; i < x.length; i++) x[i] = rng.next();
  return { x, shape: [n, 1, 28, 28] };
}

function videos(count: number, length: number, size: number, channels: number): VideoSet {
  const made: FrameVideo[] = Array.from({ length: count }, (_, v) => {
    const data = new Float32Array(length * channels * size * size);
    // a bright square moving one pixel per frame over a dark background, in [-1, 1]
    data.fill(-1);
    for (let t = 0; t < length; t++) {
      for (let c = 0; c < channels; c++) {
        for (let y = 8; y < 16; y++) for (let x = 0; x < 8; x++) data[((t * channels + c) * size + y) * size + ((x + t + v) % size)] = 1;
      }
    }
    return { name: `v${v}`, length, frames: (start: number, n: number) => data.subarray(start * channels * size * size, (start + n) * channels * size * size) };
  });
  return { videos: made, channels, height: size, width: size };
}

interface Setting {
  label: string;
  config: Record<string, unknown>;
  /** Whether a second run from the same seed must give the same scores bit for bit. */
  repeatable: boolean;
}

// cuDNN's backward convolutions add in a varying order, so on CUDA only save → load is exact.
const SETTINGS: Setting[] = [
  { label: 'cpu', config: {}, repeatable: true },
  { label: 'cpu bf16', config: { precision: 'bf16' }, repeatable: true },
  ...(cudaAvailable() ? [
    { label: 'cuda', config: { device: 'cuda' }, repeatable: false },
    { label: 'cuda bf16', config: { device: 'cuda', precision: 'bf16' }, repeatable: false },
  ] : []),
];

/** A copy of a saved detector with one weight NaN, or a threshold that is not a number, is refused when loaded. */
function refusesDamage(path: string): void {
  const damaged = `${path}.damaged.safetensors`;
  const { tensors, metadata } = loadTensors(path);
  try {
    const [key, weight] = [...tensors].find(([, t]) => t.dtype === 'float32')!;
    const nan = tidy(() => weight.mul(NaN));
    saveTensors(damaged, new Map([...tensors, [key, nan]]), metadata);
    nan.dispose();
    assert.throws(() => loadDetector(damaged), { message: `${damaged}: its weight '${key}' holds NaN or infinite values. The file is damaged, or the training that wrote it diverged: train again, or use an earlier checkpoint.` });
    saveTensors(damaged, tensors, { ...metadata, threshold: '"abc"' });
    assert.throws(() => loadDetector(damaged), { message: `${damaged}: its metadata 'threshold' is "abc", not a number or null. The file is damaged or was not written by normality: train again.` });
    for (const config of ['null', '[1]']) {
      saveTensors(damaged, tensors, { ...metadata, config });
      assert.throws(() => loadDetector(damaged), { message: `${damaged}: its metadata 'config' is ${config}, not the model's settings. The file is damaged or was not written by normality: train again.` });
    }
    const { config: _, ...withoutConfig } = metadata;
    saveTensors(damaged, tensors, withoutConfig);
    assert.throws(() => loadDetector(damaged), /its metadata 'config' is missing, not the model's settings/);
  } finally {
    dispose([...tensors.values()]);
    rmSync(damaged, { force: true });
  }
}

for (const name of modelNames()) {
  for (const setting of SETTINGS) {
    test(`${name} (${setting.label}): fit → score → save → load gives the same scores${setting.repeatable ? ', and the same seed the same scores' : ''}; refused before fit and after dispose`, async () => {
      const before = liveTensors();
      const entry = getModel(name);
      const config: Record<string, unknown> = { ...memorySettingsFor(name, SMALL[entry.input]!), ...setting.config, seed: 3 };
      // MNAD's U-Net is wide even on small frames: fewer, shorter videos keep the test fast.
      const data: unknown = entry.input === 'samples' ? images(40, 1) : name.startsWith('mnad') ? videos(1, 9, 32, 3) : videos(2, 20, 32, 1);
      const detector = createDetector(name, config);
      const path = join(dir, `${name}-${setting.label.replace(' ', '-')}.safetensors`);
      // Before fit there is nothing trained to score or save: refused, not computed with random weights.
      await assert.rejects(detector.score(data), { code: 'NOT_FITTED', message: new RegExp(`^${name} has not been fitted, so to (compute )?score`) });
      assert.throws(() => detector.save(path), { code: 'NOT_FITTED' });
      await detector.fit(data);
      const scores = await detector.score(data);
      assert.ok(scores.some((s) => Number.isFinite(s)), 'some scores are finite');
      detector.save(path);
      detector.dispose();
      // After dispose its network is gone: refused, not rebuilt with fresh random weights.
      await assert.rejects(detector.score(data), { code: 'DISPOSED', message: new RegExp(`^${name} was asked to .* after dispose\\(\\)`) });
      assert.throws(() => detector.save(path), { code: 'DISPOSED' });
      const loaded = loadDetector(path, { device: (config.device as string | undefined) ?? 'cpu' });
      assert.equal((loaded.config as { precision?: string }).precision, config.precision, 'the precision is saved with the detector');
      assert.deepEqual(Array.from(await loaded.score(data)), Array.from(scores));
      loaded.dispose();
      if (setting.label === 'cpu') refusesDamage(path);
      if (setting.repeatable) {
        const again = createDetector(name, config);
        await again.fit(data);
        assert.deepEqual(Array.from(await again.score(data)), Array.from(scores), 'same seed, same scores');
        again.dispose();
      }
      assert.equal(liveTensors(), before, 'every tensor was freed');
    });
  }
}

test('every model refuses an unknown configuration key, naming it and the close one, and lists every key it takes', () => {
  for (const name of modelNames()) {
    assert.throws(() => createDetector(name, { memorySise: 5 }), new RegExp(`Unknown option 'memorySise' for ${name}\\. Did you mean 'memorySize'\\? Its options: seed, `));
    const detector = createDetector(name);
    try {
      const unlisted = Object.keys(detector.config).filter((key) => !getModel(name).configKeys.includes(key));
      assert.deepEqual(unlisted, [], `${name}: its configuration holds keys that configKeys leaves out`);
    } finally {
      detector.dispose();
    }
  }
});

test('createDetector is typed for every built-in model, and the built-in names are the registered ones', () => {
  const builtIn: Record<BuiltInModelName, true> = { memae: true, 'memae-nonspar': true, ae: true, 'memae-video': true, 'ae-video': true, 'mnad-pred': true, 'mnad-recon': true };
  assert.deepEqual(Object.keys(builtIn).sort(), modelNames());
  const memae = createDetector('memae', { memorySize: 20, addressing: 'cosine' });
  const memorySize: number = memae.config.memorySize; // typed: MemAEDetector's configuration
  assert.equal(memorySize, 20);
  // @ts-expect-error the configuration is read-only, as it is frozen at run time
  assert.throws(() => { memae.config.memorySize = 30; }, TypeError);
  const widths = [8, 4, 2] as const;
  createDetector('memae', { architecture: 'mlp', hiddenSizes: widths }).dispose(); // a read-only list is a setting too
  memae.dispose();
  // @ts-expect-error a misspelt setting does not compile (and at run time is refused)
  assert.throws(() => createDetector('memae', { memorySise: 20 }), /Unknown option 'memorySise' for memae/);
  // @ts-expect-error nor does a setting of another model
  assert.throws(() => createDetector('memae-video', { compactnessWeight: 0.1 }), /Unknown option 'compactnessWeight' for memae-video/);
  // @ts-expect-error the name fixes the variant (and at run time another variant is refused, naming its model)
  assert.throws(() => createDetector('ae', { variant: 'memae' }), /Expected 'ae' \(or no variant\) for ae variant but received 'memae' of type string\. For that variant create the model 'memae'\./);
  const untyped = (name: string, config: Record<string, unknown>) => getModel(name).create(config);
  assert.throws(() => untyped('mnad-pred', { variant: 'recon' }), /For that variant create the model 'mnad-recon'/);
  // Saved configurations repeat their variant: accepted.
  untyped('ae-video', { variant: 'ae', height: 16, width: 16 }).dispose();
});
