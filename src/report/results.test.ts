import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeResults } from './results.js';
import { libraryVersion } from './version.js';

const folder = mkdtempSync(join(tmpdir(), 'normality-results-'));
after(() => rmSync(folder, { recursive: true, force: true }));

test('creates folders, writes results with metadata, leaves no temporary file', async () => {
  const path = join(folder, 'deep', 'er', 'run.json');
  const options = { model: 'memae', train: { epochs: 3 } };
  const written = await writeResults(path, { auroc: 0.9, scores: new Float32Array([0.5, 1]), bad: NaN, far: -Infinity }, {
    seed: 7, options, command: ['normality', 'train', '--epochs', '3'],
  });
  const read = JSON.parse(readFileSync(path, 'utf8'));
  assert.deepEqual(read.results, { auroc: 0.9, scores: [0.5, 1], bad: null, far: '-Infinity' });
  assert.deepEqual(read.meta.command, ['normality', 'train', '--epochs', '3']);
  assert.equal(read.meta.seed, 7);
  assert.deepEqual(read.meta.options, options);
  assert.equal(read.meta.version, JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version);
  assert.equal(read.meta.version, libraryVersion());
  assert.equal(read.meta.node, process.version);
  assert.ok(!Number.isNaN(Date.parse(read.meta.timestamp)));
  assert.equal(written.meta.timestamp, read.meta.timestamp);
  assert.deepEqual(readdirSync(join(folder, 'deep', 'er')), ['run.json']);
});

test('replaces an existing file whole; seed and options default to null', async () => {
  const path = join(folder, 'again.json');
  writeFileSync(path, 'x'.repeat(10_000));
  await writeResults(path, [1, 2]);
  const read = JSON.parse(readFileSync(path, 'utf8'));
  assert.deepEqual(read.results, [1, 2]);
  assert.equal(read.meta.seed, null);
  assert.equal(read.meta.options, null);
});

test('a path that cannot be written gives a BAD_FILE error and cleans up', async () => {
  const path = join(folder, 'taken');
  mkdirSync(join(path, 'inside'), { recursive: true });
  await assert.rejects(writeResults(path, {}), {
    code: 'BAD_FILE',
    message: `${path}: is a folder, not a file. Pass a file path such as model.safetensors.`,
  });
  assert.deepEqual(readdirSync(folder).filter((name) => name.includes('.tmp')), []);
  assert.deepEqual(readdirSync(path), ['inside']);
});
