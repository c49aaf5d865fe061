/**
 * The safetensors file format, byte for byte as the reference implementation
 * (huggingface/safetensors) writes and checks it. Independent of the tensor
 * class: tensors here are raw little-endian bytes with a dtype and a shape.
 *
 * Layout of a file:
 *   - 8 bytes: N, the header length, an unsigned 64-bit little-endian integer;
 *   - N bytes: a UTF-8 JSON object, padded with spaces to a multiple of 8:
 *       { "__metadata__": { "key": "string value", ... },            (optional)
 *         "<name>": { "dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end] }, ... }
 *     where [begin, end) are byte offsets into the data that follows the header;
 *   - the data: every tensor's bytes, C order, little-endian, back to back with
 *     no gaps, no overlaps and nothing after the last tensor.
 *
 * Writing follows the reference exactly, so the same tensors give the same
 * bytes: tensors sorted by dtype alignment, largest first, then by name (so
 * each tensor starts at a multiple of its element size; for a checkpoint whose
 * tensors share one dtype this is plain name order), compact JSON with keys in
 * the order `dtype`, `shape`, `data_offsets`, `__metadata__` first.
 * The reference keeps metadata in a hash map, so the order of two or more
 * metadata entries differs between its runs; here they are sorted by key.
 *
 * Metadata values must be strings (the format says so, and the reference
 * rejects anything else). Store structured values such as a model config with
 * `setJsonMetadata(metadata, 'config', config)` and read them back with
 * `getJsonMetadata(metadata, 'config', path)`.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { constants as bufferConstants } from 'node:buffer';
import { badFile, describe, fileNotFound, invalidArgument, NormalityError } from '../errors.js';
import { writeFileAtomic } from './atomic.js';
import { fileKind, type FileKind } from './file-kind.js';

export type SafeDtype = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL';

/** One tensor as stored in the file. `data` is little-endian, C order, `product(shape) * size(dtype)` bytes. */
export interface RawTensor {
  dtype: SafeDtype;
  shape: number[];
  data: Uint8Array;
}

export interface SafetensorsContents {
  tensors: Map<string, RawTensor>;
  metadata: Record<string, string>;
}

/** Bytes per element. */
export const DTYPE_SIZES: Readonly<Record<SafeDtype, number>> = Object.freeze({
  F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1,
});

export const SAFE_DTYPES = Object.freeze(Object.keys(DTYPE_SIZES) as SafeDtype[]);

/**
 * Position of each dtype in the reference's `Dtype` enum, which is declared in
 * increasing alignment; the writer sorts by it, descending. (Ties in size,
 * such as I64 after F64, follow the enum, not the size.)
 */
const WRITE_RANK: Readonly<Record<SafeDtype, number>> = {
  BOOL: 0, U8: 1, I8: 2, I16: 3, F16: 4, BF16: 5, I32: 6, F32: 7, F64: 8, I64: 9,
};

/** The reference refuses larger headers; so do we, before allocating anything for one. */
export const MAX_HEADER_BYTES = 100_000_000;

const METADATA_KEY = '__metadata__';
const RESAVE = 'The file was probably not fully written; re-save it.';
const NOT_SAFETENSORS_OR_CUT = 'It is not a safetensors file, or it was not fully written; re-save it.';
const CORRUPT = 'The file is corrupt or was not written by a safetensors writer; re-save it.';

// ---------------------------------------------------------------- writing

/**
 * Encode tensors into the chunks of a safetensors file: first the length and
 * header, then each tensor's data (the caller's own arrays, not copies: do not
 * change them until the chunks are written). Every argument is checked before
 * anything is produced.
 */
