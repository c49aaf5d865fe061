import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { NormalityError } from '../errors.js';
import { libraryVersion } from '../report/version.js';
import { defineCommand, type AnyCommand } from './command.js';
import { main } from './main.js';
import * as registered from './commands/index.js';

const calls: { opts: unknown; positionals: string[] }[] = [];

const train = defineCommand({
  name: 'train',
  summary: 'Train a detector on normal data.',
  usage: '<data-dir>',
  options: [
    { name: 'model', type: 'choice', choices: ['memae', 'mnad'], required: true, description: 'Model to train.' },
    { name: 'seed', type: 'integer', default: 1, placeholder: 'n', description: 'Random seed.' },
    { name: 'quiet', type: 'boolean', description: 'No progress bar.' },
    {
      // A heading longer than every flag: it spans the line and leaves the columns as they are.
      name: 'train', type: 'section', description: 'Training loop: how many passes over the data, and how large a step.', fields: [
        { name: 'epochs', type: 'integer', default: 10, description: 'Passes over the data.' },
        { name: 'batch-size', type: 'integer', default: 32, description: 'Samples per step.' },
      ],
    },
  ],
  async run(opts, positionals) {
    // Typed access compiles only if OptionsOf inferred the spec.
    const epochs: number = opts.train.epochs;
    calls.push({ opts: { ...opts, train: { ...opts.train, epochs } }, positionals });
  },
});

const fail = (error: unknown): AnyCommand => defineCommand({
  name: 'score', summary: 'Score data.', options: [],
  async run() { throw error; },
});

function io(env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out, err,
    context: { stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => err.push(t) }, env },
  };
}

async function run(argv: string[], commands: AnyCommand[] = [train], env: Record<string, string> = {}) {
  const streams = io(env);
  const code = await main(argv, { ...streams.context, commands });
  return { code, stdout: streams.out.join(''), stderr: streams.err.join('') };
}

const folder = mkdtempSync(join(tmpdir(), 'normality-main-'));
after(() => rmSync(folder, { recursive: true, force: true }));

test('general help lists the commands; no arguments prints it to stderr with code 2', async () => {
  const help = [
    `normality ${libraryVersion()}: unsupervised deep anomaly detection`,
    '',
    'Usage: normality <command> [options]',
    '',
    'Commands:',
    '  score  Score data.',
    '  train  Train a detector on normal data.',
    '',
    "Run 'normality <command> --help' (or 'normality help <command>') for a command's options.",
    'Other: normality --version',
    '',
  ].join('\n');
  assert.deepEqual(await run(['--help'], [fail(null), train]), { code: 0, stdout: help, stderr: '' });
  assert.deepEqual(await run(['help'], [fail(null), train]), { code: 0, stdout: help, stderr: '' });
  assert.deepEqual(await run([], [fail(null), train]), { code: 2, stdout: '', stderr: help });
  assert.deepEqual(await run(['--version']), { code: 0, stdout: `${libraryVersion()}\n`, stderr: '' });
});

test('command help shows usage, summary and every option with its type and default', async () => {
  const help = [
    'Usage: normality train <data-dir> [options]',
    '',
    'Train a detector on normal data.',
    '',
    'Options:',
    '  --model <memae|mnad>          Model to train. (required)',
    '  --seed <n>                    Random seed. (default: 1)',
    '  --[no-]quiet                  No progress bar.',
    '  train: Training loop: how many passes over the data, and how large a step.',
    '  --train.epochs <integer>      Passes over the data. (default: 10)',
    '  --train.batch-size <integer>  Samples per step. (default: 32)',
    "  --config <path>               JSON or YAML file of options (same names; sections as nested mappings). Several are layered in order, a later file's keys replacing an earlier's; flags override them all. (repeatable)",
    '  -h, --help                    Show this help.',
    '',
  ].join('\n');
  assert.deepEqual(await run(['train', '--help']), { code: 0, stdout: help, stderr: '' });
  const viaHelp = await run(['help', 'train']);
  assert.match(viaHelp.stdout, /^Usage: normality train <data-dir> \[options\]\n/);
});

test('flags over config file over defaults reach run() merged and typed', async () => {
  const config = join(folder, 'run.yaml');
  writeFileSync(config, 'model: mnad\nseed: 5\ntrain:\n  epochs: 3\n  batch-size: 8\n');
  calls.length = 0;
  const result = await run(['train', 'data/', '--config', config, '--train.batch-size=64', '--quiet']);
  assert.deepEqual(result, { code: 0, stdout: '', stderr: '' });
  assert.deepEqual(calls, [{ opts: { model: 'mnad', seed: 5, quiet: true, train: { epochs: 3, batchSize: 64 } }, positionals: ['data/'] }]);
});

