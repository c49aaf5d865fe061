import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NormalityError } from '../errors.js';
import { writeFileAtomic } from './atomic.js';

function withTempDir(body: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'normality-atomic-'));
  try {
    body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const text = (value: string): Uint8Array => new TextEncoder().encode(value);

test('writes one array, creating missing parent folders, and leaves no temporary file', () => {
  withTempDir((dir) => {
    const path = join(dir, 'a', 'b', 'model.safetensors');
    writeFileAtomic(path, text('hello'));
    assert.equal(readFileSync(path, 'utf8'), 'hello');
    assert.deepEqual(readdirSync(join(dir, 'a', 'b')), ['model.safetensors']);
  });
});

test('temporaries a killed writer left beside the target are removed at the next write; a running writer\'s stay', () => {
  withTempDir((dir) => {
    const path = join(dir, 'm.safetensors.training');
    // pid 999999999 is beyond Linux's pid_max: no process has it.
    const [stale, staleResults, running, otherFile] = ['m.safetensors.training.tmp-999999999-0123456789ab', 'm.safetensors.training.999999999.0123abcd.tmp',
      `m.safetensors.training.tmp-${process.pid}-ba9876543210`, 'other.safetensors.tmp-999999999-0123456789ab'];
    for (const name of [stale, staleResults, running, otherFile]) writeFileSync(join(dir, name), 'partial');
    writeFileAtomic(path, text('epoch 2'));
    assert.deepEqual(readdirSync(dir).sort(), ['m.safetensors.training', otherFile, running].sort());
  });
});

test('writes a list of chunks in order and replaces an existing file', () => {
  withTempDir((dir) => {
    const path = join(dir, 'model.safetensors');
    writeFileSync(path, 'old contents');
    writeFileAtomic(path, [text('ab'), new Uint8Array(0), text('cd'), text('e')]);
    assert.equal(readFileSync(path, 'utf8'), 'abcde');
    assert.deepEqual(readdirSync(dir), ['model.safetensors']);
  });
});

test('streams chunks from a generator without joining them, including views into larger buffers', () => {
  withTempDir((dir) => {
    const path = join(dir, 'big.bin');
    const backing = new Uint8Array(3 << 20).map((_, i) => i % 251);
    function* chunks(): Generator<Uint8Array> {
      for (let start = 0; start < backing.byteLength; start += 1 << 20) yield backing.subarray(start, start + (1 << 20));
    }
    writeFileAtomic(path, chunks());
    assert.ok(Buffer.from(readFileSync(path)).equals(Buffer.from(backing)));
  });
});

test('a failure midway keeps the old file intact, removes the temporary file and rethrows the error', () => {
  withTempDir((dir) => {
    const path = join(dir, 'model.safetensors');
    writeFileSync(path, 'trained weights');
    const boom = new Error('tensor read failed');
    function* failing(): Generator<Uint8Array> {
      yield text('partial ');
      yield text('data ');
      throw boom;
    }
    assert.throws(() => writeFileAtomic(path, failing()), (error) => error === boom);
    assert.equal(readFileSync(path, 'utf8'), 'trained weights');
    assert.deepEqual(readdirSync(dir), ['model.safetensors']);
  });
});

test('a chunk that is not a Uint8Array is refused and nothing is left behind', () => {
  withTempDir((dir) => {
    const path = join(dir, 'model.safetensors');
    assert.throws(() => writeFileAtomic(path, [text('ok'), 'text' as never]), {
      name: 'NormalityError',
      code: 'INVALID_ARGUMENT',
      message: "Expected a Uint8Array for chunk 1 of data but received 'text' of type string. Pass Uint8Array chunks only.",
    });
    assert.deepEqual(readdirSync(dir), []);
    assert.throws(() => writeFileAtomic(path, 42 as never), {
      message: 'Expected a Uint8Array or an iterable of Uint8Array chunks for data but received 42 of type number.',
    });
  });
});

test('writing onto a folder is refused before anything is written', () => {
  withTempDir((dir) => {
    const path = join(dir, 'taken');
    mkdirSync(path);
    assert.throws(() => writeFileAtomic(path, text('x')), {
      name: 'NormalityError',
      code: 'BAD_FILE',
      message: `${path}: is a folder, not a file. Pass a file path such as model.safetensors.`,
    });
    assert.deepEqual(readdirSync(dir), ['taken']);
  });
});

test('a system error names the path without Node internals', () => {
  withTempDir((dir) => {
    writeFileSync(join(dir, 'file'), '');
    const path = join(dir, 'file', 'model.safetensors');
    assert.throws(() => writeFileAtomic(path, text('x')), (error: unknown) => {
      assert.ok(error instanceof NormalityError);
      assert.equal(error.code, 'BAD_FILE');
      assert.ok(error.message.startsWith(`${path}: could not be written (E`), error.message);
      assert.ok(!error.message.includes("mkdir '"), error.message);
      assert.ok(
        error.message.endsWith('A part of that path is a file, not a folder; pick another path. Any previous file there is unchanged.'),
        error.message,
      );
      return true;
    });
  });
});

test('through a symlink, the linked file is replaced and the link is kept', { skip: process.platform === 'win32' && 'symlinks need privileges' }, () => {
  withTempDir((dir) => {
    const real = join(dir, 'runs', 'v3.safetensors');
    mkdirSync(join(dir, 'runs'));
    writeFileSync(real, 'old');
    const link = join(dir, 'latest.safetensors');
    symlinkSync(real, link);
    writeFileAtomic(link, text('new'));
    assert.ok(lstatSync(link).isSymbolicLink());
    assert.equal(readFileSync(real, 'utf8'), 'new');
    assert.deepEqual(readdirSync(join(dir, 'runs')), ['v3.safetensors']);
  });
});

test('re-saving keeps the permission bits of the old file', { skip: process.platform === 'win32' && 'no POSIX modes' }, () => {
  withTempDir((dir) => {
    const path = join(dir, 'model.safetensors');
    writeFileSync(path, 'old');
    chmodSync(path, 0o640);
    writeFileAtomic(path, text('new'));
    assert.equal(statSync(path).mode & 0o777, 0o640);
    assert.equal(readFileSync(path, 'utf8'), 'new');
  });
});
