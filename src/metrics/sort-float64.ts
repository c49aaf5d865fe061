/**
 * Ascending in-place sort of a Float64Array, optionally carrying a payload array
 * along (PRO sorts defect pixels together with their weights).
 *
 * Why not just `values.sort()`: V8's native typed-array sort takes about 1–2 s for
 * 10 million doubles; the LSD radix sort below (four passes of 16 bits over the
 * bit pattern) takes about half of that, and it moves a payload without a
 * JavaScript comparator. Small arrays use the built-in sorts.
 * Order: -0 comes before +0, like the native sort; the metrics treat them as equal.
 */

const RADIX_MIN_LENGTH = 1 << 16;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function sortAscending(values: Float64Array, payload?: Float64Array): void {
  if (values.length >= RADIX_MIN_LENGTH && LITTLE_ENDIAN) radixSort(values, payload);
  else if (payload === undefined) values.sort();
  else comparatorSort(values, payload);
}

function comparatorSort(values: Float64Array, payload: Float64Array): void {
  const order = new Uint32Array(values.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort((a, b) => values[a] - values[b]);
  const sortedValues = values.slice();
  const sortedPayload = payload.slice();
  for (let i = 0; i < order.length; i++) {
    values[i] = sortedValues[order[i]];
    payload[i] = sortedPayload[order[i]];
  }
}

function radixSort(values: Float64Array, payload: Float64Array | undefined): void {
  const n = values.length;
  const words = new Uint32Array(values.buffer, values.byteOffset, 2 * n);
  let hi = new Uint32Array(n);
  let lo = new Uint32Array(n);
  // Histograms of the four 16-bit digits, filled in the same pass as the key transform.
  const counts = new Uint32Array(4 * 65536);
  for (let i = 0; i < n; i++) {
    let l = words[2 * i];
    let h = words[2 * i + 1];
    // Map the IEEE bit pattern to an unsigned key with the same order:
    // negatives get all bits flipped, positives get the sign bit set.
    if (h & 0x80000000) {
      h = ~h >>> 0;
      l = ~l >>> 0;
    } else {
      h = (h | 0x80000000) >>> 0;
    }
    hi[i] = h;
    lo[i] = l;
    counts[l & 0xffff]++;
    counts[65536 + (l >>> 16)]++;
    counts[131072 + (h & 0xffff)]++;
    counts[196608 + (h >>> 16)]++;
  }
  let hiNext = new Uint32Array(n);
  let loNext = new Uint32Array(n);
  let carried: Float64Array | undefined = payload;
  let carriedNext: Float64Array | undefined = payload === undefined ? undefined : new Float64Array(n);
  for (let pass = 0; pass < 4; pass++) {
    const base = pass * 65536;
    if (!toOffsets(counts, base, n)) continue; // every key shares this digit: nothing to move
    const key = pass < 2 ? lo : hi;
    const shift = (pass & 1) * 16;
    for (let i = 0; i < n; i++) {
      const j = counts[base + ((key[i] >>> shift) & 0xffff)]++;
      hiNext[j] = hi[i];
      loNext[j] = lo[i];
      if (carried !== undefined) carriedNext![j] = carried[i];
    }
    [hi, hiNext] = [hiNext, hi];
    [lo, loNext] = [loNext, lo];
    if (carried !== undefined) [carried, carriedNext] = [carriedNext!, carried];
  }
  for (let i = 0; i < n; i++) {
    let h = hi[i];
    let l = lo[i];
    if (h & 0x80000000) {
      h = (h & 0x7fffffff) >>> 0;
    } else {
      h = ~h >>> 0;
      l = ~l >>> 0;
    }
    words[2 * i] = l;
    words[2 * i + 1] = h;
  }
  if (payload !== undefined && carried !== payload) payload.set(carried!);
}

/** Turn one digit's histogram into start offsets; false when one bucket holds all n keys. */
function toOffsets(counts: Uint32Array, base: number, n: number): boolean {
  let sum = 0;
  for (let b = base; b < base + 65536; b++) {
    const count = counts[b];
    if (count === n) return false;
    counts[b] = sum;
    sum += count;
  }
  return true;
}
