// The registry's own checks: settings that are not an object, a plugin's unknown keys or broken create(),
// overrides of loadDetector; and what a created detector keeps: a frozen configuration, a savable threshold.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDetector, getModel, loadDetector, modelNames, registerModel, videoEvaluationOptions } from './registry.js';
import './index.js';
import type { Detector, SampleArray } from '../detector/types.js';

const table: SampleArray = { x: Float32Array.from({ length: 32 * 8 }, (_, i) => Math.sin(i)), shape: [32, 8] };
const mlp = { architecture: 'mlp', inputFeatures: 8, hiddenSizes: [4, 2], memorySize: 5, epochs: 1, batchSize: 16 };

test('settings that are not an object are refused for every kind of value', () => {
  for (const [value, shown] of [[null, 'null'], [5, '5 of type number'], [[], 'an array of length 0'], ['x', "'x' of type string"]] as const) {
    assert.throws(() => createDetector('memae', value as unknown as Record<string, unknown>),
      { code: 'INVALID_ARGUMENT', message: `Expected an object of settings, e.g. { epochs: 10 }, or nothing for the defaults for memae settings but received ${shown}.` });
  }
});

test('an unknown model name is refused with the names there are and, for a near miss, a suggestion', () => {
  assert.throws(() => createDetector('memea'), { code: 'INVALID_ARGUMENT', message: /for model but received 'memea' of type string\. Did you mean 'memae'\?$/ });
  assert.throws(() => createDetector('zzz'), { message: /^Expected one of .*\bmemae\b.* for model but received 'zzz' of type string\.$/ });
});

test('a plugin model is held to its configKeys, and a create() that returns no detector is named', () => {
  assert.throws(() => registerModel({ name: 'registry-test-typo', summary: '', input: 'samples', configKeys: [], create: () => { throw new Error('unused'); }, settingInUse: () => ({}) } as never),
    /Unknown option 'settingInUse' for registerModel entry\. Did you mean 'settingsInUse'\?/);
  registerModel({ name: 'registry-test-broken', summary: 'returns null', input: 'samples', configKeys: ['size'], create: () => null as unknown as Detector<unknown> & { loadWeights(path: string): void } });
  assert.throws(() => createDetector('registry-test-broken', { sise: 1 }), /^NormalityError: Unknown option 'sise' for registry-test-broken\. Did you mean 'size'\? Its options: size\.$/);
  assert.throws(() => createDetector('registry-test-broken', { size: 1 }),
    /Expected to return a detector \(fit, score, predict, save, dispose\) for model 'registry-test-broken' create\(config\) but received null\. The plugin that registered it is broken\./);
});

test('video models say how their frame scores are evaluated: MNAD\'s S as it is, raw errors min-max normalised per video', () => {
  const video = modelNames().filter((name) => getModel(name).input === 'video' && !name.startsWith('registry-test'));
  assert.deepEqual(Object.fromEntries(video.map((name) => [name, videoEvaluationOptions(name).normalize])),
    { 'ae-video': true, 'memae-video': true, 'mnad-pred': false, 'mnad-recon': false });
  assert.throws(() => registerModel({ name: 'registry-test-flag', summary: '', input: 'video', configKeys: [], create: () => { throw new Error('unused'); }, scoresNormalizedPerVideo: 'yes' } as never),
    /Expected true, false or undefined for model 'registry-test-flag' scoresNormalizedPerVideo but received 'yes'/);
});

test('a detector\'s configuration is frozen (the checks ran at creation), and a threshold predict would refuse is not saved', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'normality-registry-'));
  const detector = createDetector('memae', mlp);
  try {
    const config = detector.config as Record<string, unknown>;
    assert.throws(() => { config.memorySize = -3; }, TypeError);
    assert.throws(() => { (config.hiddenSizes as number[]).push(3); }, TypeError);
    await detector.fit(table);
    (detector as { threshold: unknown }).threshold = 'abc';
    assert.throws(() => detector.save(join(dir, 'm.safetensors')), { code: 'INVALID_ARGUMENT', message: /^memae's threshold is 'abc' of type string, not a finite number/ });
    detector.threshold = 0.5;
    detector.save(join(dir, 'm.safetensors'));
    assert.throws(() => loadDetector(join(dir, 'm.safetensors'), 'cpu' as unknown as Record<string, unknown>), /for loadDetector overrides but received 'cpu' of type string/);
    const loaded = loadDetector(join(dir, 'm.safetensors'), { device: 'cpu' });
    assert.equal(loaded.threshold, 0.5);
    loaded.dispose();
    // A setting that reshapes the network is named, not answered by a list of unmatched weights.
    assert.throws(() => loadDetector(join(dir, 'm.safetensors'), { memorySize: 7, device: 'cpu' }), {
      code: 'INVALID_ARGUMENT',
      message: /^The weights in .*m\.safetensors do not fit the memae network that the settings given to loadDetector build \(memorySize 7, saved 5\)\. Settings given when loading may change how the detector runs/,
    });
  } finally {
    detector.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});