test('several config files are layered in order, a later file replacing an earlier one key by key', async () => {
  const base = join(folder, 'base.yaml');
  const local = join(folder, 'local.json');
  writeFileSync(base, 'model: mnad\nseed: 5\ntrain:\n  epochs: 3\n  batch-size: 8\n');
  writeFileSync(local, '{"seed": 6, "train": {"epochs": 4}}');
  calls.length = 0;
  assert.deepEqual(await run(['train', 'data/', '--config', base, '--config', local]), { code: 0, stdout: '', stderr: '' });
  assert.deepEqual(calls, [{ opts: { model: 'mnad', seed: 6, quiet: false, train: { epochs: 4, batchSize: 8 } }, positionals: ['data/'] }]);
});

test('bad input exits 2 with one clear line', async () => {
  assert.deepEqual(await run(['trian'], [fail(null), train]), {
    code: 2, stdout: '', stderr: "normality: Unknown command 'trian'. Did you mean 'train'? Commands: score, train. Run 'normality help' for a list.\n",
  });
  assert.deepEqual(await run(['--seed', '3']), {
    code: 2, stdout: '', stderr: 'normality: Expected a command before --seed. Commands: train. Usage: normality <command> [options].\n',
  });
  assert.deepEqual(await run(['train', '--model', 'memae', '--seed', 'ten']), {
    code: 2, stdout: '', stderr: "normality: Expected an integer for --seed but received 'ten'.\n",
  });
  assert.deepEqual(await run(['train']), {
    code: 2, stdout: '', stderr: "normality: Missing option --model for 'normality train': expected one of memae, mnad. Pass --model <value> or set 'model' in the config file.\n",
  });
  const missing = join(folder, 'missing.json');
  assert.deepEqual(await run(['train', '--config', missing]), {
    code: 2, stdout: '', stderr: `normality: Config file not found at ${missing}. Check the path given to --config.\n`,
  });
  assert.equal((await run(['help', 'nope'])).code, 2);
});

test('a NormalityError from run() prints its message (stack only with NORMALITY_DEBUG=1); other errors print the stack, code 1', async () => {
  const userError = new NormalityError('BAD_FILE', 'data/: no images found.');
  assert.deepEqual(await run(['score'], [fail(userError)]), { code: 2, stdout: '', stderr: 'normality: data/: no images found.\n' });
  const debug = await run(['score'], [fail(userError)], { NORMALITY_DEBUG: '1' });
  assert.equal(debug.code, 2);
  assert.match(debug.stderr, /^normality: data\/: no images found\.\nNormalityError: data\/: no images found\.\n {4}at /);
  const wrapped = new NormalityError('NATIVE', 'conv2d failed.', { cause: new Error('CUDA out of memory') });
  assert.match((await run(['score'], [fail(wrapped)], { NORMALITY_DEBUG: '1' })).stderr, /\nCaused by: Error: CUDA out of memory\n {4}at /);
  assert.equal((await run(['score'], [fail(wrapped)])).stderr, 'normality: conv2d failed.\n');
  const bug = await run(['score'], [fail(new TypeError('x is undefined'))]);
  assert.equal(bug.code, 1);
  assert.match(bug.stderr, /^TypeError: x is undefined\n {4}at /);
  assert.deepEqual(await run(['score'], [fail('thrown string')]), { code: 1, stdout: '', stderr: 'thrown string\n' });
});

test('the normality command prints an error of loading the addon (a bad NORMALITY_THREADS) as one line, code 2', () => {
  const bin = fileURLToPath(new URL('../../bin/normality.js', import.meta.url));
  const result = spawnSync(process.execPath, [bin, '--version'], { env: { ...process.env, NORMALITY_THREADS: 'many' }, encoding: 'utf8' });
  assert.equal(result.status, 2);
  assert.equal(result.stdout, '');
  assert.match(result.stderr, /^normality: Expected a positive integer, at most \d+ \(4 per core; this machine has \d+\), for the environment variable NORMALITY_THREADS but received 'many'\. Unset it to use every core\.\n$/);
});

