import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeFolders } from './folders.js';

test('makeFolders makes every missing level, accepts an existing folder, and refuses at once where it cannot', () => {
  const dir = mkdtempSync(join(tmpdir(), 'normality-folders-'));
  try {
    const deep = join(dir, 'a', 'b', 'c');
    makeFolders(deep);
    assert.ok(statSync(deep).isDirectory());
    makeFolders(deep);
    const file = join(dir, 'file');
    writeFileSync(file, '');
    assert.throws(() => makeFolders(join(file, 'x')), { code: 'ENOTDIR' });
    if (existsSync('/proc/self')) {
      // Node's own recursive mkdir never returns here.
      const started = performance.now();
      assert.throws(() => makeFolders('/proc/normality-test/x'), { code: 'ENOENT' });
      assert.ok(performance.now() - started < 1000);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
