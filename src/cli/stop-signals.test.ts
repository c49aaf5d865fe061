// A live recording scored online ends when the user stops it: the command, run as a user runs it, gets SIGINT
// while ffmpeg (a stand-in that sends frames and then waits, as a camera between frames) still runs. The rows
// scored so far are the result, under the name asked for.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { FrameVideo } from '../detector/video.js';
import { MnadDetector } from '../models/mnad/index.js';

const SIZE = 16;
const FRAMES_SENT = 5;

/** Frames of a square moving one pixel a frame, in [−1, 1]. */
function movingSquare(name: string, frames: number): FrameVideo {
  const frame = 3 * SIZE * SIZE;
  const data = new Float32Array(frames * frame).fill(-1);
  for (let f = 0; f < frames; f++) {
    for (let c = 0; c < 3; c++) for (let y = 4; y < 10; y++) for (let x = f % 8; x < (f % 8) + 6; x++) data[f * frame + c * SIZE * SIZE + y * SIZE + x] = 1;
  }
  return { name, length: frames, frames: (s, n) => data.subarray(s * frame, (s + n) * frame) };
}

/** An `ffmpeg` that describes a 16×16 output, sends FRAMES_SENT grey frames, then waits; its pid in ffmpeg.pid. */
function liveFfmpeg(dir: string): string {
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  const path = join(bin, 'ffmpeg');
  writeFileSync(path, `#!${process.execPath}
require('node:fs').writeFileSync(${JSON.stringify(join(dir, 'ffmpeg.pid'))}, String(process.pid));
process.stderr.write("Input #0, mpegts, from 'live.ts':\\n  Stream #0:0: Video: mpeg2video, yuv420p, ${SIZE}x${SIZE}, 25 fps\\n");
process.stderr.write("Output #0, rawvideo, to 'pipe:':\\n  Stream #0:0: Video: rawvideo (RGB[24] / 0x18424752), rgb24(pc, progressive), ${SIZE}x${SIZE}, q=2-31, 25 fps\\n");
for (let f = 0; f < ${FRAMES_SENT}; f++) process.stdout.write(Buffer.alloc(${3 * SIZE * SIZE}, 40 * f));
setInterval(() => {}, 1000);
`);
  chmodSync(path, 0o755);
  return bin;
}

/** The lines written so far to `<out>.partial-<pid>`, the file the command writes before it is done. */
function partialLines(out: string): number {
  const dir = join(out, '..');
  const partial = readdirSync(dir).find((name) => name.startsWith('scores.csv.partial-'));
  return partial === undefined ? 0 : readFileSync(join(dir, partial), 'utf8').split('\n').length - 1;
}

test('score --video stopped by SIGINT keeps the rows scored so far, stops ffmpeg and exits 130', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'normality-stop-'));
  try {
    const model = join(dir, 'mnad.safetensors');
    const detector = new MnadDetector({ variant: 'recon', height: SIZE, width: SIZE, epochs: 1, featureDim: 32, seed: 1 });
    try {
      await detector.fit({ videos: [movingSquare('a', 6)], channels: 3, height: SIZE, width: SIZE });
      await detector.save(model);
    } finally {
      detector.dispose();
    }
    const video = join(dir, 'live.ts');
    writeFileSync(video, 'stands in for a live stream: the fake ffmpeg does not read it');
    const out = join(dir, 'scores.csv');
    const bin = fileURLToPath(new URL('../../bin/normality.js', import.meta.url));
    const command = spawn(process.execPath, [bin, 'score', model, '--video', video, '--out', out, '--threads', '1'], {
      stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PATH: `${liveFfmpeg(dir)}${delimiter}${process.env.PATH}` },
    });
    let output = '';
    command.stdout.on('data', (chunk) => { output += chunk; });
    command.stderr.on('data', (chunk) => { output += chunk; });
    const exited = once(command, 'exit');
    // The rows come out as the frames are scored, while ffmpeg waits for more.
    for (let tries = 0; partialLines(out) < 1 + FRAMES_SENT; tries++) {
      assert.ok(tries < 1000, `the command wrote no row for each frame sent; it printed: ${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    command.kill('SIGINT');
    const [code] = await exited;
    assert.equal(code, 130, output);
    assert.match(output, new RegExp(`stopped \\(SIGINT\\) after reading ${FRAMES_SENT} frames of .*live\\.ts online and scored ${FRAMES_SENT}; wrote .*scores\\.csv`));
    const rows = readFileSync(out, 'utf8').trim().split('\n');
    assert.equal(rows[0], 'frame,score,prediction,psnr,distance,updated'); // saved from the library without a threshold: empty predictions
    assert.deepEqual(rows.slice(1).map((row) => Number(row.split(',')[0])), [0, 1, 2, 3, 4]);
    assert.ok(rows.slice(1).every((row) => Number.isFinite(Number(row.split(',')[1]))), 'every frame has its score');
    assert.deepEqual(readdirSync(dir).filter((name) => name.includes('.partial-')), [], 'no half-written file is left');
    const ffmpeg = Number(readFileSync(join(dir, 'ffmpeg.pid'), 'utf8'));
    assert.ok(!existsSync(`/proc/${ffmpeg}`) || readFileSync(`/proc/${ffmpeg}/stat`, 'utf8').split(' ')[2] === 'Z', 'ffmpeg was stopped');
  } finally {
    // A failed run could leave the stand-in waiting for ever.
    try {
      const pid = Number(readFileSync(join(dir, 'ffmpeg.pid'), 'utf8'));
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dir)) process.kill(pid, 'SIGKILL');
    } catch { /* not started, or already gone */ }
    rmSync(dir, { recursive: true, force: true });
  }
});
