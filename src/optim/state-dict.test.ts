// The optimizer state dict: its layout, and loads that are refused with the optimizer left as it was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randn, zeros } from '../tensor/create.js';
import { dispose, liveTensors, tidy } from '../tensor/memory.js';
import type { Tensor } from '../tensor/tensor.js';
import { Adam, SGD } from './index.js';

function trained(): { adam: Adam; params: Tensor[] } {
  const params = [randn([2, 3]).requiresGrad_(), randn([3]).requiresGrad_(), randn([1]).requiresGrad_()];
  const adam = new Adam([{ params: params.slice(0, 2) }, { params: params.slice(2), lr: 0.1 }], { amsgrad: true });
  for (const p of params.slice(0, 2)) {
    using grad = randn(p.shape);
    p.grad = grad;
  }
  adam.step();
  adam.step();
  return { adam, params };
}

test('keys and meta follow PyTorch: parameters numbered across groups, snake_case names', () => {
  const { adam, params } = trained();
  const sd = adam.stateDict();
  assert.deepEqual([...sd.tensors.keys()], [
    'state.0.exp_avg', 'state.0.exp_avg_sq', 'state.0.max_exp_avg_sq', 'state.1.exp_avg', 'state.1.exp_avg_sq', 'state.1.max_exp_avg_sq',
  ]);
  assert.ok([...sd.tensors.values()].every((t) => t.kept), 'live state tensors are marked kept');
  assert.deepEqual(JSON.parse(sd.meta), {
    type: 'Adam',
    state: { 0: { step: 2 }, 1: { step: 2 } },
    param_groups: [
      { lr: 0.001, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, amsgrad: true, maximize: false, params: [0, 1] },
      { lr: 0.1, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, amsgrad: true, maximize: false, params: [2] },
    ],
  });
  adam.dispose();
  dispose(params);
});

test('refused loads name the problem and change nothing', () => {
  const { adam, params } = trained();
  const start = liveTensors();
  const sd = adam.stateDict();
  const meta = JSON.parse(sd.meta) as { type: string; state: Record<string, Record<string, number>>; param_groups: { params: number[] }[] };
  const without = (key: string) => new Map([...sd.tensors].filter(([k]) => k !== key));
  const fix = 'Load a state saved by the same optimizer over the same parameters.';
  const sgd = new SGD([zeros([1]).requiresGrad_()], { lr: 0.1 });
  tidy(() => {
    const cases: [() => void, string][] = [
      [() => adam.loadStateDict({ tensors: sd.tensors, meta: 'not json' }), 'Error loading the state dict into Adam: meta is not the JSON text that stateDict() returns. Pass { tensors, meta } exactly as optimizer.stateDict() returned them.'],
      [() => adam.loadStateDict(sgd.stateDict()), 'Error loading the state dict into Adam: the state was saved by SGD. Build a SGD optimizer to load it.'],
      [() => adam.loadStateDict({ tensors: sd.tensors, meta: JSON.stringify({ ...meta, param_groups: meta.param_groups.slice(0, 1) }) }), `Error loading the state dict into Adam: the state has 1 parameter groups but the optimizer has 2. ${fix}`],
      [
        () => adam.loadStateDict({ tensors: sd.tensors, meta: JSON.stringify({ ...meta, param_groups: [meta.param_groups[0], { ...meta.param_groups[1], params: [2, 3] }] }) }),
        `Error loading the state dict into Adam: parameter group 1 has 2 parameters in the state but 1 in the optimizer. ${fix}`,
      ],
      [() => adam.loadStateDict({ tensors: without('state.1.exp_avg_sq'), meta: sd.meta }), `Error loading the state dict into Adam: the state of parameter 1 misses exp_avg_sq. ${fix}`],
      [
        () => adam.loadStateDict({ tensors: new Map([...sd.tensors, ['state.0.momentum_buffer', randn([2, 3])]]), meta: sd.meta }),
        `Error loading the state dict into Adam: unexpected entry 'state.0.momentum_buffer' (Adam keeps step, exp_avg, exp_avg_sq, max_exp_avg_sq for parameters 0 to 2). ${fix}`,
      ],
      [
        () => adam.loadStateDict({ tensors: new Map([...sd.tensors, ['state.0.exp_avg', randn([3, 2])]]), meta: sd.meta }),
        `Error loading the state dict into Adam: 'state.0.exp_avg' has shape [3, 2] but parameter 0 has shape [2, 3]. ${fix}`,
      ],
      [
        () => adam.loadStateDict({ tensors: new Map([...sd.tensors, ['model.weight', randn([1])]]), meta: sd.meta }),
        "Error loading the state dict into Adam: unexpected entry 'model.weight'. Pass only the tensors that optimizer.stateDict() returned.",
      ],
    ];
    for (const [load, message] of cases) assert.throws(load, { name: 'NormalityError', code: 'STATE_DICT', message });
    const badLr = JSON.stringify({ ...meta, param_groups: [{ ...meta.param_groups[0], lr: -1 }, meta.param_groups[1]] });
    assert.throws(() => adam.loadStateDict({ tensors: sd.tensors, meta: badLr }), { message: 'Expected a number >= 0 for Adam paramGroups[0] (loaded) lr but received -1 of type number.' });
  });
  assert.equal(adam.stateDict().meta, sd.meta);
  assert.equal(liveTensors(), start + 1); // sgd's parameter is the only addition
  dispose(sgd.paramGroups[0]!.params);
  adam.dispose();
  dispose(params);
});

test('a load replaces the whole state; dispose frees it', () => {
  const { adam, params } = trained();
  const sd = adam.stateDict();
  const copy = new Map([...sd.tensors].map(([k, t]) => [k, t.clone()]));
  const meta = sd.meta;
  const start = liveTensors();
  adam.loadStateDict({ tensors: copy, meta });
  assert.equal(liveTensors(), start, 'the old state tensors were freed as the copies came in');
  dispose(copy);
  assert.equal(adam.stateDict().tensors.size, 6);
  adam.dispose();
  assert.equal(adam.stateDict().tensors.size, 0);
  assert.equal(liveTensors(), start - 12);
  dispose(params);
});