export function encodeSafetensors(
  tensors: Map<string, RawTensor> | Record<string, RawTensor>,
  metadata?: Record<string, string>,
): Uint8Array[] {
  const entries = checkTensors(tensors);
  entries.sort(([nameA, a], [nameB, b]) => WRITE_RANK[b.dtype] - WRITE_RANK[a.dtype] || compareUtf8(nameA, nameB));

  // Built as text by hand so that the key order is the reference's on every engine.
  const parts: string[] = [];
  if (metadata !== undefined) parts.push(`${JSON.stringify(METADATA_KEY)}:${metadataJson(metadata)}`);
  let offset = 0;
  for (const [name, tensor] of entries) {
    const end = offset + tensor.data.byteLength;
    parts.push(
      `${JSON.stringify(name)}:{"dtype":"${tensor.dtype}","shape":[${tensor.shape.join(',')}],"data_offsets":[${offset},${end}]}`,
    );
    offset = end;
  }
  const json = new TextEncoder().encode(`{${parts.join(',')}}`);
  const headerLength = Math.ceil(json.byteLength / 8) * 8;
  if (headerLength > MAX_HEADER_BYTES) {
    // Readers refuse such a header, so never write one.
    throw new NormalityError(
      'INVALID_ARGUMENT',
      `The safetensors header would be ${headerLength} bytes, more than the format's limit of ${MAX_HEADER_BYTES}. Store less metadata.`,
    );
  }

  const head = new Uint8Array(8 + headerLength).fill(0x20); // spaces pad the JSON
  new DataView(head.buffer).setBigUint64(0, BigInt(headerLength), true);
  head.set(json, 8);
  return [head, ...entries.map(([, tensor]) => tensor.data).filter((data) => data.byteLength > 0)];
}

/** Write a safetensors file atomically (see writeFileAtomic): the old file survives any failure. */
export function saveSafetensors(
  path: string,
  tensors: Map<string, RawTensor> | Record<string, RawTensor>,
  metadata?: Record<string, string>,
): void {
  writeFileAtomic(path, encodeSafetensors(tensors, metadata));
}

function checkTensors(tensors: Map<string, RawTensor> | Record<string, RawTensor>): [string, RawTensor][] {
  let entries: [string, RawTensor][];
  if (tensors instanceof Map) entries = [...tensors.entries()];
  else if (tensors !== null && typeof tensors === 'object' && !Array.isArray(tensors)) entries = Object.entries(tensors);
  else throw invalidArgument('tensors', 'a Map or a plain object from name to { dtype, shape, data }', tensors);
  for (const [name, tensor] of entries) checkTensor(name, tensor);
  return entries;
}

function checkTensor(name: unknown, tensor: RawTensor): void {
  if (typeof name !== 'string' || !isWellFormed(name)) {
    throw invalidArgument('a tensor name', 'a string of valid Unicode text', name);
  }
  if (name === METADATA_KEY) {
    throw invalidArgument('a tensor name', `any name but '${METADATA_KEY}', which the format reserves`, name, 'Rename the tensor.');
  }
  const label = `tensor '${name}'`;
  if (tensor === null || typeof tensor !== 'object') {
    throw invalidArgument(label, 'an object { dtype, shape, data }', tensor);
  }
  if (!isSafeDtype(tensor.dtype)) {
    throw invalidArgument(`${label} dtype`, `one of ${SAFE_DTYPES.join(', ')}`, tensor.dtype);
  }
  if (!Array.isArray(tensor.shape) || !tensor.shape.every(isDimension)) {
    throw invalidArgument(`${label} shape`, 'an array of non-negative integers ([] for a scalar)', tensor.shape);
  }
  if (!(tensor.data instanceof Uint8Array)) {
    throw invalidArgument(`${label} data`, 'a Uint8Array of little-endian bytes', tensor.data);
  }
  const expected = byteLength(tensor.shape, tensor.dtype);
  if (BigInt(tensor.data.byteLength) !== expected) {
    throw invalidArgument(
      `${label} data`,
      `${expected} bytes (shape [${tensor.shape.join(',')}] of ${tensor.dtype})`,
      tensor.data,
      'Pass data whose length matches the shape and dtype.',
    );
  }
}

function metadataJson(metadata: Record<string, string>): string {
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata) || metadata instanceof Map) {
    throw invalidArgument('metadata', 'a plain object from string keys to string values', metadata);
  }
  const keys = Object.keys(metadata).sort(compareUtf8);
  const fields = keys.map((key) => {
    const value = metadata[key];
    if (!isWellFormed(key)) throw invalidArgument('a metadata key', 'a string of valid Unicode text', key);
    if (typeof value !== 'string' || !isWellFormed(value)) {
      throw invalidArgument(
        `metadata['${key}']`,
        'a string (safetensors metadata values are strings)',
        value,
        'Store other values as JSON text with setJsonMetadata.',
      );
    }
    return `${JSON.stringify(key)}:${JSON.stringify(value)}`;
  });
  return `{${fields.join(',')}}`;
}

