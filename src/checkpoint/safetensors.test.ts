import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NormalityError } from '../errors.js';
import {
  decodeSafetensors,
  DTYPE_SIZES,
  encodeSafetensors,
  getJsonMetadata,
  loadSafetensors,
  type RawTensor,
  saveSafetensors,
  setJsonMetadata,
} from './safetensors.js';

const PYTHON = '/usr/bin/python3';
const READER = fileURLToPath(new URL('../../scripts/safetensors-reference.py', import.meta.url));

const bytesOf = (view: ArrayBufferView): Uint8Array => new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
const join8 = (chunks: Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(chunks));

/** One tensor of every dtype, an empty tensor and a 0-d scalar, with values that exercise sign and byte order. */
function everyDtype(): Record<string, RawTensor> {
  return {
    'f64': { dtype: 'F64', shape: [2, 2], data: bytesOf(new Float64Array([1.5, -2.25, 1e300, -0])) },
    'f32': { dtype: 'F32', shape: [3], data: bytesOf(new Float32Array([0.1, -3, 65536.5])) },
    'f16': { dtype: 'F16', shape: [4], data: bytesOf(new Uint16Array([0x3c00, 0xc000, 0x3800, 0x7bff])) }, // 1, -2, 0.5, 65504
    'bf16': { dtype: 'BF16', shape: [3], data: bytesOf(new Uint16Array([0x3f80, 0xc000, 0x4049])) }, // 1, -2, 3.140625
    'i64': { dtype: 'I64', shape: [2], data: bytesOf(new BigInt64Array([-(2n ** 40n), 123n])) },
    'i32': { dtype: 'I32', shape: [1, 2], data: bytesOf(new Int32Array([-7, 2 ** 31 - 1])) },
    'i16': { dtype: 'I16', shape: [2], data: bytesOf(new Int16Array([-32768, 300])) },
    'i8': { dtype: 'I8', shape: [3], data: bytesOf(new Int8Array([-128, 0, 127])) },
    'u8': { dtype: 'U8', shape: [2], data: new Uint8Array([0, 255]) },
    'bool': { dtype: 'BOOL', shape: [3], data: new Uint8Array([1, 0, 1]) },
    'empty': { dtype: 'F32', shape: [0, 3], data: new Uint8Array(0) },
    'scalar': { dtype: 'F64', shape: [], data: bytesOf(new Float64Array([42])) },
  };
}

/** A file from a header text and data, for the malformed cases. */
function fileWith(header: string, data: Uint8Array = new Uint8Array(0), declared?: number): Uint8Array {
  const json = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + json.byteLength + data.byteLength);
  new DataView(out.buffer).setBigUint64(0, BigInt(declared ?? json.byteLength), true);
  out.set(json, 8);
  out.set(data, 8 + json.byteLength);
  return out;
}

