// The temporary folders of reproduce --jobs go when the process stops, by a signal too (no `finally` runs then).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const jobs = new URL('./jobs.js', import.meta.url).href;
const bin = fileURLToPath(new URL('../../bin/normality.js', import.meta.url));

/** A process that makes a temporary folder, says its path, then waits (or exits with 3 when `exits`). */
function holder(exits: boolean) {
  const code = `import { temporaryFolder } from ${JSON.stringify(jobs)};
    console.log(temporaryFolder('normality-test-').path);
    ${exits ? 'process.exit(3);' : 'setInterval(() => {}, 1000);'}`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk) => { out += chunk; });
  const path = new Promise<string>((resolve) => child.stdout.on('data', () => out.includes('\n') && resolve(out.trim())));
  return { child, path };
}

test('a temporary folder is removed when its process exits or is stopped by SIGTERM or SIGINT, and the signal still ends the process', async () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    const { child, path } = holder(false);
    const folder = await path;
    assert.ok(existsSync(folder));
    child.kill(signal);
    const [code, by] = await once(child, 'exit');
    assert.deepEqual([code, by], [null, signal], 'the exit status names the signal, as without the handler');
    assert.ok(!existsSync(folder), `${folder} is gone after ${signal}`);
  }
  const { child, path } = holder(true);
  const folder = await path;
  const [code] = await once(child, 'exit');
  assert.equal(code, 3);
  assert.ok(!existsSync(folder), `${folder} is gone after process.exit`);
});

test('reproduce --jobs stopped by SIGTERM leaves no worker options folder behind', async () => {
  const temporary = mkdtempSync(join(tmpdir(), 'normality-jobs-test-'));
  try {
    const reproduce = spawn(process.execPath, [bin, 'reproduce', 'memae-mnist', '--quick', '--epochs', '1', '--jobs', '2', '--threads', '1', '--quiet', '--out', join(temporary, 'r.json')],
      { stdio: ['ignore', 'ignore', 'ignore'], env: { ...process.env, TMPDIR: temporary } });
    const workersFolder = () => readdirSync(temporary).some((name) => name.startsWith('normality-workers-'));
    for (let waited = 0; !workersFolder(); waited += 50) {
      assert.ok(waited < 60_000, 'the workers started');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    reproduce.kill('SIGTERM');
    await once(reproduce, 'close');
    assert.deepEqual(readdirSync(temporary).filter((name) => name.startsWith('normality-workers-')), []);
  } finally {
    rmSync(temporary, { recursive: true, force: true });
  }
});
