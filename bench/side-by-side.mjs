// Shared by the benchmark drivers that run a PyTorch side and a TypeScript side one after the other and
// report TypeScript's time as a ratio of PyTorch's (R < 1: TypeScript is faster).
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { withJemalloc } from '../bin/allocator.js';

/** The Python to run the PyTorch side with, and whether its torch sees a GPU (BENCH_DEVICE=cpu forces the CPU). */
export function pytorchSide() {
  const python = process.env.PYTHON ?? '/usr/bin/python3';
  const probe = spawnSync(python, ['-c', 'import torch; print(int(torch.cuda.is_available()))'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    console.error(`PyTorch is not importable from ${python}: install python3-torch or set PYTHON (a Python whose torch matches the libtorch the addon was built against).`);
    process.exit(1);
  }
  return { python, cuda: probe.stdout.trim() === '1' && process.env.BENCH_DEVICE !== 'cpu' };
}

// Both sides get the same thread count: left alone, PyTorch and the addon's libtorch may pick different
// defaults (on a 2-vCPU VM, Debian's python3-torch took 1 thread and the addon 2).
export const benchThreads = () => Number(process.env.NORMALITY_THREADS) || availableParallelism();

/**
 * OpenBLAS's own threads as the addon sets them (src/native/binding.ts: on the calling thread unless
 * OPENBLAS_NUM_THREADS is set), for both sides: PyTorch on Debian calls the same OpenBLAS, and left at its
 * default it would lose cores to OpenBLAS's spinning threads that the TypeScript side does not.
 */
export function sameBlasThreads() {
  if (!process.env.OPENBLAS_NUM_THREADS) process.env.OPENBLAS_NUM_THREADS = '1';
  return process.env.OPENBLAS_NUM_THREADS;
}

/** The environment of a TypeScript side: the CLI's allocator (bin/allocator.js: jemalloc, configured, when installed). */
export const asTheCliRuns = () => withJemalloc({}) ?? {};

/**
 * Run one side; its last stdout line is its JSON result. Its stderr (each measurement as taken) passes through.
 * `env` adds to this process's environment.
 */
export function runSide(label, command, args, env = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 24, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  if (result.status !== 0) {
    console.error(`${label} failed (exit ${result.status ?? result.signal}); its messages are above.`);
    process.exit(1);
  }
  return JSON.parse(result.stdout.trim().split('\n').pop());
}

export const geomean = (xs) => Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);

/**
 * Print one table of PyTorch's and TypeScript's numbers by key and return the ratios ts/pytorch of times.
 * `higherIsFaster`: the numbers are throughputs (clips/s), so the time ratio is pytorch / typescript.
 */
export function ratioTable(title, torch, ts, higherIsFaster = false) {
  const ratios = [];
  console.log(`${title.padEnd(24)} pytorch   typescript   ts/pytorch (time)`);
  for (const [key, theirs] of Object.entries(torch)) {
    const ours = ts[key];
    if (typeof ours !== 'number') {
      console.log(`${key.padEnd(20)} ${theirs.toFixed(2).padStart(10)}   ${String(ours ?? 'n/a')}`);
      continue;
    }
    const ratio = higherIsFaster ? theirs / ours : ours / theirs;
    ratios.push(ratio);
    console.log(`${key.padEnd(20)} ${theirs.toFixed(2).padStart(10)} ${ours.toFixed(2).padStart(12)} ${ratio.toFixed(3).padStart(12)}`);
  }
  return ratios;
}

/**
 * Print both sides' peak resident memory (host memory: on CUDA it leaves the GPU's own memory out) and
 * return the ratio ts/pytorch. Each side is a whole process, libtorch and its runtime included.
 */
export function peakMemoryRatio(torch, ts) {
  console.log(`peak RSS MB           ${torch.peak_rss_mb.toFixed(0).padStart(10)} ${ts.peak_rss_mb.toFixed(0).padStart(12)}`);
  return ts.peak_rss_mb / torch.peak_rss_mb;
}

/** Refuse to compare two sides whose networks differ: their parameter counts by key must agree. */
export function checkSameNetworks(torch, ts) {
  const differ = Object.keys(torch).filter((key) => torch[key] !== ts[key]);
  if (differ.length > 0) {
    console.error(`The two sides built different networks (${differ.map((k) => `${k}: pytorch ${torch[k]} parameters, typescript ${ts[k]}`).join('; ')}): fix the PyTorch side before comparing times.`);
    process.exit(1);
  }
}

/**
 * The whole comparison: run both sides with `args`, refuse differing networks, print each table of times and
 * both sides' peak memory, then one line per table, `<name> <ratio> ratio ts/pytorch: R` (the geometric mean
 * of its rows), and `<name> peak RSS ts/pytorch: R`. `tables`: [title, key of the sides' results, ratio name,
 * whether the numbers are throughputs].
 */
export function compareSides(name, python, scripts, args, tables) {
  const torch = runSide('pytorch', python, [scripts.pytorch, ...args]);
  const ts = runSide('typescript', process.execPath, [scripts.typescript, ...args], asTheCliRuns());
  checkSameNetworks(torch.parameters, ts.parameters);
  const ratios = tables.map(([title, key, , higherIsFaster]) => ratioTable(title, torch[key], ts[key], higherIsFaster));
  const memoryRatio = peakMemoryRatio(torch, ts);
  if (ts.liveTensorsAfter !== 0) console.log(`typescript left ${ts.liveTensorsAfter} tensors alive`);
  tables.forEach(([, , ratio], i) => console.log(`${name} ${ratio} ratio ts/pytorch: ${geomean(ratios[i]).toFixed(3)}`));
  console.log(`${name} peak RSS ts/pytorch: ${memoryRatio.toFixed(3)}`);
}