function withTempDir(body: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'normality-safetensors-'));
  try {
    body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('every dtype, an empty tensor and a scalar round-trip through encode and decode', () => {
  const tensors = everyDtype();
  const bytes = join8(encodeSafetensors(tensors, { model: 'memae' }));
  const { tensors: read, metadata } = decodeSafetensors(bytes, 'm.safetensors');
  assert.deepEqual(metadata, { model: 'memae' });
  assert.deepEqual([...read.keys()].sort(), Object.keys(tensors).sort());
  for (const [name, original] of Object.entries(tensors)) {
    const got = read.get(name)!;
    assert.equal(got.dtype, original.dtype, name);
    assert.deepEqual(got.shape, original.shape, name);
    assert.deepEqual(Buffer.from(got.data), Buffer.from(original.data), name);
    assert.equal(got.data.buffer, bytes.buffer, `${name} is a view into the file buffer, not a copy`);
    assert.equal(got.data.byteOffset % DTYPE_SIZES[got.dtype], 0, `${name} is aligned to its element size`);
  }
  assert.equal(read.get('scalar')!.shape.length, 0);
  assert.equal(read.get('empty')!.data.byteLength, 0);
});

test('a Map and a plain object encode to the same bytes', () => {
  const tensors = everyDtype();
  assert.deepEqual(join8(encodeSafetensors(new Map(Object.entries(tensors)))), join8(encodeSafetensors(tensors)));
});

test('saveSafetensors and loadSafetensors round-trip through a file', () => {
  withTempDir((dir) => {
    const path = join(dir, 'nested', 'model.safetensors');
    const metadata: Record<string, string> = { format: 'pt' };
    setJsonMetadata(metadata, 'config', { memorySize: 100, shrink: 0.0025, layers: [32, 16, 8] });
    saveSafetensors(path, everyDtype(), metadata);
    const loaded = loadSafetensors(path);
    assert.deepEqual(getJsonMetadata(loaded.metadata, 'config', path), { memorySize: 100, shrink: 0.0025, layers: [32, 16, 8] });
    assert.equal(loaded.metadata.format, 'pt');
    assert.deepEqual(new Float32Array(loaded.tensors.get('f32')!.data.slice().buffer), new Float32Array([0.1, -3, 65536.5]));
    const buffers = new Set([...loaded.tensors.values()].map((t) => t.data.buffer));
    assert.equal(buffers.size, 1, 'all tensors are views into one file buffer');
  });
});

// Byte vectors from the reference implementation's own unit tests (huggingface/safetensors,
// safetensors/src/tensor.rs): the exact bytes its `serialize` produces.
test('bytes match the reference implementation exactly', () => {
  const f32 = bytesOf(new Float32Array([0, 1, 2, 3, 4, 5]));
  const header64 = '{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}';
  assert.equal(header64.length, 64, 'no padding needed');
  assert.deepEqual(
    [...join8(encodeSafetensors({ 'attn.0': { dtype: 'F32', shape: [1, 2, 3], data: f32 } }))],
    [64, 0, 0, 0, 0, 0, 0, 0, ...Buffer.from(header64), ...f32],
  );
  // 'attn0' is one byte shorter and its shape one dimension longer: 65 bytes of JSON + 7 spaces.
  assert.deepEqual(
    [...join8(encodeSafetensors({ attn0: { dtype: 'F32', shape: [1, 1, 2, 3], data: f32 } }))],
    [
      72, 0, 0, 0, 0, 0, 0, 0,
      ...Buffer.from('{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}       '),
      0, 0, 0, 0, 0, 0, 128, 63, 0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0, 160, 64,
    ],
  );
  assert.deepEqual([...join8(encodeSafetensors({}))], [8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32]);
  assert.deepEqual(
    [...join8(encodeSafetensors({}, { framework: 'pt' }))],
    [40, 0, 0, 0, 0, 0, 0, 0, ...Buffer.from('{"__metadata__":{"framework":"pt"}}     ')],
  );
});

test('tensors are laid out by descending dtype alignment, then by name, like the reference writer', () => {
  const tensors: Record<string, RawTensor> = {
    b: { dtype: 'U8', shape: [3], data: new Uint8Array([1, 2, 3]) },
    a: { dtype: 'F32', shape: [1], data: bytesOf(new Float32Array([2])) },
    c: { dtype: 'I64', shape: [], data: bytesOf(new BigInt64Array([5n])) },
    d: { dtype: 'BOOL', shape: [0], data: new Uint8Array(0) },
    e: { dtype: 'F32', shape: [1], data: bytesOf(new Float32Array([3])) },
  };
  const chunks = encodeSafetensors(tensors, { z: '1', a: 'x"y\n' });
  const header =
    '{"__metadata__":{"a":"x\\"y\\n","z":"1"},' +
    '"c":{"dtype":"I64","shape":[],"data_offsets":[0,8]},' +
    '"a":{"dtype":"F32","shape":[1],"data_offsets":[8,12]},' +
    '"e":{"dtype":"F32","shape":[1],"data_offsets":[12,16]},' +
    '"b":{"dtype":"U8","shape":[3],"data_offsets":[16,19]},' +
    '"d":{"dtype":"BOOL","shape":[0],"data_offsets":[19,19]}}';
  const padded = header.padEnd(Math.ceil(header.length / 8) * 8, ' ');
  const length = new Uint8Array(8);
  new DataView(length.buffer).setBigUint64(0, BigInt(padded.length), true);
  assert.deepEqual(chunks[0], new Uint8Array([...length, ...Buffer.from(padded)]));
  assert.equal(chunks.length, 5, 'header plus the four non-empty tensors');
  assert.equal(chunks[1], tensors.c.data, 'data chunks are the caller arrays, not copies');
});

test('names sort by their UTF-8 bytes, as the reference compares them', () => {
  // UTF-16 order puts the emoji (a surrogate pair, 0xD83D...) first; UTF-8 order puts U+FF5E first.
  const one = { dtype: 'U8' as const, shape: [1], data: new Uint8Array([1]) };
  const header = new TextDecoder().decode(encodeSafetensors({ '\u{1F600}': one, '\uFF5E': one })[0].subarray(8));
  assert.ok(header.indexOf('\uFF5E') < header.indexOf('\u{1F600}'), header);
});

test('a reader written in plain Python from the spec reads our files identically', { skip: !existsSync(PYTHON) && `${PYTHON} not found` }, () => {
  withTempDir((dir) => {
    const path = join(dir, 'model.safetensors');
    const tensors = everyDtype();
    saveSafetensors(path, tensors, { model: 'memae', note: 'line\nbreak "quoted" ünïcødé' });
    const report = JSON.parse(execFileSync(PYTHON, [READER, 'read', path], { encoding: 'utf8' }));
    assert.deepEqual(report.metadata, { model: 'memae', note: 'line\nbreak "quoted" ünïcødé' });
    assert.equal(report.header_length % 8, 0);
    const ours = loadSafetensors(path);
    for (const [name, tensor] of Object.entries(tensors)) {
      const theirs = report.tensors[name];
      assert.equal(theirs.dtype, tensor.dtype, name);
      assert.deepEqual(theirs.shape, tensor.shape, name);
      assert.equal(theirs.hex, Buffer.from(tensor.data).toString('hex'), name);
      assert.equal(theirs.hex, Buffer.from(ours.tensors.get(name)!.data).toString('hex'), name);
    }
    const values = (name: string): unknown[] => report.tensors[name].values;
    assert.deepEqual(values('f64'), [1.5, -2.25, 1e300, -0]);
    assert.deepEqual(values('f32'), [Math.fround(0.1), -3, 65536.5]);
    assert.deepEqual(values('f16'), [1, -2, 0.5, 65504]);
    assert.deepEqual(values('bf16'), [1, -2, 3.140625]);
    assert.deepEqual(values('i64'), [-(2 ** 40), 123]);
    assert.deepEqual(values('i32'), [-7, 2 ** 31 - 1]);
    assert.deepEqual(values('i16'), [-32768, 300]);
    assert.deepEqual(values('i8'), [-128, 0, 127]);
    assert.deepEqual(values('u8'), [0, 255]);
    assert.deepEqual(values('bool'), [true, false, true]);
    assert.deepEqual(values('empty'), []);
    assert.deepEqual(values('scalar'), [42]);
  });
});

// ------------------------------------------------------------ malformed files

const NAME = 'm.safetensors';
const RESAVE = 'The file was probably not fully written; re-save it.';
const CORRUPT = 'The file is corrupt or was not written by a safetensors writer; re-save it.';

function rejects(bytes: Uint8Array, message: string): void {
  assert.throws(() => decodeSafetensors(bytes, NAME), (error: unknown) => {
    assert.ok(error instanceof NormalityError, `expected a NormalityError, got ${String(error)}`);
    assert.equal(error.code, 'BAD_FILE');
    assert.equal(error.message, message);
    return true;
  });
}

const weight = (offsets: string, shape = '[2]', dtype = 'F32'): string =>
  `{"dtype":"${dtype}","shape":${shape},"data_offsets":${offsets}}`;

test('a file shorter than 8 bytes', () => {
  rejects(
    new Uint8Array(5),
    `${NAME}: the file is 5 bytes long, too short for a safetensors file, which starts with an 8-byte header length. ` +
      'It is not a safetensors file, or it was not fully written; re-save it.',
  );
});

test('a header length beyond the format limit or beyond the file', () => {
  rejects(
    fileWith('{}', undefined, 2 ** 40),
    `${NAME}: the header length field says 1099511627776 bytes, more than the 100000000-byte limit of the format. ` +
      'It is not a safetensors file, or it is corrupt.',
  );
  rejects(
    fileWith('{}', undefined, 64),
    `${NAME}: the file is truncated: the header length field says 64 bytes but only 2 follow. ` +
      'It is not a safetensors file, or it was not fully written; re-save it.',
  );
});

test('another format given as a safetensors file is named as that format, with where Normality reads it', () => {
  const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`../../src/checkpoint/fixtures/${name}`, import.meta.url)));
  const IMPORT = 'Make a Normality checkpoint of PyTorch weights first: normality import <model> <file> (library: importAuthorsWeights).';
  rejects(fixture('state_dict.pt'), `${NAME}: is a PyTorch file (torch.save's zip format), not a safetensors file. ${IMPORT}`);
  rejects(fixture('legacy.pt'), `${NAME}: is a PyTorch file (the format torch.save wrote before PyTorch 1.6), not a safetensors file. ${IMPORT}`);
  // A reproduce ledger's first 8 bytes, `{\n "sett`, read as a header length of 8391443550866246267 bytes.
  const ledger = new TextEncoder().encode(`${JSON.stringify({ settings: { benchmark: 'memae-kdd' }, runs: {} }, null, 1)}\n`);
  rejects(ledger, `${NAME}: is a normality reproduce ledger of memae-kdd (JSON: the finished runs of a many-run benchmark), not a safetensors file. ` +
    'A reproduce ledger is read only by the many-run benchmark that wrote it (reproduce --checkpoint); pass a safetensors checkpoint here.');
  rejects(new TextEncoder().encode('{"auc": 0.9}'), `${NAME}: is a JSON file, not a safetensors file. Pass a safetensors file.`);
  rejects(new TextEncoder().encode('frame,score\n0,0.5\n'), `${NAME}: is a text file beginning 'frame,score', not a safetensors file. Pass a safetensors file.`);
});

