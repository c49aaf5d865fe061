// The safe unpickler on pickles written by Python (scripts/fixtures/make_torch_fixtures.py) and on
// hand-made and damaged ones: every failure is a BAD_FILE error, never a RangeError or a crash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { NormalityError } from '../errors.js';
import { PickleFunction, unpickle } from './pickle.js';
import { builtinGlobal } from './pickle-builtins.js';

const fixture = (name: string) => fileURLToPath(new URL(`../../src/checkpoint/fixtures/${name}`, import.meta.url));
const path = 'test.pkl';

function refuse(module: string, name: string): never {
  throw new NormalityError('BAD_FILE', `refused ${module}.${name}`);
}
const builtins = (module: string, name: string) => builtinGlobal(path, module, name) ?? refuse(module, name);
const load = (bytes: Uint8Array, findGlobal: (module: string, name: string) => unknown = builtins) => unpickle(bytes, { path, findGlobal }).value;
const bytesOf = (...parts: (number | string)[]) => Uint8Array.from(parts.flatMap((p) => (typeof p === 'number' ? [p] : [...Buffer.from(p, 'latin1')])));

const expected = new Map<unknown, unknown>([
  ['ints', [0, 255, 65535, -1, 2 ** 31 - 1, -(2 ** 31), 2 ** 40, -(2n ** 70n)]],
  ['floats', [1.5, -0, 1e300]],
  ['text', ['h\u00e9llo', '']],
  ['flags', [true, false, null]],
  ['tuples', [[], [1], [1, 2], [1, 2, 3], [1, 2, 3, 4]]],
  ['bytes', [Uint8Array.from([0x78, 0x79]), new Uint8Array(0)]],
  ['sets', [[7], [8]]],
  ['nested', new Map<unknown, unknown>([['a', [1]], [2, 'b']])],
  ['shared', [[5], [5]]],
]);

for (const protocol of [2, 4]) {
  test(`values pickled by Python with protocol ${protocol} read back as JavaScript values`, () => {
    const value = load(readFileSync(fixture(`values_p${protocol}.pkl`)));
    assert.deepEqual(value, expected);
    const shared = (value as Map<string, unknown[][]>).get('shared')!;
    assert.equal(shared[0], shared[1], 'memoised objects are shared, as in Python');
  });
}

test('end points just past STOP, so pickles in a row can be read one after another', () => {
  const two = bytesOf(0x80, 2, 'K', 7, '.', 0x80, 2, 'X', 2, 0, 0, 0, 'hi', '.');
  const first = unpickle(two, { path, findGlobal: refuse });
  assert.deepEqual(first, { value: 7, end: 5 });
  assert.equal(unpickle(two, { path, start: first.end, findGlobal: refuse }).value, 'hi');
});

test('globals go through findGlobal, and REDUCE calls only the PickleFunctions it returns', () => {
  const call = bytesOf(0x80, 2, 'cmod\nf\n', 'K', 2, 'K', 3, 0x86, 'R', '.');
  const add = new PickleFunction('mod.f', (args) => (args[0] as number) + (args[1] as number));
  assert.equal(load(call, () => add), 5);
  assert.throws(() => load(call), { code: 'BAD_FILE', message: 'refused mod.f' });
  assert.throws(() => load(call, () => 'not a function'), {
    code: 'BAD_FILE', message: `${path}: holds a damaged pickle: REDUCE calls something that is not an allowed function at byte 14. Save the file again with torch.save.`,
  });
});

test('BUILD is accepted on dicts only (state_dict()\'s _metadata), and ignored', () => {
  assert.deepEqual(load(bytesOf(0x80, 2, '}', '}', 'b', '.')), new Map());
  assert.throws(() => load(bytesOf(0x80, 2, ']', '}', 'b', '.')), { message: /BUILD sets the state of an object this reader does not build at byte 4/ });
});

test('malformed pickles fail with messages that name the problem and the byte', () => {
  const cases: [Uint8Array, RegExp][] = [
    [bytesOf(0x80, 2, 'X', 0xff, 0xff, 0, 0, 'ab'), /ends in the middle of its pickle \(needed 65535 more bytes at byte 7 of 9\)/],
    [bytesOf(0x80, 2, 'K'), /ends in the middle of its pickle \(needed 1 more bytes at byte 3 of 3\)/],
    [bytesOf(0x80, 2, '.'), /an opcode found the stack empty at byte 2/],
    [bytesOf(0x80, 2, 'h', 4, '.'), /memo entry 4 is read before it is written at byte 2/],
    [bytesOf(0x80, 2, 'K', 1, 't', '.'), /an opcode needs a MARK that is missing at byte 4/],
    [bytesOf(0x80, 2, 'K', 1, 'K', 2, 'a', '.'), /APPEND to something that is not a list at byte 6/],
    [bytesOf(0x80, 2, '}', '(', 'K', 1, 'u', '.'), /SETITEMS with an odd number of keys and values at byte 6/],
    [bytesOf(0x80, 2, 'cmodule-without-newline'), /a GLOBAL name without its newline at byte 3/],
    [bytesOf(0x80, 9, '.'), /pickle protocol 9 \(this reader knows 2 to 5\) at byte 0/],
    [bytesOf(0x80, 2, 'I', '1\n', '.'), /opcode 0x49, which this reader does not support at byte 2/],
    [bytesOf(0x80, 2, 'N', 'Q', '.'), /a persistent id, which this file should not hold at byte 3/],
  ];
  for (const [bytes, message] of cases) assert.throws(() => load(bytes), { code: 'BAD_FILE', message }, message.source);
});

test('deep nesting builds without recursion', () => {
  const depth = 100_000;
  const bytes = bytesOf(0x80, 2, ']'.repeat(depth), 'a'.repeat(depth - 1), '.');
  let value = load(bytes);
  let levels = 1;
  while (Array.isArray(value) && value.length === 1) { value = value[0]; levels++; }
  assert.equal(levels, depth);
});

test('random damage to a real pickle gives BAD_FILE errors or values, never another kind of error', () => {
  const original = readFileSync(fixture('values_p2.pkl'));
  let seed = 12345;
  const random = () => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed / 2 ** 31; };
  for (let trial = 0; trial < 1000; trial++) {
    const bytes = Uint8Array.from(original);
    for (let k = 0; k < 1 + trial % 4; k++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
    const cut = trial % 5 === 0 ? bytes.subarray(0, Math.floor(random() * bytes.length)) : bytes;
    try {
      load(cut);
    } catch (error) {
      assert.ok(error instanceof NormalityError && error.code === 'BAD_FILE', `trial ${trial}: ${String(error)}`);
    }
  }
});
