#!/usr/bin/env node
// The `normality` command. libtorch allocates and frees many tensors per training step; with glibc's
// malloc a step is measurably slower than with jemalloc, so the CLI re-runs itself once with jemalloc
// preloaded when the library is installed (Debian: libjemalloc2). NORMALITY_JEMALLOC=0 turns this off.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const JEMALLOC = ['/usr/lib/x86_64-linux-gnu/libjemalloc.so.2', '/usr/lib/aarch64-linux-gnu/libjemalloc.so.2', '/usr/lib64/libjemalloc.so.2'];

function jemallocPath() {
  if (process.env.NORMALITY_JEMALLOC === '0' || (process.env.LD_PRELOAD ?? '').includes('jemalloc')) return undefined;
  return JEMALLOC.find((p) => existsSync(p));
}

const preload = jemallocPath();
if (preload) {
  const env = { ...process.env, LD_PRELOAD: [preload, process.env.LD_PRELOAD].filter(Boolean).join(':') };
  const child = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env });
  if (child.signal) process.kill(process.pid, child.signal);
  process.exit(child.status ?? 1);
} else {
  // A reader that stops early (`score --out - | head`) closes the pipe: stop quietly, as other
  // command-line tools do, rather than with Node's unhandled 'error' event.
  process.stdout.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  process.exitCode = await (await loadMain())(process.argv.slice(2));
}

// Importing the CLI loads the addon. What can fail there (no addon built yet, a bad NORMALITY_THREADS) is
// for the user to fix, so it is printed like any other error of the command, without a stack trace.
async function loadMain() {
  try {
    return (await import('../dist/cli/main.js')).main;
  } catch (error) {
    if (error?.name !== 'NormalityError') throw error;
    console.error(`normality: ${error.message}`);
    process.exit(2);
  }
}