// ---------------------------------------------------------------- reading

/**
 * Read and check a whole safetensors file. Each tensor's `data` is a view into
 * one buffer holding the file (no copy per tensor).
 */
export function loadSafetensors(path: string): SafetensorsContents {
  return decodeSafetensors(readWholeFile(path), path);
}

/**
 * Parse and check the bytes of a safetensors file. `sourceName` (a path)
 * names the file in error messages. Each tensor's `data` is a view into `bytes`.
 *
 * About alignment: in files written by this library or the reference, every
 * tensor starts at a multiple of its element size when `bytes` itself starts
 * at a multiple of 8, so a Float32Array can view it directly. Files from other
 * writers need not be aligned: check `data.byteOffset % size` and copy
 * (`data.slice()`) before making a wider typed-array view.
 */
export function decodeSafetensors(bytes: Uint8Array, sourceName = 'safetensors data'): SafetensorsContents {
  if (!(bytes instanceof Uint8Array)) {
    throw invalidArgument('bytes', 'a Uint8Array holding a safetensors file', bytes);
  }
  const fail = (problem: string, fix = CORRUPT, cause?: unknown): NormalityError => {
    const error = badFile(sourceName, problem, fix);
    if (cause !== undefined) error.cause = cause;
    return error;
  };

  if (bytes.byteLength < 8) {
    throw otherFormat(bytes, fail) ?? fail(
      `the file is ${bytes.byteLength} bytes long, too short for a safetensors file, which starts with an 8-byte header length`,
      NOT_SAFETENSORS_OR_CUT,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const declared = view.getBigUint64(0, true);
  const following = bytes.byteLength - 8;
  if (declared > BigInt(MAX_HEADER_BYTES)) {
    throw otherFormat(bytes, fail) ?? fail(
      `the header length field says ${declared} bytes, more than the ${MAX_HEADER_BYTES}-byte limit of the format`,
      'It is not a safetensors file, or it is corrupt.',
    );
  }
  const headerLength = Number(declared);
  if (headerLength > following) {
    throw otherFormat(bytes, fail) ?? fail(
      `the file is truncated: the header length field says ${headerLength} bytes but only ${following} follow`,
      NOT_SAFETENSORS_OR_CUT,
    );
  }

  const header = parseHeader(bytes.subarray(8, 8 + headerLength), fail);
  const dataStart = 8 + headerLength;
  const available = bytes.byteLength - dataStart;
  const layout: Placed[] = [];
  let metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(header)) {
    if (key === METADATA_KEY) metadata = readMetadata(value, fail);
    else layout.push(readTensorInfo(key, value, fail));
  }
  checkLayout(layout, available, fail);

  const tensors = new Map<string, RawTensor>();
  for (const { name, dtype, shape, begin, end } of layout) {
    const data = new Uint8Array(bytes.buffer, bytes.byteOffset + dataStart + begin, end - begin);
    tensors.set(name, { dtype, shape, data });
  }
  return { tensors, metadata };
}

type Fail = (problem: string, fix?: string, cause?: unknown) => NormalityError;

/** Where Normality reads the formats given in place of a safetensors file most often. */
const OTHER_FORMAT_FIX: Partial<Record<FileKind, string>> = {
  pytorch: 'Make a Normality checkpoint of PyTorch weights first: normality import <model> <file> (library: importAuthorsWeights).',
  ledger: 'A reproduce ledger is read only by the many-run benchmark that wrote it (reproduce --checkpoint); pass a safetensors checkpoint here.',
};

/**
 * Another format than safetensors, named as such: its first bytes make no header length (a JSON file's
 * `{\n "se` reads as 8391443550866246267 bytes), so that check alone would only call the file corrupt.
 */
function otherFormat(bytes: Uint8Array, fail: Fail): NormalityError | undefined {
  const found = fileKind(bytes);
  if (found === undefined || found.kind === 'safetensors' || found.kind === 'normality') return undefined;
  return fail(`is ${found.description}, not a safetensors file`, OTHER_FORMAT_FIX[found.kind] ?? 'Pass a safetensors file.');
}

interface Placed {
  name: string;
  dtype: SafeDtype;
  shape: number[];
  begin: number;
  end: number;
}

function parseHeader(headerBytes: Uint8Array, fail: Fail): Record<string, unknown> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(headerBytes);
  } catch (error) {
    throw fail('the header is not valid UTF-8 text', CORRUPT, error);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw fail(`the ${headerBytes.byteLength}-byte header is not valid JSON`, CORRUPT, error);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw fail(`the header must be a JSON object but it is ${describe(parsed)}`);
  }
  return parsed as Record<string, unknown>;
}

