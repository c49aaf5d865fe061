#!/usr/bin/env node
// Runs every compiled test file (dist/**/*.test.js) with Node's test runner. Pass folder names to
// run a subset: `node scripts/run-tests.mjs tensor nn`.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function find(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return find(path);
    return name.endsWith('.test.js') ? [path] : [];
  });
}

const only = process.argv.slice(2);
const files = find('dist').filter((f) => only.length === 0 || only.some((o) => f.startsWith(join('dist', o))));
if (files.length === 0) {
  console.error('no test files found under dist/: run npm run build:ts first');
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
