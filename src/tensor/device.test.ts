// Devices: a typo or a CUDA device this build lacks is refused in TypeScript, before libtorch sees it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDevice } from './device.js';
import { tensor, zeros } from './create.js';
import { dispose } from './memory.js';
import { cudaDeviceCount } from './runtime.js';
import { assertRefused } from './testing.js';
import * as tensorApi from './index.js';

const FORMAT = "'cpu', 'cuda' or 'cuda:N' (N the index of a CUDA device)";

test('only cpu, cuda and cuda:N are devices', () => {
  assert.equal(tensorApi.checkDevice, checkDevice, 'detectors reach checkDevice through normality/tensor');
  assert.equal(checkDevice('device', 'cpu'), 'cpu');
  assertRefused(() => tensor([1, 2], { device: 'tpu' as 'cpu' }), 'INVALID_ARGUMENT', `Expected ${FORMAT} for device but received 'tpu' of type string.`);
  assertRefused(() => zeros([2], { device: 'mps' as 'cpu' }), 'INVALID_ARGUMENT', `Expected ${FORMAT} for device but received 'mps' of type string.`);
  for (const bad of ['CPU', 'cuda:', 'cuda:-1', 'cuda:01', 'cuda:1.5', ' cpu']) {
    assertRefused(() => checkDevice('--device', bad), 'INVALID_ARGUMENT', `Expected ${FORMAT} for --device but received '${bad}'.`);
  }
  assertRefused(() => checkDevice('device', 0), 'INVALID_ARGUMENT', `Expected ${FORMAT} for device but received 0 of type number.`);
  const x = tensor([1, 2]);
  assertRefused(() => x.to('tpu' as 'cpu'), 'INVALID_ARGUMENT', /^Expected a dtype \(uint8, .*\), a device \('cpu', 'cuda', 'cuda:N'\) or \{ dtype, device \} for to\(target\) but received 'tpu' of type string\.$/);
  assertRefused(() => x.to(null as unknown as 'cpu'), 'INVALID_ARGUMENT', /for to\(target\) but received null\.$/);
  dispose(x);
});

test('a CUDA device is refused where libtorch sees none, and pointed at the CUDA build', () => {
  const count = cudaDeviceCount();
  if (count > 0) {
    assert.equal(checkDevice('device', 'cuda'), 'cuda');
    assert.equal(checkDevice('device', `cuda:${count - 1}`), `cuda:${count - 1}`);
    assertRefused(() => checkDevice('device', `cuda:${count}`), 'INVALID_ARGUMENT', `Expected 'cpu', 'cuda' or 'cuda:N' with N below ${count} (the CUDA devices libtorch sees) for device but received 'cuda:${count}' of type string.`);
    return;
  }
  const message = "Expected 'cpu' (libtorch sees no CUDA device: this build of the addon has no CUDA, or this machine has no GPU) for device but received 'cuda' of type string. Rebuild the addon against a CUDA libtorch: LIBTORCH=<dir of a CUDA libtorch> npm run build:native (see \"Building against another libtorch (CUDA)\" in README.md).";
  assertRefused(() => checkDevice('device', 'cuda'), 'INVALID_ARGUMENT', message);
  assertRefused(() => tensor([1, 2], { device: 'cuda' }), 'INVALID_ARGUMENT', message);
  const x = tensor([1, 2]);
  assertRefused(() => x.to('cuda'), 'INVALID_ARGUMENT', message);
  dispose(x);
});
