// Module and Parameter behaviour: state-dict keys identical to PyTorch's for a nested model, loading PyTorch's
// weights, a save/load round trip, strict and shape errors, modes, devices, gradients and disposal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadTensors, saveTensors } from '../checkpoint/tensors.js';
import { ones, randn, tensor, zeros } from '../tensor/create.js';
import { dispose, keep, liveTensors, tidy } from '../tensor/memory.js';
import { cudaAvailable, manualSeed } from '../tensor/runtime.js';
import { Tensor } from '../tensor/tensor.js';
import { assertClose } from '../tensor/testing.js';
import { LeakyReLU } from './activation.js';
import { BatchNorm2d, BatchNorm3d } from './batchnorm.js';
import { ModuleList, Sequential } from './container.js';
import { Conv2d, Conv3d } from './conv.js';
import { ConvTranspose2d } from './conv-transpose.js';
import { Dropout } from './dropout.js';
import { Linear } from './linear.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';
import { MaxPool2d } from './pooling.js';

/** The same architecture as `Block` and `Net` in scripts/fixtures/make_nn_fixtures.py. */
class Block extends Module {
  conv: Conv2d;
  norm: BatchNorm2d;
  act = new LeakyReLU(0.2);

  constructor(inChannels: number, outChannels: number) {
    super();
    this.conv = new Conv2d(inChannels, outChannels, 3, { padding: 1, bias: false });
    this.norm = new BatchNorm2d(outChannels);
  }

  forward(x: Tensor): Tensor {
    return tidy(() => this.act.forward(this.norm.forward(this.conv.forward(x))));
  }
}

class Net extends Module {
  encoder = new Sequential(new Block(1, 4), new MaxPool2d(2), new Block(4, 8));
  decoder = new ModuleList([new ConvTranspose2d(8, 4, 3, { stride: 2, padding: 1, outputPadding: 1 }), new BatchNorm2d(4), new Conv2d(4, 1, 1)]);
  head = new Linear(8 * 3 * 3, 2);

  forward(x: Tensor): Tensor {
    return tidy(() => {
      const z = this.encoder.forward(x);
      let y = z;
      for (const layer of this.decoder) y = layer.forward(y) as Tensor;
      return Tensor.cat([y.flatten(1), this.head.forward(z.flatten(1))], 1);
    });
  }
}

const fixture = fileURLToPath(new URL('../../src/nn/fixtures/model.safetensors', import.meta.url));
const { tensors, metadata } = loadTensors(fixture);
const pytorchKeys = JSON.parse(metadata.keys!) as string[];
const startLive = liveTensors();

function under(prefix: string): Map<string, Tensor> {
  return new Map([...tensors].filter(([key]) => key.startsWith(prefix)).map(([key, t]) => [key.slice(prefix.length), t]));
}

/** Run `fn` with a fresh Net, then check that the net and everything else the test made were freed. */
function withNet(fn: (net: Net) => void): void {
  const before = liveTensors();
  const net = new Net();
  try {
    fn(net);
  } finally {
    net.dispose();
  }
  assert.equal(liveTensors(), before, 'every tensor was freed');
}

test('state-dict keys, parameter, buffer and module names are PyTorch\'s for a nested model', () => withNet((net) => {
  assert.deepEqual([...net.stateDict().keys()], pytorchKeys);
  assert.deepEqual(net.namedParameters().map(([k]) => k), JSON.parse(metadata.parameters!));
  assert.deepEqual(net.namedBuffers().map(([k]) => k), JSON.parse(metadata.buffers!));
  assert.deepEqual(net.namedModules().map(([k]) => k), JSON.parse(metadata.modules!));
  assert.equal(net.numParameters(), Number(metadata.num_parameters));
}));

test('built after the same seed, the nested model starts from PyTorch\'s weights', () => {
  manualSeed(7);
  withNet((net) => {
    for (const [key, t] of net.stateDict()) assert.deepEqual(t.data(t.dtype), tensors.get(`init.${key}`)!.data(t.dtype), key);
  });
});

test('loaded with PyTorch\'s state dict, the nested model gives PyTorch\'s output in eval mode', () => withNet((net) => {
  net.loadStateDict(under('state.'));
  net.eval();
  tidy(() => assertClose(net.forward(tensors.get('input')!), tensors.get('output')!, { name: 'Net output' }));
}));

