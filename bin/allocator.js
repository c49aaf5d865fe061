// The allocator the `normality` command runs libtorch with. libtorch allocates and frees many tensors per
// step: with glibc's malloc a MemAE-MNIST training step is measurably slower than with jemalloc. jemalloc's
// default, though, hands the pages of freed large tensors back to the kernel, so the next step faults them
// in again: on 2 cores (1 thread) that made MemAE-3D inference about 30% slower and MNAD scoring about 45%
// slower than glibc. Keeping them (no decay of dirty or muzzy pages) made jemalloc the fastest of the three
// for both, at the same peak memory (bench/*-ts.mjs, 2026-11-24).
import { existsSync } from 'node:fs';

const JEMALLOC = ['/usr/lib/x86_64-linux-gnu/libjemalloc.so.2', '/usr/lib/aarch64-linux-gnu/libjemalloc.so.2', '/usr/lib64/libjemalloc.so.2'];
export const JEMALLOC_CONF = 'dirty_decay_ms:-1,muzzy_decay_ms:-1';

/** jemalloc's library where installed (Debian: libjemalloc2), or undefined. */
export function jemallocPath() {
  return JEMALLOC.find((p) => existsSync(p));
}

/** `env` with jemalloc preloaded and configured (a MALLOC_CONF already set is kept), or undefined without jemalloc. */
export function withJemalloc(env) {
  const jemalloc = jemallocPath();
  if (!jemalloc) return undefined;
  return { ...env, LD_PRELOAD: [jemalloc, env.LD_PRELOAD].filter(Boolean).join(':'), MALLOC_CONF: env.MALLOC_CONF ?? JEMALLOC_CONF };
}
