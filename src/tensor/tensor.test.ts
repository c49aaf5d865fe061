import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Tensor } from './tensor.js';
import { tensor, zeros, randn, ones, arange, scalar } from './create.js';
import * as F from './functional.js';
import { liveTensors, tidy, keep, dispose } from './memory.js';
import { noGrad, isGradEnabled, enableGrad } from './grad-mode.js';
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { getNumThreads, manualSeed, setNumThreads } from './runtime.js';
import { DTYPES, type DType } from './dtype.js';
import { NormalityError } from '../errors.js';
import { assertRefused } from './testing.js';

test('every dtype round-trips through a TypedArray', () => {
  const before = liveTensors();
  const samples: Record<DType, ArrayBufferView> = {
    float32: new Float32Array([1.5, -2, 3]), float64: new Float64Array([1e-300, 2, -3]), int64: new BigInt64Array([1n, -2n, 2n ** 40n]),
    int32: new Int32Array([1, -2, 3]), int16: new Int16Array([1, -2, 3]), int8: new Int8Array([1, -2, 3]), uint8: new Uint8Array([1, 2, 255]),
    bool: new Uint8Array([1, 0, 1]), float16: new Uint16Array([0x3c00, 0xc000, 0x4200]), bfloat16: new Uint16Array([0x3f80, 0xc000, 0x4040]),
  };
  for (const dtype of DTYPES) {
    using t = tensor(samples[dtype]!, { dtype });
    assert.equal(t.dtype, dtype);
    assert.deepEqual([...(t.data(dtype) as ArrayLike<unknown> & Iterable<unknown>)], [...(samples[dtype] as unknown as Iterable<unknown>)], dtype);
  }
  // raw 16-bit data is really float16 / bfloat16: 1, -2, 3
  tidy(() => {
    assert.deepEqual([...tensor(samples.float16!, { dtype: 'float16' }).float().data()], [1, -2, 3]);
    assert.deepEqual([...tensor(samples.bfloat16!, { dtype: 'bfloat16' }).float().data()], [1, -2, 3]);
  });
  assert.equal(liveTensors(), before);
});

test('nested arrays, shapes and item', () => {
  tidy(() => {
    const t = tensor([[1, 2, 3], [4, 5, 6]]);
    assert.deepEqual(t.shape, [2, 3]);
    assert.deepEqual(t.toArray(), [[1, 2, 3], [4, 5, 6]]);
    assert.equal(t.numel, 6);
    assert.equal(t.size(-1), 3);
    assert.equal(scalar(2.5).item(), 2.5);
    assert.deepEqual(arange(0, 5).toArray(), [0, 1, 2, 3, 4]);
    assert.throws(() => tensor(new Float32Array(5), { shape: [2, 3] }), /Expected a shape with 5 elements to match the data for shape but received \[2, 3\] \(6 elements\)\.$/);
    assert.throws(() => t.item(), { message: 'Expected a tensor with one element for item() but received Tensor(shape=[2, 3], dtype=float32, device=cpu).' });
    assert.throws(() => t.size(2), /Expected an integer in \[-2, 1\] for dim but received 2 of type number/);
  });
});

test('a zero-copy view outlives dispose() of its tensor', () => {
  const t = tensor(new Float32Array([1, 2, 3]));
  const view = t.dataView();
  t.dispose();
  assert.deepEqual([...view], [1, 2, 3]);
});

test('tidy frees intermediates, keeps returned and kept tensors', () => {
  const before = liveTensors();
  let kept: Tensor | undefined;
  const result = tidy(() => {
    const a = ones([2, 2]);
    const b = a.mul(3);
    kept = keep(b.add(1));
    return { sum: b.sum(), list: [a.neg()] };
  });
  assert.equal(liveTensors(), before + 3);
  assert.equal(result.sum.item(), 12);
  assert.equal(tidy(() => kept!.max().item()), 4);
  dispose([result, kept]);
  assert.equal(liveTensors(), before);
});

test('tidy frees everything when its function throws', () => {
  const before = liveTensors();
  assert.throws(() => tidy(() => { zeros([3]); throw new Error('boom'); }), /boom/);
  assert.equal(liveTensors(), before);
});

