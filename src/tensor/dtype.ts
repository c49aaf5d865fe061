/** Data types, with the codes of c10::ScalarType (stable across libtorch versions). */
import { invalidArgument } from '../errors.js';

export type DType = 'uint8' | 'int8' | 'int16' | 'int32' | 'int64' | 'float16' | 'float32' | 'float64' | 'bool' | 'bfloat16';

const codes: Record<DType, number> = {
  uint8: 0, int8: 1, int16: 2, int32: 3, int64: 4, float16: 5, float32: 6, float64: 7, bool: 11, bfloat16: 15,
};
const names = new Map<number, DType>(Object.entries(codes).map(([name, code]) => [code, name as DType]));

export const DTYPES = Object.keys(codes) as DType[];

export function dtypeCode(dtype: DType): number {
  const code = codes[dtype];
  if (code === undefined) throw invalidArgument('dtype', `one of ${DTYPES.join(', ')}`, dtype);
  return code;
}

export function dtypeName(code: number): DType {
  const name = names.get(code);
  if (name === undefined) throw invalidArgument('dtype code', 'a supported c10::ScalarType', code);
  return name;
}

/** The TypedArray each dtype reads into; float16 and bfloat16 come back as raw 16-bit words. */
export interface TypedArrayOf {
  uint8: Uint8Array; int8: Int8Array; int16: Int16Array; int32: Int32Array; int64: BigInt64Array;
  float16: Uint16Array; float32: Float32Array; float64: Float64Array; bool: Uint8Array; bfloat16: Uint16Array;
}

export type AnyTypedArray = TypedArrayOf[DType];

/** The array each dtype reads into, by name, for messages. */
export const ARRAY_NAMES: Record<DType, string> = {
  uint8: 'a Uint8Array', int8: 'an Int8Array', int16: 'an Int16Array', int32: 'an Int32Array', int64: 'a BigInt64Array',
  float16: 'a Uint16Array of raw half-precision words', float32: 'a Float32Array', float64: 'a Float64Array', bool: 'a Uint8Array of 0 and 1',
  bfloat16: 'a Uint16Array of raw bfloat16 words',
};

export function isFloatingPoint(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float64' || dtype === 'float16' || dtype === 'bfloat16';
}

/** The dtype a TypedArray naturally holds (Uint16Array is ambiguous and must be named). */
export function dtypeOfArray(data: ArrayBufferView): DType | undefined {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof BigInt64Array) return 'int64';
  if (data instanceof Uint8Array) return 'uint8';
  if (data instanceof Int8Array) return 'int8';
  if (data instanceof Int16Array) return 'int16';
  return undefined;
}
