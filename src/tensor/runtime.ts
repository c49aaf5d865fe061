/** Process-wide settings: seeds, threads and devices. */
import { native, threadLimit } from '../native/binding.js';
import { invalidArgument } from '../errors.js';

/** A seed is a non-negative integer; `name` is how the caller's user knows it ('seed', '--seed'). */
export function checkSeed(name: string, seed: unknown): asserts seed is number {
  if (!Number.isInteger(seed) || (seed as number) < 0) throw invalidArgument(name, 'a non-negative integer', seed);
}

/** Seed libtorch's generators (CPU and CUDA): the same seed gives the same random numbers. */
export function manualSeed(seed: number): void {
  checkSeed('seed', seed);
  native.manualSeed(seed);
}

/** libtorch's intra-op threads, at most 4 per core (see threadLimit). */
export function setNumThreads(n: number, name = 'threads'): void {
  const { most, expected } = threadLimit();
  if (!Number.isInteger(n) || n < 1 || n > most) throw invalidArgument(name, expected, n);
  native.setNumThreads(n);
}

export const getNumThreads = (): number => native.getNumThreads();
export const cudaDeviceCount = (): number => native.cudaDeviceCount();
export const cudaAvailable = (): boolean => native.cudaDeviceCount() > 0;
/**
 * cuDNN autotuning and TF32 tensor cores for float32 work. `allowTF32` sets both matmuls and convolutions;
 * a flag left out keeps its current value (libtorch starts with PyTorch's defaults: no autotuning, TF32 for
 * cuDNN convolutions only).
 */
export function setCudaFlags(o: { benchmarkCudnn?: boolean; allowTF32?: boolean; allowTF32Matmul?: boolean; allowTF32Cudnn?: boolean }): void {
  native.setCudaFlags(o.benchmarkCudnn, o.allowTF32Matmul ?? o.allowTF32, o.allowTF32Cudnn ?? o.allowTF32);
}
export const libtorchVersion = (): string => native.version();
/** Flush denormal floats to zero on the CPU (PyTorch's set_flush_denormal); returns whether it is supported. */
export const setFlushDenormal = (on: boolean): boolean => native.setFlushDenormal(on);