function readMetadata(value: unknown, fail: Fail): Record<string, string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw fail(`${METADATA_KEY} must be a JSON object of strings but it is ${describe(value)}`);
  }
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string') {
      throw fail(
        `${METADATA_KEY} value for '${key}' is ${describe(item)}, but safetensors metadata values must be strings`,
        'Write structured values as JSON text (setJsonMetadata) and re-save the file.',
      );
    }
  }
  // fromEntries defines own properties, so even a key named "__proto__" stays plain data.
  return Object.fromEntries(Object.entries(value as Record<string, string>));
}

function readTensorInfo(name: string, value: unknown, fail: Fail): Placed {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw fail(`'${name}' must be an object with dtype, shape and data_offsets but it is ${describe(value)}`);
  }
  const { dtype, shape, data_offsets: offsets } = value as Record<string, unknown>;
  if (!isSafeDtype(dtype)) {
    const shown = typeof dtype === 'string' ? `dtype '${dtype}'` : `dtype ${describe(dtype)}`;
    throw fail(
      `'${name}' has ${shown}, which is not supported (supported: ${SAFE_DTYPES.join(', ')})`,
      'Convert the tensor to a supported dtype before saving.',
    );
  }
  if (!Array.isArray(shape) || !shape.every(isDimension)) {
    throw fail(`'${name}' has shape ${show(shape)}, but a shape must be a list of non-negative integers`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isDimension) || offsets[0] > offsets[1]) {
    throw fail(`'${name}' has data_offsets ${show(offsets)}, but they must be [begin, end] with integers 0 <= begin <= end`);
  }
  const [begin, end] = offsets as [number, number];
  const expected = byteLength(shape, dtype);
  if (expected !== BigInt(end - begin)) {
    throw fail(
      `'${name}' has shape [${shape.join(',')}] of ${dtype} = ${expected} bytes but its data_offsets span ${end - begin} bytes`,
    );
  }
  return { name, dtype, shape: [...shape], begin, end };
}

/** The tensors must tile the data exactly: from byte 0, no holes, no overlaps, no bytes left over. */
function checkLayout(layout: Placed[], available: number, fail: Fail): void {
  layout.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  let previous: Placed | undefined;
  for (const tensor of layout) {
    if (tensor.begin > covered) {
      const where = previous ? `between '${previous.name}' and '${tensor.name}'` : `before '${tensor.name}'`;
      throw fail(`the data has a hole: bytes [${covered}, ${tensor.begin}) ${where} belong to no tensor`);
    }
    if (tensor.begin < covered && previous) {
      throw fail(
        `'${tensor.name}' (data_offsets [${tensor.begin}, ${tensor.end}]) overlaps '${previous.name}' (data_offsets [${previous.begin}, ${previous.end}])`,
      );
    }
    covered = tensor.end;
    previous = tensor;
  }
  if (covered > available) {
    throw fail(`the file is truncated: header says the data is ${covered} bytes but only ${available} follow`, RESAVE);
  }
  if (covered < available) {
    throw fail(`${available - covered} unexpected bytes follow the ${covered} bytes of data that the header describes`);
  }
}

/**
 * The whole file in one buffer (the tensors are views into it). Read by hand
 * rather than with readFileSync, which stops at 2 GiB.
 */
