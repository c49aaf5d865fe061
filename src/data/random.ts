/**
 * A small seeded random number generator for data splits and subsampling, so a
 * split is the same on every machine and in every run with the same seed.
 *
 * xoshiro128** (Blackman & Vigna) for the stream, its 128-bit state filled from
 * the seed by splitmix32 so that nearby seeds give unrelated streams. Not the
 * stream NumPy or PyTorch would draw: splits match theirs in kind, not row by row.
 */
import { invalidArgument } from '../errors.js';

export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0) throw invalidArgument('seed', 'a non-negative whole number', seed, 'Pass a seed such as 0 or 42.');
    // Seeds below 2³² are used as they are; above, the high bits are mixed in, so that 2³² does not repeat seed 0.
    let z = ((seed % 2 ** 32) ^ Math.imul(Math.floor(seed / 2 ** 32), 0x85ebca6b)) >>> 0;
    const next = (): number => {
      z = (z + 0x9e3779b9) >>> 0;
      let t = z ^ (z >>> 16);
      t = Math.imul(t, 0x21f0aaad);
      t ^= t >>> 15;
      t = Math.imul(t, 0x735a2d97);
      return (t ^ (t >>> 15)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** A uniform float in [0, 1) with 32 random bits. */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** A uniform integer in [0, n), without modulo bias. */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 4294967296) {
      throw invalidArgument('n', 'a whole number in [1, 2^32]', n);
    }
    const limit = 4294967296 - (4294967296 % n);
    let r = this.nextUint32();
    while (r >= limit) r = this.nextUint32();
    return r % n;
  }

  /** Fisher-Yates shuffle in place; returns the same array. */
  shuffle<T extends { length: number; [i: number]: any }>(array: T): T {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = array[i];
      array[i] = array[j];
      array[j] = tmp;
    }
    return array;
  }

  /** A random permutation of 0 .. n-1. */
  permutation(n: number): Int32Array {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    return this.shuffle(out);
  }

  /** `k` distinct indices drawn from 0 .. n-1, returned in increasing order. */
  sample(n: number, k: number): Int32Array {
    if (!Number.isInteger(k) || k < 0 || k > n) throw invalidArgument('k', `a whole number in [0, ${n}]`, k);
    return this.permutation(n).slice(0, k).sort();
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
