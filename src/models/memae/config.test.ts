// What `normality info` shows of a MemAE configuration: the settings its network and variant use.
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
