// SGD, Adam and AdamW replayed against PyTorch 1.13 (fixtures: scripts/fixtures/make_optim_fixtures.py):
// the same parameters and gradients give the same parameters after every step and the same final state.
// With Debian's libtorch on the CPU the results are bit-identical; the tolerance leaves room for other builds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadTensors, saveTensors } from '../checkpoint/tensors.js';
import { randn } from '../tensor/create.js';
import { dispose, liveTensors, tidy } from '../tensor/memory.js';
import type { Tensor } from '../tensor/tensor.js';
import { assertClose as assertCloseLeaky } from '../tensor/testing.js';
import { Adam, AdamW, SGD, type Optimizer } from './index.js';

const before = liveTensors();
const { tensors: fixture, metadata } = loadTensors(fileURLToPath(new URL('../../src/optim/fixtures/optim.safetensors', import.meta.url)));
const get = (key: string): Tensor => {
  const t = fixture.get(key);
  assert.ok(t, `fixture ${key}`);
  return t;
};

interface Config {
  optimizer: 'SGD' | 'Adam' | 'AdamW';
  options: Record<string, unknown>;
  groups: [number[], Record<string, unknown>][] | null;
}
const configs = JSON.parse(metadata.configs!) as Record<string, Config>;
const STEPS = 5;
const PARAMS = 3;

function build(config: Config, params: Tensor[]): Optimizer {
  const make = { SGD, Adam, AdamW }[config.optimizer] as unknown as new (params: unknown, options: unknown) => Optimizer;
  const groups = config.groups === null ? params : config.groups.map(([indices, options]) => ({ params: indices.map((i) => params[i]!), ...options }));
  return new make(groups, config.options);
}

function freshParams(after?: number, name?: string): Tensor[] {
  return Array.from({ length: PARAMS }, (_, i) => get(after === undefined ? `init.${i}` : `${name}.step${after}.${i}`).clone().requiresGrad_());
}

/** Gradients of PyTorch's run: the fixture tensors themselves, so an optimizer that wrote to them would spoil later cases. */
function setGradients(optimizer: Optimizer, params: Tensor[], step: number): void {
  optimizer.zeroGrad();
  for (const [i, p] of params.entries()) {
    const grad = fixture.get(`grad.${step}.${i}`);
    if (grad !== undefined) p.grad = grad;
  }
}

const values = (t: Tensor) => Array.from(t.data());
/** assertClose makes float64 copies; free them. */
const assertClose = (...args: Parameters<typeof assertCloseLeaky>) => tidy(() => assertCloseLeaky(...args));

for (const [name, config] of Object.entries(configs)) {
  test(`${name}: every step matches PyTorch, and so does the final state`, () => {
    const params = freshParams();
    const optimizer = build(config, params);
    for (let step = 1; step <= STEPS; step++) {
      setGradients(optimizer, params, step);
      optimizer.step();
      for (const [i, p] of params.entries()) assertClose(p, get(`${name}.step${step}.${i}`), { name: `${name} step ${step} parameter ${i}`, rtol: 1e-6, atol: 1e-7 });
    }
    const sd = optimizer.stateDict();
    const expectedKeys = [...fixture.keys()].filter((k) => k.startsWith(`${name}.state.`)).map((k) => k.slice(name.length + 1));
    assert.deepEqual([...sd.tensors.keys()].sort(), expectedKeys.sort());
    for (const [key, t] of sd.tensors) assertClose(t, get(`${name}.${key}`), { name: `${name} ${key}`, rtol: 1e-6, atol: 1e-7 });
    const steps = Object.fromEntries(Object.entries((JSON.parse(sd.meta) as { state: Record<string, { step: number }> }).state).map(([i, s]) => [i, s.step]));
    assert.deepEqual(steps, JSON.parse(metadata[`${name}.state`]!));
    optimizer.dispose();
    dispose(params);
  });

  test(`${name}: state saved after step 3 and loaded into a fresh optimizer continues exactly`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'normality-optim-'));
    try {
      const params = freshParams();
      const optimizer = build(config, params);
      for (let step = 1; step <= 3; step++) {
        setGradients(optimizer, params, step);
        optimizer.step();
      }
      const saved = optimizer.stateDict();
      saveTensors(join(dir, 'optimizer.safetensors'), saved.tensors, { optimizer: saved.meta });
      const resumedParams = params.map((p) => tidy(() => p.detach().clone()).requiresGrad_());
      const resumed = build(config, resumedParams);
      resumed.paramGroups[0]!.lr = 123; // the saved hyper-parameters replace the current ones
      const { tensors, metadata: meta } = loadTensors(join(dir, 'optimizer.safetensors'));
      resumed.loadStateDict({ tensors, meta: meta.optimizer! });
      dispose(tensors);
      assert.equal(resumed.paramGroups[0]!.lr, optimizer.paramGroups[0]!.lr);
      for (let step = 4; step <= STEPS; step++) {
        setGradients(optimizer, params, step);
        optimizer.step();
        setGradients(resumed, resumedParams, step);
        resumed.step();
        for (const [i, p] of resumedParams.entries()) assert.deepEqual(values(p), values(params[i]!), `${name} step ${step} parameter ${i}`);
      }
      assert.equal(resumed.stateDict().meta, optimizer.stateDict().meta);
      optimizer.dispose();
      resumed.dispose();
      dispose([params, resumedParams]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('gradients are not written to, and zeroGrad sets them to null or to zero', () => {
  const p = randn([3]).requiresGrad_();
  const optimizer = new SGD([p], { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.1 });
  const grad = randn([3]);
  const original = values(grad);
  p.grad = grad;
  optimizer.step();
  optimizer.step();
  assert.deepEqual(values(grad), original);
  optimizer.zeroGrad(false);
  const zeroed = p.grad!;
  assert.deepEqual(values(zeroed), [0, 0, 0]);
  optimizer.zeroGrad();
  assert.equal(p.grad, null);
  optimizer.dispose();
  dispose([p, grad, zeroed]);
});

test('many steps of every optimizer leave no tensor behind', () => {
  const start = liveTensors();
  const params = [randn([4, 3]).requiresGrad_(), randn([3]).requiresGrad_()];
  const grads = params.map((p) => randn(p.shape));
  const optimizers = [
    new SGD(params, { lr: 0.01, momentum: 0.9, nesterov: true, weightDecay: 0.01, maximize: true }),
    new Adam(params, { lr: 1e-3, weightDecay: 0.1, amsgrad: true, maximize: true }),
    new AdamW([{ params: [params[0]!] }, { params: [params[1]!], lr: 0.1 }]),
  ];
  for (const optimizer of optimizers) {
    params.forEach((p, i) => (p.grad = grads[i]!));
    optimizer.step();
    const afterFirst = liveTensors();
    for (let i = 0; i < 100; i++) optimizer.step();
    assert.equal(liveTensors(), afterFirst, `${optimizer.name} leaked`);
    optimizer.zeroGrad();
    optimizer.dispose();
  }
  dispose([params, grads]);
  assert.equal(liveTensors(), start);
});

test('the fixtures are freed and nothing leaked', () => {
  dispose(fixture);
  assert.equal(liveTensors(), before);
});