test('a header that is not UTF-8, not JSON, or not an object', () => {
  const notUtf8 = fileWith('{}      ');
  notUtf8[9] = 0xff;
  rejects(notUtf8, `${NAME}: the header is not valid UTF-8 text. ${CORRUPT}`);
  rejects(fileWith('{"a":{"dtype"'), `${NAME}: the 13-byte header is not valid JSON. ${CORRUPT}`);
  rejects(fileWith('[1,2]   '), `${NAME}: the header must be a JSON object but it is an array of length 2. ${CORRUPT}`);
  try {
    decodeSafetensors(fileWith('{"a":'), NAME);
    assert.fail('should throw');
  } catch (error) {
    assert.ok((error as Error).cause instanceof SyntaxError, 'the parser error is kept as the cause');
  }
});

test('an unknown dtype', () => {
  rejects(
    fileWith(`{"w":${weight('[0,4]', '[2]', 'F8_E4M3')}}`, new Uint8Array(2)),
    `${NAME}: 'w' has dtype 'F8_E4M3', which is not supported (supported: F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL). ` +
      'Convert the tensor to a supported dtype before saving.',
  );
});

test('a shape that does not match the byte length', () => {
  rejects(
    fileWith(`{"encoder.0.weight":${weight('[0,1000]', '[32,1,3,3]')}}`, new Uint8Array(1000)),
    `${NAME}: 'encoder.0.weight' has shape [32,1,3,3] of F32 = 1152 bytes but its data_offsets span 1000 bytes. ${CORRUPT}`,
  );
});