test('nested tidy moves returned tensors to the outer scope', () => {
  const before = liveTensors();
  tidy(() => {
    const inner = tidy(() => ones([2]).mul(2));
    assert.equal(inner.isDisposed, false);
  });
  assert.equal(liveTensors(), before);
});

test('use after dispose names the shape and dtype; dispose is idempotent', () => {
  const t = zeros([2, 3], { dtype: 'float64' });
  t.dispose();
  t.dispose();
  assert.throws(() => t.add(1), { code: 'DISPOSED', message: /^A tensor of shape \[2, 3\] and dtype float64 was used after dispose\(\)/ });
  assert.throws(() => t.data(), /shape \[2, 3\] and dtype float64/);
});

test('a tensor of more than 64 dimensions reports its shape and is freed', () => {
  const before = liveTensors();
  const many = ones(new Array(70).fill(1));
  assert.equal(many.shape.length, 70);
  assert.equal(tidy(() => many.sum().item()), 1);
  many.dispose();
  const unread = ones(new Array(65).fill(1)); // freed before its shape was ever read
  unread.dispose();
  assert.equal(liveTensors(), before);
});

test('`using` frees at the end of the block', () => {
  const before = liveTensors();
  {
    using t = ones([4]);
    assert.equal(liveTensors(), before + 1);
    assert.equal(t.numel, 4);
  }
  assert.equal(liveTensors(), before);
});

