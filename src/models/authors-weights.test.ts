// Importing the authors' weights: their keys (MemAE's `mem_rep.memory.weight`, MNAD's separate items, a
// DataParallel `module.` prefix) map onto our networks exactly, the memory's size comes from the files, and
// files that do not fit are refused by name. Their own published files are not in the repository; the
// networks' tensors are renamed here the way the authors' code names them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import type { Module } from '../nn/module.js';
import { liveTensors } from '../tensor/memory.js';
import type { Tensor } from '../tensor/tensor.js';
import { detectorFromAuthorsState, importAuthorsWeights } from './authors-weights.js';
import { createDetector } from './registry.js';
import './index.js';

const fixture = (name: string) => fileURLToPath(new URL(`../../src/checkpoint/fixtures/${name}`, import.meta.url));
const networkOf = (detector: unknown) => (detector as { network: Module }).network;

/** A copy of a detector's weights under the authors' names. */
function authorsCopy(detector: unknown, rename: (key: string) => string | undefined): Map<string, Tensor> {
  const copy = new Map<string, Tensor>();
  for (const [key, value] of networkOf(detector).stateDict()) {
    const name = rename(key);
    if (name !== undefined) copy.set(name, value.clone());
  }
  return copy;
}

function assertSameWeights(a: unknown, b: unknown): void {
  const left = networkOf(a).stateDict();
  const right = networkOf(b).stateDict();
  assert.deepEqual([...right.keys()], [...left.keys()]);
  for (const [key, value] of left) assert.deepEqual(right.get(key)!.toArray(), value.toArray(), `${key} differs`);
}

test("MemAE's video weights, named as the authors' code names them, load with the memory size of the file", () => {
  const before = liveTensors();
  const original = createDetector('memae-video', { height: 32, width: 32, memorySize: 12, seed: 3 });
  const theirs = authorsCopy(original, (key) => `module.${key === 'memory.weight' ? 'mem_rep.memory.weight' : key}`);
  const imported = detectorFromAuthorsState('memae-video', theirs, undefined, { height: 32, width: 32 });
  assert.equal((imported.config as { memorySize: number }).memorySize, 12);
  assertSameWeights(original, imported);
  for (const t of theirs.values()) t.dispose();
  original.dispose();
  imported.dispose();
  assert.equal(liveTensors(), before);
});

test("MNAD's network and its separately saved items load, with the memory's size and width from the items", () => {
  const before = liveTensors();
  const original = createDetector('mnad-pred', { height: 32, width: 32, memorySize: 4, featureDim: 16, seed: 3 });
  const theirs = authorsCopy(original, (key) => (key === 'memory.items' ? undefined : key));
  const items = networkOf(original).stateDict().get('memory.items')!.clone();
  const imported = detectorFromAuthorsState('mnad-pred', theirs, items, { height: 32, width: 32 });
  const config = imported.config as { memorySize: number; featureDim: number };
  assert.deepEqual([config.memorySize, config.featureDim], [4, 16]);
  assertSameWeights(original, imported);
  for (const t of theirs.values()) t.dispose();
  items.dispose();
  original.dispose();
  imported.dispose();
  assert.equal(liveTensors(), before);
});

test('files that do not hold the network, or an MNAD model without its items, are refused by name', () => {
  const before = liveTensors();
  const weights = fixture('module.pt');
  assert.throws(() => importAuthorsWeights('mnad-pred', { weights }), { code: 'INVALID_ARGUMENT', message: /keys\.pt/ });
  assert.throws(() => importAuthorsWeights('memae-video', { weights, memory: weights }), { code: 'INVALID_ARGUMENT', message: /whose memory is among its weights/ });
  assert.throws(() => importAuthorsWeights('memae', { weights }), { code: 'INVALID_ARGUMENT', message: /memae-video, ae-video, mnad-pred, mnad-recon/ });
  // parameter.pt holds one 2 × 3 tensor: items of the right rank, but module.pt is not MNAD's network.
  assert.throws(() => importAuthorsWeights('mnad-pred', { weights, memory: fixture('parameter.pt') }, { height: 32, width: 32 }),
    { code: 'BAD_FILE', message: new RegExp(`^${weights}: does not hold mnad-pred's network as the authors' code builds it: .*Missing keys: 'encoder\\.moduleConv1\\.0\\.weight'.* and \\d+ more\\. Unexpected keys: .*'\\. Give the model\\.pth that the authors' mnad-pred code saved \\(a whole model, torch\\.save\\(model\\)\\)\\.$`) });
  assert.throws(() => importAuthorsWeights('mnad-pred', { weights, memory: fixture('state_dict.pt') }),
    { code: 'BAD_FILE', message: /state_dict\.pt: holds 9 tensor\(s\) .* where MNAD's memory items are one tensor of shape \(items, features\)/ });
  assert.equal(liveTensors(), before);
});

test("what does not fit is named in the file's own terms: the authors' memory key, a lone tensor, a list; a file in our names gives its memory size", () => {
  const before = liveTensors();
  const original = createDetector('memae-video', { height: 32, width: 32, memorySize: 12, seed: 3 });
  // Their state dict without its memory: the key to look for in their file is theirs, not ours.
  const noMemory = authorsCopy(original, (key) => (key === 'memory.weight' ? undefined : key));
  assert.throws(() => detectorFromAuthorsState('memae-video', noMemory, undefined, { height: 32, width: 32 }),
    { code: 'STATE_DICT', message: /^Error loading the state dict into MemAE3DNet\. Missing keys: 'mem_rep\.memory\.weight'\./ });
  // Our own key names, with a memory of another size than the default 2000: the size comes from the file, as from theirs.
  const ours = authorsCopy(original, (key) => key);
  const imported = detectorFromAuthorsState('memae-video', ours, undefined, { height: 32, width: 32 });
  assert.equal((imported.config as { memorySize: number }).memorySize, 12);
  assertSameWeights(original, imported);
  for (const t of [...noMemory.values(), ...ours.values()]) t.dispose();
  imported.dispose();
  original.dispose();

  // parameter.pt holds one tensor saved alone (key ''); module.pt a small network that is no MemAE.
  const lone = fixture('parameter.pt');
  const give = "Give the state dict that the authors' memae-video code saved (torch.save(model.state_dict())); the memory's size is read from it.";
  assert.throws(() => importAuthorsWeights('memae-video', { weights: lone }), { code: 'BAD_FILE', message: `${lone}: holds a single tensor (of shape [2, 3]), not a state dict (the network's tensors by name). ${give}` });
  assert.throws(() => importAuthorsWeights('mnad-pred', { weights: lone, memory: lone }), { code: 'BAD_FILE', message: /holds a single tensor .*Give the model\.pth that the authors' mnad-pred code saved \(a whole model, torch\.save\(model\)\)\.$/ });
  // sequence.pt holds a list, [tensor, [tensor, tensor], {'x': tensor}]: its keys are positions.
  assert.throws(() => importAuthorsWeights('memae-video', { weights: fixture('sequence.pt') }), { code: 'BAD_FILE', message: /sequence\.pt: holds a list of 3 items, not a state dict \(the network's tensors by name\)\./ });
  assert.throws(() => importAuthorsWeights('mnad', { weights: lone }), { code: 'INVALID_ARGUMENT', message: /for model but received 'mnad' of type string\. Did you mean 'mnad-pred' or 'mnad-recon'\?$/ });
  assert.equal(liveTensors(), before);
});