test('a malformed tensor entry, shape or data_offsets', () => {
  rejects(
    fileWith('{"w":3}'),
    `${NAME}: 'w' must be an object with dtype, shape and data_offsets but it is 3 of type number. ${CORRUPT}`,
  );
  rejects(
    fileWith(`{"w":${weight('[0,8]', '[-2]')}}`, new Uint8Array(8)),
    `${NAME}: 'w' has shape [-2], but a shape must be a list of non-negative integers. ${CORRUPT}`,
  );
  rejects(
    fileWith(`{"w":${weight('[8,0]')}}`, new Uint8Array(8)),
    `${NAME}: 'w' has data_offsets [8,0], but they must be [begin, end] with integers 0 <= begin <= end. ${CORRUPT}`,
  );
  rejects(
    fileWith('{"w":{"dtype":"F32","shape":[2]}}'),
    `${NAME}: 'w' has data_offsets undefined, but they must be [begin, end] with integers 0 <= begin <= end. ${CORRUPT}`,
  );
});

test('overlapping offsets, holes and bytes left over', () => {
  rejects(
    fileWith(`{"a":${weight('[0,8]')},"b":${weight('[4,12]')}}`, new Uint8Array(12)),
    `${NAME}: 'b' (data_offsets [4, 12]) overlaps 'a' (data_offsets [0, 8]). ${CORRUPT}`,
  );
  rejects(
    fileWith(`{"a":${weight('[0,8]')},"b":${weight('[16,24]')}}`, new Uint8Array(24)),
    `${NAME}: the data has a hole: bytes [8, 16) between 'a' and 'b' belong to no tensor. ${CORRUPT}`,
  );
  rejects(
    fileWith(`{"b":${weight('[4,12]')}}`, new Uint8Array(12)),
    `${NAME}: the data has a hole: bytes [0, 4) before 'b' belong to no tensor. ${CORRUPT}`,
  );
  rejects(
    fileWith(`{"a":${weight('[0,8]')}}`, new Uint8Array(11)),
    `${NAME}: 3 unexpected bytes follow the 8 bytes of data that the header describes. ${CORRUPT}`,
  );
});

