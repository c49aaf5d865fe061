#!/usr/bin/env node
// A compact copy of a video frame dataset at its training resolution (src/data/video/pack.ts), to carry to
// a GPU machine a part at a time:
//
//   node scripts/pack-frames.mjs <root> <out> [--size 256] [--channels 1] [--quality 80] [--split train|test]
//
// e.g. node scripts/pack-frames.mjs ../shared/data/ucsd-ped2 .device/ped2-256 (needs `npm run build:ts` first).
// Frames are gray by default: MNAD reads gray frames as RGB with three equal channels, the same as Ped2's own.
import { parseArgs } from 'node:util';
import { packFrames } from '../dist/data/video/pack.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { size: { type: 'string', default: '256' }, channels: { type: 'string', default: '1' }, quality: { type: 'string', default: '80' }, split: { type: 'string' } },
});
const [root, out] = positionals;
if (!root || !out) {
  console.error('usage: node scripts/pack-frames.mjs <root> <out> [--size 256] [--channels 1] [--quality 80] [--split train|test]');
  process.exit(2);
}
const size = Number(values.size);
const started = performance.now();
try {
  const report = packFrames(root, out, {
    width: size, height: size, channels: Number(values.channels), quality: Number(values.quality),
    splits: values.split ? [values.split] : ['train', 'test'],
    onVideo: (split, name, frames) => console.error(`${split} ${name}: ${frames} frames`),
  });
  console.log(`packed ${report.frames} frames of ${root} into ${out}: ${(report.bytes / 2 ** 20).toFixed(1)} MiB of JPEGs at ${size}×${size}, ` +
    `mean absolute difference ${report.meanAbsoluteError.toFixed(3)} grey levels from the loader's frames of the originals; ` +
    `labels: ${report.labels.join(', ') || 'none'}; ${((performance.now() - started) / 1000).toFixed(1)} s`);
} catch (error) {
  console.error(`pack-frames: ${error.message}`);
  process.exit(2);
}