test('native errors name the op and the shapes of its tensor arguments', () => {
  tidy(() => {
    const a = ones([2, 3]);
    const b = ones([4]);
    const error = assertRefused(() => a.add(b), 'NATIVE',
      /^aten::add\.Tensor failed: The size of tensor a \(3\) must match the size of tensor b \(4\) at non-singleton dimension 1 \(tensor arguments: Tensor\[2, 3\] Float cpu, Tensor\[4\] Float cpu\)$/);
    // The addon's own error stays reachable as the cause, with the same text.
    assert.ok(error.cause instanceof Error && !(error.cause instanceof NormalityError));
    assert.equal((error.cause as Error).message, error.message);
    const total = a.sum();
    assertRefused(() => total.backward(), 'NATIVE', /^backward failed: element 0 of tensors does not require grad/);
    // libtorch's allocator text is kept, with the reason put first (4e16 bytes: more than any address space).
    assertRefused(() => zeros([1e8, 1e8]), 'NATIVE', /^Out of memory: aten::zeros failed: .*can't allocate memory: you tried to allocate 40000000000000000 bytes/);
    assert.throws(() => F.conv2d(randn([1, 3, 8, 8]), randn([4, 5, 3, 3])), /aten::conv2d failed: .*expected input\[1, 3, 8, 8\] to have 5 channels.*Tensor\[4, 5, 3, 3\]/);
    assert.throws(() => ones([2, 2]).mm(ones([2, 2], { dtype: 'float64' })), /aten::mm failed: .*(dtype|Double|Float).*\(tensor arguments: Tensor\[2, 2\] Float cpu, Tensor\[2, 2\] Double cpu\)/);
  });
});

test('arguments of the wrong JavaScript type are refused with the op and argument named', () => {
  tidy(() => {
    const x = ones([2, 2]);
    assertRefused(() => x.sum(1.5), 'INVALID_ARGUMENT', "aten::sum.dim_IntList: expected an integer for argument 'dim' but received 1.5 of type number");
    assertRefused(() => x.softmax('1' as unknown as number), 'INVALID_ARGUMENT', "aten::softmax.int: expected an integer for argument 'dim' but received '1' of type string");
    assertRefused(() => x.sum([0, true] as unknown as number[]), 'INVALID_ARGUMENT', "aten::sum.dim_IntList: expected an integer for argument 'dim' but received true of type boolean");
    assertRefused(() => x.clamp({} as number), 'INVALID_ARGUMENT', "aten::clamp: expected a number for argument 'min' but received an object");
  });
});

test('a Tensor argument that is something else is named with what it received', () => {
  tidy(() => {
    const x = ones([3]);
    const fix = 'Make a tensor of it first: tensor(data).';
    assertRefused(() => x.add('1' as unknown as number), 'INVALID_ARGUMENT', "Expected a Tensor or a number for other but received '1' of type string.");
    assertRefused(() => x.add([1, 2, 3] as unknown as number), 'INVALID_ARGUMENT', `Expected a Tensor or a number for other but received an array of length 3. ${fix}`);
    assertRefused(() => x.mul_(null as unknown as number), 'INVALID_ARGUMENT', 'Expected a Tensor or a number for other but received null.');
    assertRefused(() => x.pow(undefined as unknown as number), 'INVALID_ARGUMENT', 'Expected a Tensor or a number for exponent but received undefined.');
    assertRefused(() => x.matmul(new Float32Array(3) as unknown as Tensor), 'INVALID_ARGUMENT', `Expected a Tensor for other but received a Float32Array of length 3. ${fix}`);
    assertRefused(() => x.where(true as unknown as Tensor, x), 'INVALID_ARGUMENT', 'Expected a Tensor for condition but received true of type boolean.');
    assertRefused(() => Tensor.cat([x, 5 as unknown as Tensor]), 'INVALID_ARGUMENT', 'Expected a Tensor for tensors[1] but received 5 of type number.');
    assertRefused(() => Tensor.stack(x as unknown as Tensor[]), 'INVALID_ARGUMENT', 'Expected an array of Tensors for tensors but received an object of type Tensor.');
    assertRefused(() => x.index([null, 'a' as unknown as Tensor]), 'INVALID_ARGUMENT', "Expected a Tensor for indices[1] but received 'a' of type string.");
    assertRefused(() => { x.grad = 1 as unknown as Tensor; }, 'INVALID_ARGUMENT', 'Expected a Tensor for grad but received 1 of type number.');
    // torch.nn.functional's counterparts name their arguments the same way.
    assertRefused(() => F.mseLoss([1, 2, 3] as unknown as Tensor, x), 'INVALID_ARGUMENT', `Expected a Tensor for input but received an array of length 3. ${fix}`);
    assertRefused(() => F.linear(x, null as unknown as Tensor), 'INVALID_ARGUMENT', 'Expected a Tensor for weight but received null.');
    assertRefused(() => F.conv2d(x, x, 5 as unknown as Tensor), 'INVALID_ARGUMENT', 'Expected a Tensor (or null for none) for bias but received 5 of type number.');
    assertRefused(() => F.normalize('x' as unknown as Tensor), 'INVALID_ARGUMENT', "Expected a Tensor for input but received 'x' of type string.");
  });
});

test('int list arguments accept the stride=2 shorthand', () => {
  tidy(() => {
    const x = randn([1, 1, 8, 8]);
    const w = randn([2, 1, 3, 3]);
    assert.deepEqual(F.conv2d(x, w, null, { stride: 2, padding: 1 }).shape, [1, 2, 4, 4]);
    assert.deepEqual(F.conv2d(x, w, null, { stride: [2, 1], padding: [1, 0] }).shape, [1, 2, 4, 6]);
  });
});

test('in-place ops return the caller’s own object', () => {
  tidy(() => {
    const x = ones([3]);
    assert.equal(x.add_(1), x);
    assert.equal(x.mul_(x), x);
    assert.equal(x.relu_(), x);
    assert.deepEqual([...x.data()], [4, 4, 4]);
  });
});

test('autograd: backward, grad, detach, requiresGrad', () => {
  tidy(() => {
    const w = tensor([1, 2, 3]).requiresGrad_();
    assert.equal(w.requiresGrad, true);
    assert.equal(w.isLeaf, true);
    w.mul(w).sum().backward();
    assert.deepEqual([...w.grad!.data()], [2, 4, 6]);
    w.mul(w).sum().backward(); // accumulates
    assert.deepEqual([...w.grad!.data()], [4, 8, 12]);
    w.grad = null;
    assert.equal(w.grad, null);
    assert.equal(w.detach().requiresGrad, false);
  });
});

test('noGrad holds across awaits and does not leak into code running in between', async () => {
  const seen: boolean[] = [];
  const slow = noGrad(async () => {
    await new Promise((r) => setTimeout(r, 5));
    seen.push(isGradEnabled());
    return tidy(() => tensor([1]).requiresGrad_().mul(2).requiresGrad);
  });
  seen.push(isGradEnabled()); // runs while slow() is suspended
  assert.equal(await slow, false);
  assert.deepEqual(seen, [true, false]);
  assert.equal(enableGrad(() => noGrad(() => isGradEnabled())), false);
});

test('manualSeed makes random numbers repeatable', () => {
  tidy(() => {
    manualSeed(7);
    const a = randn([5]).data();
    manualSeed(7);
    const b = randn([5]).data();
    assert.deepEqual([...a], [...b]);
  });
});

test('setNumThreads takes 1 to 4 threads per core, and names the setting otherwise', () => {
  const before = getNumThreads();
  const most = 4 * availableParallelism();
  setNumThreads(most);
  assert.equal(getNumThreads(), most);
  setNumThreads(before);
  for (const bad of [0, 1.5, most + 1]) {
    assert.throws(() => setNumThreads(bad, '--threads'), {
      message: `Expected a positive integer, at most ${most} (4 per core; this machine has ${availableParallelism()}) for --threads but received ${bad}.`,
    });
  }
});

test("OpenBLAS computes on the calling thread unless OPENBLAS_NUM_THREADS is set, and the setting does not leak into child processes", () => {
  const binding = new URL('../native/binding.js', import.meta.url).href;
  // The threads the addon's loading starts (OpenBLAS starts its pool then), and the variable left behind.
  const load = (value: string | undefined) => {
    const env = { ...process.env };
    if (value === undefined) delete env.OPENBLAS_NUM_THREADS;
    else env.OPENBLAS_NUM_THREADS = value;
    const script = `import { readdirSync } from 'node:fs'; const before = readdirSync('/proc/self/task').length; await import(${JSON.stringify(binding)}); `
      + `console.log(JSON.stringify({ threads: readdirSync('/proc/self/task').length - before, left: process.env.OPENBLAS_NUM_THREADS ?? null }))`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { env, encoding: 'utf8' });
    assert.equal(child.status, 0, child.stderr);
    return JSON.parse(child.stdout) as { threads: number; left: string | null };
  };
  const unset = load(undefined);
  assert.equal(unset.left, null, 'not left in the environment');
  assert.deepEqual(load(''), unset);
  assert.deepEqual(load('1'), { ...unset, left: '1' }, 'the same threads as OPENBLAS_NUM_THREADS=1');
  assert.equal(load('3').left, '3', "the user's own setting is kept");
  if (availableParallelism() >= 2) assert.equal(load('2').threads, unset.threads + 1, 'OpenBLAS with 2 threads starts one more, which the default does not');
});

test('a training loop of many steps ends with the live-tensor count where it started', () => {
  const before = liveTensors();
  const w = randn([8, 4]).requiresGrad_();
  const x = randn([16, 8]);
  for (let step = 0; step < 200; step++) {
    tidy(() => {
      const loss = x.matmul(w).tanh().square().mean();
      loss.backward();
      noGrad(() => {
        const g = w.grad!;
        w.sub_(g.mul(0.1));
      });
      w.grad = null;
    });
  }
  dispose([w, x]);
  assert.equal(liveTensors(), before);
});

test('autocast runs convolutions in bfloat16 and losses in float32, and ends with the scope', async () => {
  const { autocast } = await import('./autocast.js');
  tidy(() => {
    const x = randn([2, 3, 8, 8]);
    const w = randn([4, 3, 3, 3]);
    const inside = autocast(() => F.conv2d(x, w), { device: 'cpu' });
    assert.equal(inside.dtype, 'bfloat16');
    assert.equal(autocast(() => F.mseLoss(inside, inside.detach()), { device: 'cpu' }).dtype, 'float32');
    assert.equal(F.conv2d(x, w).dtype, 'float32');
  });
});