function readWholeFile(path: string): Uint8Array {
  if (typeof path !== 'string' || path === '') {
    throw invalidArgument('path', 'a non-empty file path string', path);
  }
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw fileNotFound(path, 'Safetensors file', 'Check the path, or save the model first.');
    throw readError(path, error);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw badFile(path, 'is not a regular file', 'Pass the path of a .safetensors file.');
    if (stats.size > bufferConstants.MAX_LENGTH) {
      throw badFile(path, `is ${stats.size} bytes, more than Node can hold in one buffer (${bufferConstants.MAX_LENGTH})`);
    }
    const bytes = new Uint8Array(stats.size);
    let filled = 0;
    while (filled < bytes.byteLength) {
      const read = readSync(fd, bytes, filled, bytes.byteLength - filled, filled);
      if (read === 0) break; // The file shrank under us: decoding reports it as truncated.
      filled += read;
    }
    return filled === bytes.byteLength ? bytes : bytes.subarray(0, filled);
  } catch (error) {
    if (error instanceof NormalityError) throw error;
    throw readError(path, error);
  } finally {
    closeSync(fd);
  }
}

function readError(path: string, error: unknown): NormalityError {
  const reason = error instanceof Error ? error.message : String(error);
  const wrapped = badFile(path, `could not be read (${reason})`, 'Check the path and its permissions.');
  wrapped.cause = error;
  return wrapped;
}

// ---------------------------------------------------------------- metadata helpers

/**
 * Store a JSON-representable value (a config object, a number, a list of
 * statistics) under `key` as JSON text, since metadata values must be strings.
 * Refuses what JSON would silently change: NaN, Infinity, undefined, functions,
 * bigints and cycles.
 */
export function setJsonMetadata(metadata: Record<string, string>, key: string, value: unknown): void {
  const label = `metadata['${key}']`;
  let text: string | undefined;
  try {
    text = JSON.stringify(value, (_field, item: unknown) => {
      if (typeof item === 'number' && !Number.isFinite(item)) {
        throw invalidArgument(label, 'a JSON value with finite numbers only', item, 'Replace NaN and Infinity before saving.');
      }
      if (typeof item === 'function' || typeof item === 'symbol') {
        throw invalidArgument(label, 'a JSON value (no functions or symbols)', item);
      }
      return item;
    });
  } catch (error) {
    if (error instanceof NormalityError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw invalidArgument(label, `a value that JSON can hold (${reason})`, value, 'Remove cycles and bigints.');
  }
  if (text === undefined) throw invalidArgument(label, 'a JSON value', value);
  metadata[key] = text;
}

/**
 * Read back a value stored with setJsonMetadata: undefined when `key` is absent,
 * an error naming the file and key when its text is not JSON.
 */
export function getJsonMetadata(metadata: Record<string, string>, key: string, sourceName: string): unknown {
  if (!Object.prototype.hasOwnProperty.call(metadata, key)) return undefined;
  try {
    return JSON.parse(metadata[key]);
  } catch (error) {
    const wrapped = badFile(sourceName, `metadata '${key}' is not valid JSON`, CORRUPT);
    wrapped.cause = error;
    throw wrapped;
  }
}

// ---------------------------------------------------------------- small helpers

function isSafeDtype(value: unknown): value is SafeDtype {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(DTYPE_SIZES, value);
}

function isDimension(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

/** Exact even for absurd shapes read from a damaged header. */
function byteLength(shape: number[], dtype: SafeDtype): bigint {
  return shape.reduce((total, dim) => total * BigInt(dim), BigInt(DTYPE_SIZES[dtype]));
}

/** Byte order of the UTF-8 encodings, as the reference compares names (JS `<` compares UTF-16 units). */
function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Lone surrogates cannot be written as UTF-8; the reference would reject the file. */
function isWellFormed(text: string): boolean {
  return !/\p{Surrogate}/u.test(text);
}

function show(value: unknown): string {
  return Array.isArray(value) ? JSON.stringify(value) : describe(value);
}

/** Each entry of `values` as JSON text under its key: a whole metadata object at once (see setJsonMetadata). */
export function jsonMetadata(values: Record<string, unknown>): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) setJsonMetadata(metadata, key, value);
  return metadata;
}