test('a truncated file', () => {
  const whole = join8(encodeSafetensors({ w: { dtype: 'F32', shape: [4, 4], data: new Uint8Array(64) } }));
  rejects(
    whole.subarray(0, whole.byteLength - 20),
    `${NAME}: the file is truncated: header says the data is 64 bytes but only 44 follow. ${RESAVE}`,
  );
});

test('metadata that is not an object of strings', () => {
  rejects(
    fileWith('{"__metadata__":{"epochs":100}}'),
    `${NAME}: __metadata__ value for 'epochs' is 100 of type number, but safetensors metadata values must be strings. ` +
      'Write structured values as JSON text (setJsonMetadata) and re-save the file.',
  );
  rejects(
    fileWith('{"__metadata__":["a"]}'),
    `${NAME}: __metadata__ must be a JSON object of strings but it is an array of length 1. ${CORRUPT}`,
  );
});

test('a metadata key named __proto__ stays plain data', () => {
  const { metadata } = decodeSafetensors(fileWith('{"__metadata__":{"__proto__":"x"}}'), NAME);
  assert.equal(Object.getPrototypeOf(metadata), Object.prototype);
  assert.deepEqual(Object.keys(metadata), ['__proto__']);
});

test('every prefix and many corruptions of a valid file give a NormalityError or a valid result, never a raw error', () => {
  const whole = join8(encodeSafetensors(everyDtype(), { model: 'memae' }));
  const check = (bytes: Uint8Array): void => {
    try {
      decodeSafetensors(bytes, NAME);
    } catch (error) {
      assert.ok(error instanceof NormalityError, `raw error: ${String(error)}`);
    }
  };
  for (let length = 0; length < whole.byteLength; length++) {
    assert.throws(() => decodeSafetensors(whole.subarray(0, length), NAME), NormalityError);
  }
  let seed = 12345;
  const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let trial = 0; trial < 2000; trial++) {
    const copy = whole.slice();
    copy[Math.floor(random() * 300)] = Math.floor(random() * 256);
    check(copy);
  }
});

test('loading a missing file or a folder names the path', () => {
  withTempDir((dir) => {
    const missing = join(dir, 'nope.safetensors');
    assert.throws(() => loadSafetensors(missing), {
      name: 'NormalityError',
      code: 'FILE_NOT_FOUND',
      message: `Safetensors file not found at ${missing}. Check the path, or save the model first.`,
    });
    assert.throws(() => loadSafetensors(dir), {
      code: 'BAD_FILE',
      message: `${dir}: is not a regular file. Pass the path of a .safetensors file.`,
    });
    const short = join(dir, 'short.safetensors');
    writeFileSync(short, new Uint8Array(3));
    assert.throws(() => loadSafetensors(short), { message: new RegExp(`^${short}: the file is 3 bytes long`) });
  });
});

