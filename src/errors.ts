/**
 * One error type for the whole library. Every message says what was expected,
 * what was received and, where it helps, how to fix it (sharp's habit).
 */
export type ErrorCode =
  | 'INVALID_ARGUMENT'
  | 'SHAPE_MISMATCH'
  | 'DTYPE_MISMATCH'
  | 'DISPOSED'
  | 'NOT_FITTED'
  | 'BUSY'
  | 'ABORTED'
  | 'NATIVE'
  | 'NATIVE_LOAD'
  | 'FILE_NOT_FOUND'
  | 'BAD_FILE'
  | 'BAD_CONFIG'
  | 'STATE_DICT'
  | 'WORKER_FAILED';

export class NormalityError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NormalityError';
    this.code = code;
  }
}

/** A received value already put in words (a shape, a count), which an error message prints as it is. */
export class Described {
  constructor(readonly text: string) {}
}
export const described = (text: string): Described => new Described(text);

/** Describe a received value for an error message: `0 of type number`, `an array of length 3`. */
export function describe(value: unknown): string {
  if (value instanceof Described) return value.text;
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (value instanceof DataView) return `a DataView of ${value.byteLength} bytes`;
  if (ArrayBuffer.isView(value)) return `${article(value.constructor.name)} ${value.constructor.name} of length ${(value as unknown as ArrayLike<number>).length}`;
  if (typeof value === 'string') return `'${value}' of type string`;
  if (typeof value === 'object') return `an object of type ${value.constructor?.name ?? 'Object'}`;
  return `${String(value)} of type ${typeof value}`;
}

/** 'a' or 'an' before a typed array's name: an Int32Array, a Uint8Array (said "you"), a Float32Array. */
const article = (word: string): string => (/^[AEIO]/i.test(word) ? 'an' : 'a');

/**
 * `Expected <expected> for <name> but received <describe(received)>.` plus an optional fix.
 * Example: invalidArgument('lr', 'a positive number', -1, 'Pass lr > 0.')
 */
export function invalidArgument(name: string, expected: string, received: unknown, fix?: string): NormalityError {
  const tail = fix ? ` ${fix}` : '';
  return new NormalityError('INVALID_ARGUMENT', `Expected ${expected} for ${name} but received ${commandLine(name) ? describeTyped(received) : describe(received)}.${tail}`);
}

/** A flag (`--lr`) or positional (`<checkpoint>`): what it received was typed, so its JavaScript type says nothing. */
const commandLine = (name: string) => name.startsWith('--') || name.startsWith('<');

function describeTyped(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === undefined) return 'nothing';
  return describe(value);
}

/** Errors made by withHint: their message is their cause's plus a hint. */
const hinted = new WeakSet<NormalityError>();

/**
 * `error` with `hint` added to its message, as a layer of its own: a caller that gives the same advice in its
 * own words (reproduce says what a benchmark reads and where it looks) takes such hints off with withoutHints.
 */
export function withHint(error: NormalityError, hint: string): NormalityError {
  const wrapped = new NormalityError(error.code, `${error.message} ${hint}`, { cause: error });
  hinted.add(wrapped);
  return wrapped;
}

/** `error` without the hints withHint added to it. */
export function withoutHints(error: unknown): unknown {
  let bare = error;
  while (bare instanceof NormalityError && hinted.has(bare)) bare = bare.cause;
  return bare;
}

/** A file that is missing or does not hold what it should. */
export function badFile(path: string, problem: string, fix?: string): NormalityError {
  const tail = fix ? ` ${fix}` : '';
  return new NormalityError('BAD_FILE', `${path}: ${problem}.${tail}`);
}

export function fileNotFound(path: string, what: string, fix?: string): NormalityError {
  const tail = fix ? ` ${fix}` : '';
  return new NormalityError('FILE_NOT_FOUND', `${what} not found at ${path}.${tail}`);
}
