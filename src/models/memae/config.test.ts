// What `normality info` shows of a MemAE configuration (the settings its network and variant use), and which settings are refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memaeConfig, memaeSettingsInUse } from './config.js';
import { memae3dConfig } from './video-detector.js';

const shown = (config: Record<string, unknown>) => Object.keys(memaeSettingsInUse({ ...memaeConfig(config) }));

test('a conv MemAE shows its memory but not the MLP sizes; a table MemAE shows both', () => {
  const conv = shown({ architecture: 'cifar10', variant: 'memae' });
  for (const key of ['memorySize', 'shrinkThreshold', 'entropyWeight', 'addressing', 'architecture', 'epochs']) assert.ok(conv.includes(key), key);
  for (const key of ['inputFeatures', 'hiddenSizes', 'normalize']) assert.ok(!conv.includes(key), key);
  const table = shown({ architecture: 'mlp', variant: 'memae' });
  for (const key of ['inputFeatures', 'hiddenSizes', 'normalize', 'memorySize', 'shrinkThreshold']) assert.ok(table.includes(key), key);
});

test('AE shows no memory settings, MemAE-nonSpar no shrinkage or entropy', () => {
  const ae = shown({ architecture: 'mnist', variant: 'ae' });
  for (const key of ['memorySize', 'addressing', 'shrinkThreshold', 'entropyWeight']) assert.ok(!ae.includes(key), key);
  assert.ok(ae.includes('lr') && ae.includes('variant'));
  const nonspar = shown({ architecture: 'mnist', variant: 'nonspar' });
  assert.ok(nonspar.includes('memorySize') && nonspar.includes('addressing'));
  assert.ok(!nonspar.includes('shrinkThreshold') && !nonspar.includes('entropyWeight'));
});

test('the video AE shows its clip size but no memory settings', () => {
  const ae = Object.keys(memaeSettingsInUse({ ...memae3dConfig({ variant: 'ae' }) }));
  assert.ok(ae.includes('clipLength') && ae.includes('height'));
  for (const key of ['memorySize', 'addressing', 'shrinkThreshold', 'entropyWeight']) assert.ok(!ae.includes(key), key);
});

test('the video MemAE checks its memory and training settings as the image one does', () => {
  const refusals: [Record<string, unknown>, RegExp][] = [
    [{ memorySize: -5 }, /Expected a positive integer for memorySize but received -5/],
    [{ memorySize: 'x' }, /for memorySize but received 'x'/],
    [{ addressing: 'foo' }, /Expected 'dot' or 'cosine' for addressing/],
    [{ shrinkThreshold: 5 }, /Expected a number in \[0, 1\) for shrinkThreshold but received 5/],
    [{ entropyWeight: 'x' }, /Expected a non-negative number for entropyWeight but received 'x'/],
    [{ clipsPerEpoch: -3 }, /Expected a non-negative integer \(0: every clip\) for clipsPerEpoch but received -3/],
    [{ contamination: 2 }, /Expected a number in \[0, 0\.5\] for contamination but received 2/],
    [{ channels: 2 }, /Expected 1 \(gray\) or 3 \(RGB\) for channels but received 2/],
  ];
  for (const [options, message] of refusals) assert.throws(() => memae3dConfig(options as never), message, JSON.stringify(options));
  assert.throws(() => memaeConfig({ architecture: 'mlp', normalize: 'zscore' as never }), /Expected 'none' or 'minmax' for normalize but received 'zscore'/);
});
