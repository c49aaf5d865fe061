#!/usr/bin/env node
// The `normality` command. It re-runs itself once with jemalloc preloaded when the library is installed
// (bin/allocator.js says why); NORMALITY_JEMALLOC=0 turns this off.
import { spawn } from 'node:child_process';
import { withJemalloc } from './allocator.js';

const alreadyPreloaded = (process.env.LD_PRELOAD ?? '').includes('jemalloc');
const relaunch = process.env.NORMALITY_JEMALLOC === '0' || alreadyPreloaded ? undefined : withJemalloc(process.env);
if (relaunch) {
  const env = { ...relaunch, NORMALITY_LAUNCHER_PID: String(process.pid) };
  // A signal sent to this process alone (kill PID, a supervisor, docker stop) goes on to the command doing
  // the work, which would otherwise train on with nobody waiting for it. (Ctrl-C reaches both already.)
  // Handled from before the command starts: one that came while it started would otherwise end this process
  // alone. (Handlers run on the event loop, after `child` is set below.)
  let child;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env });
  child.on('exit', (code, signal) => {
    if (!signal) process.exit(code ?? 1);
    sayWhatIsKept(signal);
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  });
} else {
  stopWithLauncher();
  // A reader that stops early (`score --out - | head`) closes the pipe: stop quietly, as other
  // command-line tools do, rather than with Node's unhandled 'error' event.
  process.stdout.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  process.exitCode = await (await loadMain())(process.argv.slice(2));
}

// Training writes its checkpoint at the end of each epoch: say what an interrupted run keeps. A reproduce
// keeps its finished runs only in a --checkpoint ledger.
function sayWhatIsKept(signal) {
  const [command, ...rest] = process.argv.slice(2);
  if (!['train', 'reproduce'].includes(command) || !['SIGINT', 'SIGTERM', 'SIGHUP'].includes(signal)) return;
  const kept = command === 'train' || rest.some((arg) => arg === '--checkpoint' || arg.startsWith('--checkpoint='));
  process.stderr.write(kept
    ? `normality: stopped (${signal}). The same command goes on from the last epoch it finished; an epoch in progress is trained again.\n`
    : `normality: stopped (${signal}). Nothing was kept: reproduce keeps its finished runs only with --checkpoint <path>, from which the same command then goes on.\n`);
}

// Run under the launcher above: if it dies outright (SIGKILL, which it cannot pass on), this process is
// re-parented; it then stops as on SIGTERM, between training steps, rather than running on unseen.
function stopWithLauncher() {
  if (process.env.NORMALITY_LAUNCHER_PID === undefined) return;
  const launcher = Number(process.env.NORMALITY_LAUNCHER_PID);
  delete process.env.NORMALITY_LAUNCHER_PID; // not for this command's own child processes
  const orphaned = () => process.ppid !== launcher;
  if (orphaned()) process.kill(process.pid, 'SIGTERM'); // the launcher died before this process began
  setInterval(() => {
    if (orphaned()) process.kill(process.pid, 'SIGTERM');
  }, 1000).unref();
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
