// loadTorch on files written by PyTorch 1.13 (scripts/fixtures/make_torch_fixtures.py): every tensor
// compared byte for byte with expected.safetensors, the refusals pinned, and nothing leaked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NormalityError } from '../errors.js';
import { liveTensors, dispose } from '../tensor/memory.js';
import type { Tensor } from '../tensor/tensor.js';
import { loadSafetensors } from './safetensors.js';
import { toRaw } from './tensors.js';
import { loadTorch } from './torch-load.js';

const fixture = (name: string) => fileURLToPath(new URL(`../../src/checkpoint/fixtures/${name}`, import.meta.url));
const expected = loadSafetensors(fixture('expected.safetensors')).tensors;

/** Load a fixture, compare every tensor exactly with expected.safetensors, free them, and check for leaks. */
function checkFixture(stem: string): string[] {
  const before = liveTensors();
  const loaded = loadTorch(fixture(`${stem}.pt`));
  try {
    const wanted = [...expected.keys()].filter((k) => k.startsWith(`${stem}/`)).map((k) => k.slice(stem.length + 1));
    assert.deepEqual([...loaded.keys()].sort(), wanted.sort());
    for (const [name, t] of loaded) {
      const raw = toRaw(t);
      const want = expected.get(`${stem}/${name}`)!;
      assert.equal(t.device, 'cpu', name);
      assert.equal(raw.dtype, want.dtype, name);
      assert.deepEqual(raw.shape, want.shape, name);
      assert.deepEqual(Buffer.from(raw.data), Buffer.from(want.data), name);
    }
    return [...loaded.keys()];
  } finally {
    dispose(loaded);
    assert.equal(liveTensors(), before, `tensors leaked loading ${stem}`);
  }
}