test('a state dict saved with saveTensors loads into a fresh model and gives the same outputs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'normality-nn-'));
  try {
    withNet((trained) => {
      trained.loadStateDict(under('state.'));
      trained.eval();
      saveTensors(join(dir, 'net.safetensors'), trained.stateDict());
      withNet((fresh) => {
        const { tensors: loaded } = loadTensors(join(dir, 'net.safetensors'));
        const result = fresh.loadStateDict(loaded);
        dispose(loaded);
        assert.deepEqual(result, { missingKeys: [], unexpectedKeys: [] });
        fresh.eval();
        tidy(() => assertClose(fresh.forward(tensors.get('input')!), trained.forward(tensors.get('input')!), { rtol: 0, atol: 0 }));
        assert.equal(fresh.stateDict().get('encoder.0.norm.num_batches_tracked')!.item(), 5);
      });
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('loading copies in place: Parameter objects keep their identity', () => withNet((net) => {
  const weight = net.head.weight;
  net.loadStateDict(under('state.'));
  assert.equal(net.head.weight, weight);
  assert.ok(weight.requiresGrad && weight.isLeaf);
  assert.deepEqual(weight.data(), tensors.get('state.head.weight')!.data());
}));

test('strict loading names the missing and the unexpected keys; non-strict loading returns them', () => withNet((net) => {
  const state = under('state.');
  state.delete('head.bias');
  state.delete('decoder.1.running_var');
  state.set('head.scale', tensors.get('state.head.bias')!);
  assert.throws(() => net.loadStateDict(state), {
    name: 'NormalityError',
    code: 'STATE_DICT',
    message: "Error loading the state dict into Net. Missing keys: 'decoder.1.running_var', 'head.bias'. Unexpected keys: 'head.scale'. " +
      'Load a state dict saved from the same architecture, or pass { strict: false } to load only the keys that match.',
  });
  assert.notDeepEqual(net.head.weight.data(), tensors.get('state.head.weight')!.data(), 'a failed load changed nothing');
  const result = net.loadStateDict(state, { strict: false });
  assert.deepEqual(result, { missingKeys: ['decoder.1.running_var', 'head.bias'], unexpectedKeys: ['head.scale'] });
  assert.deepEqual(net.head.weight.data(), tensors.get('state.head.weight')!.data());
}));

test('a shape mismatch always throws, names the key and both shapes, and changes nothing', () => withNet((net) => {
  const state = under('state.');
  const wrong = zeros([3, 72]);
  state.set('head.weight', wrong);
  const message = "Size mismatch for 'head.weight' while loading the state dict into Net: the state dict holds shape [3, 72] but the model expects [2, 72]. " +
    'Build the model with the configuration the state dict was saved from.';
  try {
    assert.throws(() => net.loadStateDict(state, { strict: false }), { code: 'STATE_DICT', message });
    assert.notDeepEqual(net.decoder.at(0).stateDict().get('weight')!.data(), tensors.get('state.decoder.0.weight')!.data());
    // With missing keys too, strict loading names every problem at once, as PyTorch does.
    state.delete('head.bias');
    assert.throws(() => net.loadStateDict(state), {
      code: 'STATE_DICT',
      message: "Error loading the state dict into Net. Missing keys: 'head.bias'. Size mismatch for 'head.weight' (the state dict holds [3, 72], the model expects [2, 72]). " +
        'Load a state dict saved from the same architecture, or pass { strict: false } to load only the keys that match.',
    });
  } finally {
    wrong.dispose();
  }
}));

test('a state dict may be a plain object, and values that are not tensors are refused', () => {
  const before = liveTensors();
  const layer = new Linear(2, 1);
  const weight = tensor([[1, 2]]);
  const bias = tensor([0.5]);
  try {
    layer.loadStateDict({ weight, bias });
    assert.deepEqual([...layer.weight.data()], [1, 2]);
    assert.throws(() => layer.loadStateDict({ weight: [[1, 2]] as unknown as Tensor, bias }), {
      message: "Expected a Tensor for state dict entry 'weight' but received an array of length 1.",
    });
  } finally {
    layer.dispose();
    dispose([weight, bias]);
  }
  assert.equal(liveTensors(), before);
});

test('train() and eval() reach every submodule; Dropout is the identity in eval mode', () => {
  withNet((net) => {
    assert.ok(net.modules().every((m) => m.training));
    assert.equal(net.eval(), net);
    assert.ok(net.modules().every((m) => !m.training));
    net.train();
    assert.ok(net.modules().every((m) => m.training));
    assert.throws(() => net.train('no' as unknown as boolean), { message: "Expected a boolean for train(mode) but received 'no' of type string. Use train() or eval()." });
  });
  const before = liveTensors();
  const drop = new Dropout(0.5);
  tidy(() => {
    const x = ones([200]);
    manualSeed(3);
    const trained = Array.from(drop.forward(x).data());
    assert.ok(trained.every((v) => v === 0 || v === 2), 'kept values are scaled by 1/(1 - p)');
    assert.ok(trained.includes(0) && trained.includes(2));
    drop.eval();
    const y = drop.forward(x);
    assert.notEqual(y, x, 'a new owner, like every forward');
    assert.deepEqual(y.data(), x.data());
  });
  assert.equal(liveTensors(), before);
});

test('field rules: camelCase tensors become snake_case keys, _fields and null fields are left out, shared parameters count once', () => {
  const before = liveTensors();
  class Scaler extends Module {
    scaleFactor = Parameter.from(ones([2]));
    runningMax = keep(zeros([2]));
    _cache: Tensor | null = keep(zeros([5]));
    offset: Parameter | null = null;
    shared: Linear;
    alias: Linear;
    constructor() {
      super();
      this.shared = new Linear(2, 2);
      this.alias = this.shared;
    }
    forward(x: Tensor): Tensor { return x.mul(this.scaleFactor); }
  }
  const m = new Scaler();
  assert.deepEqual([...m.stateDict().keys()], ['scale_factor', 'running_max', 'shared.weight', 'shared.bias', 'alias.weight', 'alias.bias']);
  assert.deepEqual(m.namedParameters().map(([k]) => k), ['scale_factor', 'shared.weight', 'shared.bias']);
  assert.deepEqual(m.namedBuffers().map(([k]) => k), ['running_max']);
  assert.equal(m.numParameters(), 2 + 4 + 2);
  m.dispose();
  m._cache!.dispose();
  assert.equal(liveTensors(), before);
});

test('an array of modules in a plain field throws and says to use ModuleList', () => {
  class Listy extends Module {
    layers = [new Linear(1, 1)];
    forward(): void {}
  }
  const before = liveTensors();
  const m = new Listy();
  assert.throws(() => m.parameters(), {
    message: 'Listy.layers is an array of modules or tensors, which the state walk does not enter: their parameters would be missing from parameters() and stateDict(). ' +
      'Hold modules in a ModuleList or Sequential (this.layers = new ModuleList([...])), or name the field _layers to keep it out of the state on purpose.',
  });
  m.layers[0]!.dispose();
  assert.equal(liveTensors(), before);
});

test('to() converts in place: same Parameter objects, floating-point tensors only, gradients follow', () => withNet((net) => {
  const weight = net.head.weight;
  tidy(() => net.forward(randn([2, 1, 6, 6])).sum().backward());
  net.to('float64');
  assert.equal(net.head.weight, weight);
  assert.equal(weight.dtype, 'float64');
  assert.ok(weight.requiresGrad && weight.isLeaf);
  assert.equal(net.stateDict().get('decoder.1.num_batches_tracked')!.dtype, 'int64');
  tidy(() => assert.equal(weight.grad!.dtype, 'float64'));
  net.to({ device: 'cpu', dtype: 'float32' });
  assert.equal(weight.dtype, 'float32');
  assert.equal(weight.device, 'cpu');
  tidy(() => { net.forward(randn([2, 1, 6, 6])); });
}));

test('zeroGrad() drops every gradient; requiresGrad_(false) freezes the parameters', () => withNet((net) => {
  tidy(() => net.forward(randn([2, 1, 6, 6])).sum().backward());
  tidy(() => assert.ok(net.parameters().every((p) => p.grad !== null)));
  net.zeroGrad();
  tidy(() => assert.ok(net.parameters().every((p) => p.grad === null)));
  net.requiresGrad_(false);
  assert.ok(net.parameters().every((p) => !p.requiresGrad));
}));

test('a module built inside tidy keeps its parameters and buffers; dispose() frees them all', () => {
  const before = liveTensors();
  const net = tidy(() => new Net());
  assert.equal(liveTensors(), before + net.parameters().length + net.buffers().length);
  tidy(() => { net.forward(randn([2, 1, 6, 6])); });
  net.dispose();
  net.dispose();
  assert.equal(liveTensors(), before);
  assert.throws(() => net.head.weight.add(1), { code: 'DISPOSED', message: /^A tensor of shape \[2, 72\] and dtype float32 was used after dispose\(\)/ });
});

test('to(\'cuda\') moves every parameter and buffer in place and gives the CPU output', { skip: !cudaAvailable() && 'no CUDA device here' }, () => withNet((net) => {
  net.loadStateDict(under('state.'));
  net.eval();
  const weight = net.head.weight;
  net.to('cuda');
  assert.equal(net.head.weight, weight);
  assert.ok([...net.stateDict().values()].every((t) => t.device === 'cuda:0'));
  tidy(() => assertClose(net.forward(tensors.get('input')!.to('cuda')).to('cpu'), tensors.get('output')!, { rtol: 1e-4, atol: 1e-5 }));
  net.to('cpu');
  assert.equal(weight.device, 'cpu');
}));

test('apply() visits children before their parent, like PyTorch', () => withNet((net) => {
  const seen: string[] = [];
  net.decoder.apply((m) => seen.push(m.constructor.name));
  assert.deepEqual(seen, ['ConvTranspose2d', 'BatchNorm2d', 'Conv2d', 'ModuleList']);
}));

// ---- Parameter ----

test('Parameter.from takes over a tensor: a leaf that requires gradients, the source disposed', () => {
  const before = liveTensors();
  const source = ones([2, 3]);
  const p = Parameter.from(source);
  assert.ok(p instanceof Tensor && p instanceof Parameter);
  assert.ok(source.isDisposed);
  assert.ok(p.requiresGrad && p.isLeaf);
  assert.equal(p.toString(), 'Parameter(shape=[2, 3], dtype=float32, device=cpu)');
  assert.equal(liveTensors(), before + 1);
  p.dispose();
  assert.equal(p.toString(), 'Parameter(disposed)');
  assert.equal(liveTensors(), before);
});

test('a Parameter made from a result with history is a fresh leaf; requiresGrad can be off', () => {
  const before = liveTensors();
  const p = tidy(() => Parameter.from(randn([3], { requiresGrad: true }).mul(2)));
  assert.ok(p.isLeaf && p.requiresGrad);
  const frozen = Parameter.from(ones([2]), false);
  assert.equal(frozen.requiresGrad, false);
  p.dispose();
  frozen.dispose();
  assert.equal(liveTensors(), before);
});

test('tidy never frees a Parameter, even one created inside it', () => {
  const before = liveTensors();
  let inside: Parameter | undefined;
  tidy(() => {
    inside = Parameter.from(ones([2]));
    inside.mul(3);
  });
  assert.equal(liveTensors(), before + 1, 'the parameter survived; the product was freed');
  assert.deepEqual([...inside!.data()], [1, 1]);
  inside!.dispose();
  assert.equal(liveTensors(), before);
});

test('the fixtures are freed and nothing leaked', () => {
  dispose(tensors);
  assert.equal(liveTensors(), startLive - tensors.size);
});

test('to({ memoryFormat }) lays 5-D weights out channels-last and keeps the output', () => {
  const before = liveTensors();
  tidy(() => {
    manualSeed(4);
    const net = new Sequential(new Conv3d(2, 4, 3, { padding: 1 }), new BatchNorm3d(4));
    net.eval();
    const x = randn([1, 2, 4, 6, 6]);
    const expected = net.forward(x);
    const weight = net.parameters()[0]!;
    net.to({ memoryFormat: 'channels_last_3d' });
    assert.equal(net.parameters()[0], weight, 'the same Parameter object');
    assert.equal(weight.stride(1), 1, 'channels are innermost');
    assert.equal(net.parameters()[2]!.ndim, 1);
    assertClose(net.forward(x.contiguous(3)), expected, { atol: 1e-5 });
    net.to({ memoryFormat: 'contiguous' });
    assert.equal(weight.stride(4), 1);
    assert.throws(() => net.to({ memoryFormat: 'nhwc' as never }), /Expected one of contiguous, channels_last, channels_last_3d for memoryFormat/);
    net.dispose();
  });
  assert.equal(liveTensors(), before);
});