// ------------------------------------------------------------ bad arguments to the writer

test('the writer checks every tensor and metadata value before producing anything', () => {
  const f32 = (shape: number[], bytes: number): RawTensor => ({ dtype: 'F32', shape, data: new Uint8Array(bytes) });
  assert.throws(() => encodeSafetensors({ w: f32([2, 3], 20) }), {
    code: 'INVALID_ARGUMENT',
    message:
      "Expected 24 bytes (shape [2,3] of F32) for tensor 'w' data but received a Uint8Array of length 20. " +
      'Pass data whose length matches the shape and dtype.',
  });
  assert.throws(() => encodeSafetensors({ w: { dtype: 'F8' as never, shape: [1], data: new Uint8Array(1) } }), {
    message: "Expected one of F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL for tensor 'w' dtype but received 'F8' of type string.",
  });
  assert.throws(() => encodeSafetensors({ w: f32([2.5], 10) }), {
    message: "Expected an array of non-negative integers ([] for a scalar) for tensor 'w' shape but received an array of length 1.",
  });
  assert.throws(() => encodeSafetensors({ w: { dtype: 'F32', shape: [1], data: [0, 0, 0, 0] as never } }), {
    message: "Expected a Uint8Array of little-endian bytes for tensor 'w' data but received an array of length 4.",
  });
  assert.throws(() => encodeSafetensors({ __metadata__: f32([1], 4) }), {
    message: "Expected any name but '__metadata__', which the format reserves for a tensor name but received '__metadata__' of type string. Rename the tensor.",
  });
  assert.throws(() => encodeSafetensors({ ['bad\uD800']: f32([1], 4) }), { code: 'INVALID_ARGUMENT' });
  assert.throws(() => encodeSafetensors({}, { epochs: 100 as never }), {
    message:
      "Expected a string (safetensors metadata values are strings) for metadata['epochs'] but received 100 of type number. " +
      'Store other values as JSON text with setJsonMetadata.',
  });
  assert.throws(() => encodeSafetensors([] as never), { code: 'INVALID_ARGUMENT' });
});

test('setJsonMetadata refuses what JSON would silently change; getJsonMetadata names the file', () => {
  const metadata: Record<string, string> = {};
  setJsonMetadata(metadata, 'threshold', 0.5);
  setJsonMetadata(metadata, 'stats', { mean: [0.1, 0.2], std: [1, 2] });
  assert.deepEqual(metadata, { threshold: '0.5', stats: '{"mean":[0.1,0.2],"std":[1,2]}' });
  assert.equal(getJsonMetadata(metadata, 'threshold', NAME), 0.5);
  assert.equal(getJsonMetadata(metadata, 'absent', NAME), undefined);
  assert.throws(() => setJsonMetadata(metadata, 'threshold', Number.NaN), {
    message: "Expected a JSON value with finite numbers only for metadata['threshold'] but received NaN of type number. Replace NaN and Infinity before saving.",
  });
  assert.throws(() => setJsonMetadata(metadata, 'x', { big: 1n }), { code: 'INVALID_ARGUMENT' });
  const cycle: Record<string, unknown> = {};
  cycle.self = cycle;
  assert.throws(() => setJsonMetadata(metadata, 'x', cycle), { code: 'INVALID_ARGUMENT' });
  assert.throws(() => setJsonMetadata(metadata, 'x', undefined), { code: 'INVALID_ARGUMENT' });
  assert.equal(metadata.threshold, '0.5', 'a refused value leaves the old one');
  assert.throws(() => getJsonMetadata({ config: '{oops' }, 'config', NAME), {
    code: 'BAD_FILE',
    message: `${NAME}: metadata 'config' is not valid JSON. ${CORRUPT}`,
  });
});