function withTemp(bytes: Uint8Array, fn: (path: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'normality-torch-'));
  try {
    const path = join(dir, 'file.pt');
    writeFileSync(path, bytes);
    fn(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const STATE_DICT_KEYS = [
  '0.weight', '0.bias', '1.weight', '1.bias', '1.running_mean', '1.running_var', '1.num_batches_tracked', '4.weight', '4.bias',
];

test('a model state dict (an OrderedDict with _metadata) loads in PyTorch\'s key order', () => {
  assert.deepEqual(checkFixture('state_dict'), STATE_DICT_KEYS);
});

test('a whole model saved with torch.save(model) gives its state_dict keys, in their order, and drops its other attributes', () => {
  assert.deepEqual(checkFixture('module'), [
    'items', 'encoder.0.weight', 'encoder.0.bias', 'encoder.1.weight', 'encoder.1.bias', 'encoder.1.running_mean', 'encoder.1.running_var',
    'encoder.1.num_batches_tracked', 'head.linear.weight', 'head.linear.bias',
  ], 'no unset parameter, no non-persistent buffer');
});

test('a training checkpoint flattens to dotted keys and drops numbers, strings and sizes', () => {
  const keys = checkFixture('checkpoint');
  assert.deepEqual(keys.slice(0, 9), STATE_DICT_KEYS.map((k) => `model.${k}`));
  assert.deepEqual(keys.slice(9, 12), ['optimizer.state.0.step', 'optimizer.state.0.exp_avg', 'optimizer.state.0.exp_avg_sq']);
  assert.equal(keys.length, 9 + 6 * 3);
});

test('every dtype loads exactly, NaN, infinities and extreme integers included', () => {
  assert.deepEqual(checkFixture('dtypes').sort(), ['bfloat16', 'bool', 'float16', 'float32', 'float64', 'int16', 'int32', 'int64', 'int8', 'uint8']);
});

test('views of one storage (transposed, sliced, strided, expanded, 0-d, empty, channels-last) load as their values', () => {
  checkFixture('views');
});

test('views come back as independent tensors: changing one leaves the others alone', () => {
  const before = liveTensors();
  const loaded = loadTorch(fixture('views.pt'));
  const base = Array.from(loaded.get('base')!.data());
  loaded.get('transposed')!.fill_(100);
  loaded.get('row')!.zero_();
  loaded.get('expanded')!.fill_(-1);
  assert.deepEqual(Array.from(loaded.get('base')!.data()), base);
  dispose(loaded);
  assert.equal(liveTensors(), before);
});

test('lists and tuples, a Parameter saved on its own (key \'\'), a CUDA location, the legacy format and a deflated archive', () => {
  assert.deepEqual(checkFixture('sequence'), ['0', '1.0', '1.1', '2.x']);
  assert.deepEqual(checkFixture('parameter'), ['']);
  assert.deepEqual(checkFixture('cuda'), ['0', '1.0', '1.1', '2.x']);
  assert.deepEqual(checkFixture('legacy'), STATE_DICT_KEYS);
  assert.deepEqual(checkFixture('deflated'), STATE_DICT_KEYS);
});

test('a Parameter comes back without requiresGrad', () => {
  const loaded = loadTorch(fixture('parameter.pt'));
  assert.equal(loaded.get('')!.requiresGrad, false);
  dispose(loaded);
});

test('refuses a numpy array inside a checkpoint, naming the Python object', () => {
  const path = fixture('numpy.pt');
  assert.throws(() => loadTorch(path), {
    code: 'BAD_FILE',
    message: `${path}: refers to Python object 'numpy.core.multiarray._reconstruct', which Normality does not unpickle for safety. `
      + 'Save only tensors and containers of them (dicts, lists, tuples, numbers, strings), e.g. torch.save(model.state_dict(), path); '
      + 'turn numpy arrays into tensors with torch.from_numpy.',
  });
});

test('refuses files that are not torch.save checkpoints, saying what was expected', () => {
  const pickle = fixture('plain.pkl');
  assert.throws(() => loadTorch(pickle), {
    code: 'BAD_FILE',
    message: `${pickle}: is a Python pickle but not a torch.save file (it lacks torch.save's magic number). Save plain state dicts with torch.save(model.state_dict(), path).`,
  });
  const script = fixture('torchscript.pt');
  assert.throws(() => loadTorch(script), {
    code: 'BAD_FILE',
    message: `${script}: is a TorchScript archive (written by torch.jit.save), not a torch.save checkpoint. `
      + 'In Python, load it with torch.jit.load(path) and save its weights with torch.save(model.state_dict(), path).',
  });
  // Both formats torch.save writes are named, and both a state dict and a whole model (MNAD's authors save one) load.
  withTemp(Buffer.from('weights,1,2,3\n'), (path) => {
    assert.throws(() => loadTorch(path), {
      code: 'BAD_FILE',
      message: `${path}: is not a PyTorch checkpoint: torch.save writes a zip archive (starting with bytes 50 4b 03 04), or before PyTorch 1.6 a pickle (starting with 80), `
        + "but it starts with 77 65 69 67 (a text file beginning 'weights,1,2,3'). "
        + 'Pass the file that torch.save wrote: a state dict, torch.save(model.state_dict(), path), or a whole model, torch.save(model, path).',
    });
  });
  assert.throws(() => loadTorch(fixture('expected.safetensors')), { code: 'BAD_FILE', message: /but it starts with [0-9a-f ]+ \(a safetensors file\)\. Pass the file that torch\.save wrote/ });
  withTemp(new Uint8Array(0), (path) => assert.throws(() => loadTorch(path), { code: 'BAD_FILE', message: /but it starts with nothing \(the file is empty\)/ }));
  assert.throws(() => loadTorch('/no/such/model.pt'), { code: 'FILE_NOT_FOUND', message: 'PyTorch checkpoint not found at /no/such/model.pt.' });
});

test('truncated files give clear errors, in both formats', () => {
  withTemp(readFileSync(fixture('state_dict.pt')).subarray(0, 2000), (path) => {
    assert.throws(() => loadTorch(path), {
      code: 'BAD_FILE',
      message: `${path}: is a truncated zip archive: its end-of-central-directory record is missing. The file is truncated or damaged: save or download it again.`,
    });
  });
  const legacy = readFileSync(fixture('legacy.pt'));
  withTemp(legacy.subarray(0, legacy.length - 4), (path) => { // inside the last storage, 4.bias
    assert.throws(() => loadTorch(path), { code: 'BAD_FILE', message: /is truncated: storage '\d+' needs 2 elements of float32 but the file ends first/ });
  });
});

test('a storage missing after some tensors were made frees them', () => {
  const before = liveTensors();
  const path = fixture('missing_storage.pt');
  assert.throws(() => loadTorch(path), {
    code: 'BAD_FILE',
    message: `${path}: refers to tensor storage 'missing_storage/data/3', which the archive lacks. Save plain state dicts with torch.save(model.state_dict(), path).`,
  });
  assert.equal(liveTensors(), before);
});

test('random damage to a legacy checkpoint gives BAD_FILE errors or tensors, and leaks nothing', () => {
  const original = readFileSync(fixture('legacy.pt'));
  const before = liveTensors();
  let seed = 7;
  const random = () => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed / 2 ** 31; };
  withTemp(original, (path) => {
    for (let trial = 0; trial < 300; trial++) {
      const bytes = Buffer.from(original);
      for (let k = 0; k < 1 + (trial % 3); k++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
      writeFileSync(path, bytes);
      let loaded: Map<string, Tensor> | undefined;
      try {
        loaded = loadTorch(path);
      } catch (error) {
        assert.ok(error instanceof NormalityError && error.code === 'BAD_FILE', `trial ${trial}: ${String(error)}`);
      }
      dispose(loaded);
    }
  });
  assert.equal(liveTensors(), before);
});
