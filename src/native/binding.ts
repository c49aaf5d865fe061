/**
 * Loads the libtorch addon. Everything native goes through the few generic functions typed here;
 * per-op knowledge lives in `tensor/`.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NormalityError } from '../errors.js';

export interface OpDescription {
  id: number;
  schema: string;
  args: { name: string; type: string; optional: boolean; hasDefault: boolean }[];
  returns: number;
}

/** A tensor handle: an index into the addon's tensor table. */
export type Handle = number;

export interface NativeBinding {
  lookupOp(name: string, overload: string): OpDescription;
  /** Arguments follow as call arguments (cheaper to read natively than an array). */
  callOp(id: number, gradEnabled: boolean, kwargs: Record<string, unknown> | undefined, ...args: unknown[]): unknown;
  fromBuffer(data: ArrayBufferView, shape: readonly number[], dtypeCode: number, device?: string): Handle;
  toBuffer(handle: Handle, copy: boolean): ArrayBufferView;
  /** Writes [dtypeCode, cudaIndex (-1 for the CPU), ndim, ...shape] into `out`. */
  describe(handle: Handle, out: Float64Array): void;
  /** Frees; with `out`, first writes the description (as `describe`) into it. */
  free(handle: Handle, out?: Float64Array): void;
  liveCount(): number;
  share(handle: Handle): Handle;
  requiresGrad(handle: Handle): boolean;
  setRequiresGrad(handle: Handle, value: boolean): void;
  isLeaf(handle: Handle): boolean;
  grad(handle: Handle): Handle | null;
  setGrad(handle: Handle, grad: Handle | null): void;
  backward(handle: Handle, gradient: Handle | null, retainGraph: boolean): void;
  manualSeed(seed: number): void;
  setNumThreads(n: number): void;
  getNumThreads(): number;
  cudaDeviceCount(): number;
  setCudaFlags(benchmarkCudnn: boolean | undefined, tf32Matmul: boolean | undefined, tf32Cudnn: boolean | undefined): void;
  version(): string;
  setFlushDenormal(on: boolean): boolean;
  setAutocast(enabled: boolean, cuda: boolean, dtypeCode: number): void;
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function addonPath(): string {
  return process.env.NORMALITY_ADDON ?? join(root, 'native', 'build', 'Release', 'normality.node');
}

function loadBinding(): NativeBinding {
  const path = addonPath();
  try {
    return createRequire(import.meta.url)(path) as NativeBinding;
  } catch (cause) {
    const reason = existsSync(path) ? (cause as Error).message : `${path} does not exist`;
    // Installed as a dependency, npm rebuild runs the package's install step, which builds the addon.
    const installed = root.split(/[\\/]/).includes('node_modules');
    const build = installed ? 'npm rebuild normality' : 'npm run build:native';
    const solutions = [
      `Build it: ${build}`,
      "Install Debian's libtorch first if it is missing: sudo apt-get install --no-install-recommends libtorch-dev",
      `Built against another libtorch? Rebuild with LIBTORCH=<dir> ${build} and make sure <dir>/lib is on the library path`,
      ...(installed ? [] : ['Or run the full set-up: bash scripts/setup.sh']),
    ];
    throw new NormalityError(
      'NATIVE_LOAD',
      `Could not load the libtorch addon: ${reason}\nPossible solutions:\n${solutions.map((s) => `- ${s}`).join('\n')}`,
      { cause },
    );
  }
}

/**
 * The addon's own errors are plain Errors with a `code` property ('NATIVE' for libtorch's failures,
 * 'INVALID_ARGUMENT' for an argument the dispatcher could not convert). Users should catch one error type,
 * so every one of them is rethrown here as a NormalityError with the same message and the original as `cause`.
 */
export function nativeError(cause: unknown): NormalityError {
  if (cause instanceof NormalityError) return cause;
  const message = cause instanceof Error ? cause.message : String(cause);
  const code = (cause as { code?: unknown } | null)?.code === 'INVALID_ARGUMENT' ? 'INVALID_ARGUMENT' : 'NATIVE';
  // libtorch's CPU allocator buries the reason in the middle of its text ("[enforce fail at alloc_cpu.cpp:75] ...").
  const prefix = /can't allocate memory/.test(message) ? 'Out of memory: ' : '';
  return new NormalityError(code, prefix + message, { cause });
}

/** The binding with each function rethrowing through nativeError: the one place native failures pass. */
function guarded(raw: NativeBinding): NativeBinding {
  const out: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(raw) as [string, (...args: unknown[]) => unknown][]) {
    // `arguments` rather than rest parameters: V8 passes them on to apply() without building an array.
    out[name] = function guardedNative(): unknown {
      try {
        // eslint-disable-next-line prefer-rest-params
        return fn.apply(raw, arguments as unknown as unknown[]);
      } catch (error) {
        throw nativeError(error);
      }
    };
  }
  return out as unknown as NativeBinding;
}

// Debian's libtorch does its matrix products in OpenBLAS, whose own worker threads (one per core) spin in
// sched_yield between calls and take the cores from libtorch's OpenMP threads. On 2 cores, with them a
// MemAE-MNIST training step took 19.7 ms and without them 11.2 ms; two KDD epochs 9.1 s and 2.7 s; MemAE-3D's
// batch-1 inference 26 and 58 clips/s. So BLAS runs on the thread that calls it, unless OPENBLAS_NUM_THREADS says
// otherwise. OpenBLAS reads it once, when it loads with the addon; other BLAS builds ignore it. It is set only
// for that moment, so that the processes an application starts (a numpy job) keep their own default.
const blasThreadsUnset = !process.env.OPENBLAS_NUM_THREADS;
if (blasThreadsUnset) process.env.OPENBLAS_NUM_THREADS = '1';
export const native: NativeBinding = guarded(loadBinding());
if (blasThreadsUnset) delete process.env.OPENBLAS_NUM_THREADS;

/**
 * libtorch's intra-op threads are at most 4 per core: more only slow it down, and thousands stall it for
 * minutes while it starts them. `expected` words the limit for error messages.
 */
export function threadLimit(): { most: number; expected: string } {
  const cores = availableParallelism();
  return { most: 4 * cores, expected: `a positive integer, at most ${4 * cores} (4 per core; this machine has ${cores})` };
}

// libtorch starts with one intra-op thread on these machines; use every core unless NORMALITY_THREADS says otherwise.
native.setNumThreads(threadsFromEnvironment(process.env.NORMALITY_THREADS));

function threadsFromEnvironment(value: string | undefined): number {
  if (value === undefined || value === '') return availableParallelism();
  const threads = Number(value);
  const { most, expected } = threadLimit();
  if (!Number.isInteger(threads) || threads < 1 || threads > most) {
    throw new NormalityError('INVALID_ARGUMENT', `Expected ${expected}, for the environment variable NORMALITY_THREADS but received '${value}'. Unset it to use every core.`);
  }
  return threads;
}
