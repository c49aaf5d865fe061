import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDuration, formatMetric, progress, type ProgressStream } from './progress.js';

/** A stream that records writes, and a clock the test moves by hand. */
function fakes(isTTY: boolean, columns?: number) {
  const writes: string[] = [];
  const stream: ProgressStream = { isTTY, columns, write: (text: string) => writes.push(text) };
  const clock = { ms: 0 };
  return { writes, stream, clock, now: () => clock.ms };
}

test('non-TTY: one plain line per 10% step and a final line, nothing in between', () => {
  const { writes, stream, clock, now } = fakes(false);
  const bar = progress({ total: 100, label: 'train', stream, now });
  for (let i = 0; i < 100; i++) {
    clock.ms += 10;
    bar.tick(1, { loss: 1 / (i + 1) });
  }
  bar.done();
  assert.equal(writes.length, 10);
  assert.equal(writes[0], 'train   10%  10/100  100 it/s  eta 0.9s  loss=0.1\n');
  assert.equal(writes[8], 'train   90%  90/100  100 it/s  eta 0.1s  loss=0.01111\n');
  assert.equal(writes[9], 'train  100%  100/100  100 it/s  in 1.0s  loss=0.01\n');
});

test('non-TTY: a slow run also prints every plainEverySeconds', () => {
  const { writes, stream, clock, now } = fakes(false);
  const bar = progress({ total: 1000, stream, now, plainEverySeconds: 5, unit: 'img' });
  for (let i = 0; i < 20; i++) {
    clock.ms += 1000;
    bar.tick();
  }
  assert.deepEqual(writes, [
    '  0%  5/1000  1.00 img/s  eta 16:35\n',
    '  1%  10/1000  1.00 img/s  eta 16:30\n',
    '  1%  15/1000  1.00 img/s  eta 16:25\n',
    '  2%  20/1000  1.00 img/s  eta 16:20\n',
  ]);
});

test('startedAt: a bar made after its first item counts the speed from when the work began', () => {
  const { writes, stream, clock, now } = fakes(false);
  clock.ms = 1000;
  const bar = progress({ total: 2, label: 'fit', stream, now, startedAt: 0 });
  bar.tick();
  clock.ms = 2000;
  bar.tick();
  bar.done();
  assert.equal(writes.at(-1), 'fit  100%  2/2  1.00 it/s  in 2.0s\n');
});

test('unknown total: count and speed only', () => {
  const { writes, stream, clock, now } = fakes(false);
  const bar = progress({ label: 'scan', stream, now });
  clock.ms = 2000;
  bar.tick(50);
  bar.done({ files: 50 });
  assert.deepEqual(writes, ['scan  50  25.0 it/s  in 2.0s  files=50\n']);
});

test('TTY: redraws in place at most every redrawMs, fits the width, ends with a newline', () => {
  const { writes, stream, clock, now } = fakes(true, 100);
  const bar = progress({ total: 4, label: 'epoch 1', stream, now });
  clock.ms = 50;
  bar.tick();
  assert.equal(writes.length, 0, 'too soon to redraw');
  clock.ms = 150;
  bar.tick(1, { loss: 0.5 });
  assert.equal(writes[0], '\repoch 1  [==========>         ]   50%  2/4  13.3 it/s  eta 0.1s  loss=0.5\x1b[K');
  bar.log('checkpoint saved');
  assert.equal(writes[1], '\r\x1b[Kcheckpoint saved\n');
  assert.match(writes[2], /^\repoch 1 {2}\[/);
  clock.ms = 200;
  bar.tick(2);
  bar.done();
  assert.equal(writes.at(-1), '\repoch 1  [====================]  100%  4/4  20.0 it/s  in 0.2s  loss=0.5\x1b[K\n');
});

test('TTY: a narrow terminal loses the bar graphic first, then the end of the line', () => {
  const { writes, stream, clock, now } = fakes(true, 50);
  const bar = progress({ total: 4, label: 'epoch 1', stream, now });
  clock.ms = 1000;
  bar.tick(2, { loss: 0.5 });
  assert.equal(writes[0], '\repoch 1   50%  2/4  2.00 it/s  eta 1.0s  loss=0.5\x1b[K');
  bar.tick(0, { loss: 0.5, auroc: 0.75 });
  clock.ms = 2000;
  bar.tick(0);
  // With auroc added the line is too long even without the graphic: the end is cut.
  assert.equal(writes[1], '\repoch 1   50%  2/4  1.00 it/s  eta 2.0s  loss=0.5\x1b[K');
});

test('silent bars count but write nothing; done() twice writes once', () => {
  const quiet = fakes(false);
  const bar = progress({ total: 10, stream: quiet.stream, now: quiet.now, silent: true });
  bar.tick(10);
  bar.log('hidden');
  bar.done();
  assert.equal(bar.count, 10);
  assert.deepEqual(quiet.writes, []);
  const loud = fakes(false);
  const other = progress({ total: 1, stream: loud.stream, now: loud.now });
  other.done();
  other.done();
  other.tick();
  assert.equal(loud.writes.length, 1);
});

test('a bad total is rejected with the usual message', () => {
  assert.throws(() => progress({ total: -1 }), {
    message: 'Expected a finite number >= 0 (or leave it out when unknown) for total but received -1 of type number.',
  });
});

test('tick is cheap: a million ticks well under a second', () => {
  const { stream } = fakes(false);
  const bar = progress({ total: 1_000_000, stream });
  const start = performance.now();
  for (let i = 0; i < 1_000_000; i++) bar.tick(1, undefined);
  bar.done();
  assert.ok(performance.now() - start < 1000, `took ${performance.now() - start} ms`);
});

test('number formats', () => {
  assert.equal(formatMetric(0.0123), '0.0123');
  assert.equal(formatMetric(0.123456), '0.1235');
  assert.equal(formatMetric(12345.678), '12350');
  assert.equal(formatMetric(0.00001234), '1.234e-5');
  assert.equal(formatMetric(3), '3');
  assert.equal(formatMetric(NaN), 'NaN');
  assert.equal(formatMetric('warmup'), 'warmup');
  assert.equal(formatDuration(4.24), '4.2s');
  assert.equal(formatDuration(65), '1:05');
  assert.equal(formatDuration(7384), '2:03:04');
  assert.equal(formatDuration(Infinity), '?');
});
