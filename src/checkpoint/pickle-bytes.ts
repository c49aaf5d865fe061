/**
 * A bounds-checked cursor over pickle bytes: every read that would run past the end throws a
 * BAD_FILE error naming the file and the position, never a RangeError.
 */
import { badFile, type NormalityError } from '../errors.js';

const utf8 = new TextDecoder('utf-8');
const latin1 = new TextDecoder('latin1');

export class PickleBytes {
  readonly #bytes: Uint8Array;
  readonly #view: DataView;
  readonly path: string;
  pos: number;

  constructor(bytes: Uint8Array, path: string, start = 0) {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.path = path;
    this.pos = start;
  }

  get length(): number {
    return this.#bytes.length;
  }

  /** A BAD_FILE error for a pickle that does not follow the format. */
  damaged(detail: string, at = this.pos): NormalityError {
    return badFile(this.path, `holds a damaged pickle: ${detail} at byte ${at}`, 'Save the file again with torch.save.');
  }

  #take(n: number): number {
    if (!Number.isSafeInteger(n) || n < 0 || this.pos + n > this.#bytes.length) {
      throw badFile(this.path, `ends in the middle of its pickle (needed ${n} more bytes at byte ${this.pos} of ${this.#bytes.length})`,
        'The file is truncated: save or download it again.');
    }
    const at = this.pos;
    this.pos += n;
    return at;
  }

  u8(): number { return this.#view.getUint8(this.#take(1)); }
  u16(): number { return this.#view.getUint16(this.#take(2), true); }
  u32(): number { return this.#view.getUint32(this.#take(4), true); }
  i32(): number { return this.#view.getInt32(this.#take(4), true); }
  /** Big-endian, as pickle stores floats. */
  f64(): number { return this.#view.getFloat64(this.#take(8), false); }

  /** A little-endian u64 that must fit a JavaScript number (lengths and sizes). */
  u64(): number {
    const at = this.pos;
    const value = this.#view.getBigUint64(this.#take(8), true);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw this.damaged(`a length of ${value} bytes`, at);
    return Number(value);
  }

  /** A little-endian two's-complement integer of n bytes (LONG1/LONG4): a number when it fits, else a bigint. */
  long(n: number): number | bigint {
    const bytes = this.bytes(n);
    let value = 0n;
    for (let i = n - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]!);
    if (n > 0 && bytes[n - 1]! >= 0x80) value -= 1n << BigInt(8 * n);
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
  }

  /** A view of the next n bytes (no copy). */
  bytes(n: number): Uint8Array {
    const at = this.#take(n);
    return this.#bytes.subarray(at, at + n);
  }

  utf8(n: number): string { return utf8.decode(this.bytes(n)); }
  latin1(n: number): string { return latin1.decode(this.bytes(n)); }

  /** A newline-terminated ASCII line (GLOBAL's module and name), without the newline. */
  line(): string {
    const end = this.#bytes.indexOf(0x0a, this.pos);
    if (end < 0) throw this.damaged('a GLOBAL name without its newline');
    const text = latin1.decode(this.#bytes.subarray(this.pos, end));
    this.pos = end + 1;
    return text;
  }
}
