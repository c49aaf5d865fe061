import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { cacheRoot, extractArchive, readCacheFile, writeCacheFile } from './cache.js';
import { tempDir } from './fixtures/helpers.js';

const tmp = tempDir('cache');
after(tmp.remove);

test('cacheRoot follows NORMALITY_CACHE', () => {
  const saved = process.env.NORMALITY_CACHE;
  process.env.NORMALITY_CACHE = join(tmp.dir, 'c');
  try {
    assert.equal(cacheRoot(), join(tmp.dir, 'c'));
    delete process.env.NORMALITY_CACHE;
    assert.match(cacheRoot(), /\.cache[/\\]normality$/);
  } finally {
    if (saved !== undefined) process.env.NORMALITY_CACHE = saved;
  }
});

test('cache files round-trip and leave no partial files; damaged ones read as missing', () => {
  const path = join(tmp.dir, 'sub', 'entry.bin');
  writeCacheFile(path, { n: 2 }, [Uint8Array.from([1, 2]), Uint8Array.from([3])]);
  const back = readCacheFile(path)!;
  assert.deepEqual(back.header, { n: 2 });
  assert.deepEqual([...back.payload], [1, 2, 3]);
  assert.deepEqual(readdirSync(join(tmp.dir, 'sub')), ['entry.bin']);
  writeFileSync(path, 'garbage');
  assert.equal(readCacheFile(path), undefined);
  assert.equal(readCacheFile(join(tmp.dir, 'none.bin')), undefined);
});

test('a broken archive is an error that says how to fix it, and leaves no cache entry', () => {
  const saved = process.env.NORMALITY_CACHE;
  process.env.NORMALITY_CACHE = join(tmp.dir, 'cache');
  try {
    const archive = join(tmp.dir, 'broken.tar.gz');
    writeFileSync(archive, 'not a tarball');
    assert.throws(() => extractArchive(archive), {
      message: /^.*broken\.tar\.gz: could not be extracted with tar -xzf \(.+\)\. Check that the archive is complete and that tar \(and xz for \.xz files\) is installed, e\.g\. apt-get install tar xz-utils\.$/s,
    });
    const extracted = join(tmp.dir, 'cache', 'extracted');
    assert.ok(!existsSync(extracted) || readdirSync(extracted).length === 0);
    assert.throws(() => extractArchive(join(tmp.dir, 'x.zip')), { message: `${join(tmp.dir, 'x.zip')}: is not a tar archive: expected a name ending in .tar.xz, .txz, .tar.gz, .tgz, .tar.bz2, .tar.` });
  } finally {
    if (saved === undefined) delete process.env.NORMALITY_CACHE;
    else process.env.NORMALITY_CACHE = saved;
  }
});

test('a changed archive is extracted again and its earlier extraction removed; a same-named archive elsewhere is kept', () => {
  const saved = process.env.NORMALITY_CACHE;
  process.env.NORMALITY_CACHE = join(tmp.dir, 'cache-versions');
  try {
    const makeArchive = (folder: string, text: string) => {
      mkdirSync(join(folder, 'content'), { recursive: true });
      writeFileSync(join(folder, 'content', 'a.txt'), text);
      const archive = join(folder, 'data.tar.gz');
      assert.equal(spawnSync('tar', ['-czf', archive, '-C', join(folder, 'content'), 'a.txt']).status, 0);
      return archive;
    };
    const archive = makeArchive(join(tmp.dir, 'v'), 'first');
    const other = makeArchive(join(tmp.dir, 'elsewhere'), 'other');
    const first = extractArchive(archive);
    const elsewhere = extractArchive(other);
    assert.equal(extractArchive(archive), first, 'unchanged: the same entry');
    utimesSync(archive, new Date(), new Date(Date.now() + 60_000));
    const second = extractArchive(archive);
    assert.notEqual(second, first);
    assert.equal(readFileSync(join(second, 'a.txt'), 'utf8'), 'first');
    assert.ok(!existsSync(first), 'the earlier extraction of the same archive is gone');
    assert.ok(existsSync(elsewhere), 'an archive of the same name at another path keeps its entry');
  } finally {
    if (saved === undefined) delete process.env.NORMALITY_CACHE;
    else process.env.NORMALITY_CACHE = saved;
  }
});