test('a reader that closes the pipe early (`| head`) stops the command quietly, without a stack trace', async () => {
  const bin = fileURLToPath(new URL('../../bin/normality.js', import.meta.url));
  const child = spawn(process.execPath, [bin, 'train', '--help'], { env: { ...process.env, NORMALITY_JEMALLOC: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.destroy(); // before the command writes: its first write meets a closed pipe (EPIPE)
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  const [code] = await once(child, 'exit');
  assert.equal(stderr, '');
  assert.equal(code, 0);
});

/** The pid of `parent`'s first child process, once it has one (Linux: from /proc). */
async function childOf(parent: number): Promise<number> {
  for (let tries = 0; tries < 200; tries++) {
    const children = readFileSync(`/proc/${parent}/task/${parent}/children`, 'utf8').trim();
    if (children) return Number(children.split(' ')[0]);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`process ${parent} started no child`);
}

/** Whether process `pid` is gone within 30 seconds (it notices between training steps, after loading its data). */
async function ends(pid: number): Promise<boolean> {
  for (let tries = 0; tries < 600; tries++) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

const jemalloc = ['/usr/lib/x86_64-linux-gnu/libjemalloc.so.2', '/usr/lib/aarch64-linux-gnu/libjemalloc.so.2', '/usr/lib64/libjemalloc.so.2'].some(existsSync);
test('a signal to the normality command alone (kill PID, a supervisor) stops the process it runs with jemalloc', { skip: !jemalloc && 'jemalloc is not installed, so the command runs in one process' }, async () => {
  const bin = fileURLToPath(new URL('../../bin/normality.js', import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), 'normality-signal-'));
  try {
    for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
      const launcher = spawn(process.execPath, [bin, 'train', 'memae', '--max-train', '2000', '--epochs', '50', '--threads', '1', '--quiet', '--out', join(dir, 'm.safetensors')],
        { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NORMALITY_JEMALLOC: '' } });
      let stderr = '';
      launcher.stderr.on('data', (chunk) => { stderr += chunk; });
      const worker = await childOf(launcher.pid!);
      launcher.kill(signal);
      const [, by] = await once(launcher, 'exit');
      assert.equal(by, signal);
      assert.ok(await ends(worker), `after ${signal} to the command, the process training under it stops too`);
      if (signal === 'SIGTERM') assert.match(stderr, /^normality: stopped \(SIGTERM\)\. The same command goes on from the last epoch it finished/m);
    }
    // A signal that comes while the launcher starts the command is passed on too: killed the moment its
    // command process exists, the launcher still stops that process and says so (it used to die alone).
    for (let round = 0; round < 3; round++) {
      const early = spawn(process.execPath, [bin, 'train', '--help'], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NORMALITY_JEMALLOC: '' } });
      let said = '';
      early.stderr.on('data', (chunk) => { said += chunk; });
      while (!readFileSync(`/proc/${early.pid}/task/${early.pid}/children`, 'utf8').trim()) { /* the moment its child exists */ }
      early.kill('SIGTERM');
      await once(early, 'close');
      assert.match(said, /^normality: stopped \(SIGTERM\)/m, `round ${round}: the launcher passed the signal on`);
    }
    // A reproduce without a --checkpoint ledger keeps nothing, and says so rather than promising a resume.
    const reproduce = spawn(process.execPath, [bin, 'reproduce', 'memae-mnist', '--quick', '--jobs', '1', '--threads', '1', '--quiet', '--out', join(dir, 'r.json')],
      { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NORMALITY_JEMALLOC: '' } });
    let stderr = '';
    reproduce.stderr.on('data', (chunk) => { stderr += chunk; });
    await childOf(reproduce.pid!);
    reproduce.kill('SIGTERM');
    await once(reproduce, 'close'); // after its stderr has ended
    assert.match(stderr, /^normality: stopped \(SIGTERM\)\. Nothing was kept: reproduce keeps its finished runs only with --checkpoint <path>/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('registry mistakes are bugs (code 1)', async () => {
  const twice = await run(['--help'], [train, train]);
  assert.equal(twice.code, 1);
  assert.match(twice.stderr, /^Error: Command name 'train' is reserved or registered twice\./);
  const withConfig = defineCommand({ name: 'x', summary: '', options: [{ name: 'config', type: 'string', description: '' }], async run() {} });
  assert.match((await run(['--help'], [withConfig])).stderr, /defines an option named 'config' or 'help'/);
});

test('the real registry holds only commands and its help works', async () => {
  for (const [key, value] of Object.entries(registered)) {
    assert.ok(typeof value === 'object' && value !== null && 'run' in value, `commands/index.ts export '${key}' is not a command`);
  }
  const streams = io();
  assert.equal(await main(['--help'], streams.context), 0);
});
