import { test } from 'node:test';
import assert from 'node:assert/strict';
import { linePath, niceTicks, svgChart, tickText } from './svg-chart.js';

test('ticks are round numbers, 1, 2 or 5 times a power of ten apart, inside the range', () => {
  assert.deepEqual(niceTicks(0, 1), [0, 0.2, 0.4, 0.6, 0.8, 1]);
  assert.deepEqual(niceTicks(0.013, 0.27), [0.05, 0.1, 0.15, 0.2, 0.25]);
  assert.deepEqual(niceTicks(-3, 17, 4), [0, 5, 10, 15]);
  assert.deepEqual(niceTicks(2, 2), [2], 'an empty range has its one value');
  assert.equal(tickText(0.15, 0.05), '0.15');
  assert.equal(tickText(10, 5), '10');
  assert.equal(tickText(0.00002, 0.00001), '2.0e-5');
  assert.equal(tickText(0, 0.1), '0');
});

test('a line keeps its ends, drops points within half a pixel of the last one kept, and breaks at NaN', () => {
  const n = 100_000;
  const xs = Float64Array.from({ length: n }, (_, i) => i / (n - 1));
  const scale = (v: number) => v * 400;
  const d = linePath(xs, xs, scale, scale);
  const points = d.match(/[ML][^ML]+/g)!;
  assert.ok(points.length > 100 && points.length < 1200, `${points.length} points for a 400-pixel diagonal`);
  assert.equal(points[0], 'M0 0');
  assert.equal(points.at(-1), 'L400 400');
  const broken = linePath([0, 1, 2, 3, 4], [1, 2, NaN, 3, 4], scale, scale);
  assert.equal(broken, 'M0 400L400 800M1200 1200L1600 1600');
});

test('a chart escapes its text and leaves out a marker outside its range', () => {
  const svg = svgChart({
    title: 'scores of <b>&', x: { label: 'x"', min: 0, max: 1 }, y: { label: 'y', min: 0, max: 1 },
    lines: [{ label: 'a', colour: 'red', x: [0, 1], y: [0, 1] }],
    bars: [{ label: 'b', colour: 'blue', edges: [0, 0.5, 1], heights: [0.2, 0] }],
    bands: { label: 'c', colour: 'green', intervals: [{ from: 0.25, to: 0.5 }] },
    markers: [{ label: 'inside', colour: 'black', x: 0.5 }, { label: 'outside', colour: 'black', x: 2 }],
  });
  assert.match(svg, /^<svg [^>]*>.*<\/svg>$/s);
  assert.match(svg, /scores of &lt;b&gt;&amp;/);
  assert.match(svg, /x&quot;/);
  assert.ok(!svg.includes('<b>'));
  assert.match(svg, />inside</);
  assert.ok(!svg.includes('outside'), 'a marker off the axis is neither drawn nor listed');
  assert.equal(svg.match(/fill-opacity="0.45"/g)?.length, 1, 'one bar: the empty one is not drawn');
  assert.equal(svg.match(/fill-opacity="0.25"/g)?.length, 1, 'one band');
  assert.ok(!/NaN|Infinity/.test(svg));
});
