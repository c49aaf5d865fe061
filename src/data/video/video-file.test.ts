import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { decodeFrames, formatImageInto, frameBytes, type FrameFormat } from './frame-format.js';
import { readFrameFolder, type VideoFrame } from './frame-stream.js';
import { listFrames } from './layouts.js';
import { framePixels, HEIGHT, tempDir, WIDTH, writeFramesLayout } from './test-fixtures.js';
import { FFMPEG_MISSING, readVideoFile } from './video-file.js';

const dir = tempDir('video-file');
after(() => rmSync(dir, { recursive: true, force: true }));
const video = join(dir, 'clip.avi');
writeFileSync(video, 'stands in for a video file: the fake ffmpeg below does not read it');
const format: FrameFormat = { width: 16, height: 12, channels: 1 };

/** A stand-in for ffmpeg: describes its output as real ffmpeg does, then writes `frames` RGB frames. */
function fakeFfmpeg(name: string, frames: number, exitCode = 0, extraBytes = 0): string {
  const path = join(dir, name);
  const pixels = Array.from({ length: frames }, (_, f) => Buffer.from(framePixels(1, f)).toString('base64'));
  writeFileSync(path, `#!${process.execPath}
process.stderr.write("Input #0, avi, from 'clip.avi':\\n  Stream #0:0: Video: mjpeg (MJPG / 0x47504A4D), yuvj420p(pc), ${WIDTH}x${HEIGHT}, 25 fps\\n");
process.stderr.write("Output #0, rawvideo, to 'pipe:':\\n  Stream #0:0: Video: rawvideo (RGB[24] / 0x18424752), rgb24(pc, progressive), ${WIDTH}x${HEIGHT}, q=2-31, 25 fps\\n");
for (const frame of ${JSON.stringify(pixels)}) process.stdout.write(Buffer.from(frame, 'base64'));
process.stdout.write(Buffer.alloc(${extraBytes}));
if (${exitCode}) process.stderr.write('clip.avi: Invalid data found when processing input\\n');
process.stdout.end(() => process.exit(${exitCode}));
`);
  chmodSync(path, 0o755);
  return path;
}

/**
 * A stand-in for ffmpeg reading a live stream: writes `frames` frames, then waits for more, as a camera
 * between frames. Like ffmpeg, it stops on SIGINT with status 255. Its pid is in `<path>.pid`.
 */
function liveFfmpeg(name: string, frames: number): string {
  const path = fakeFfmpeg(name, frames);
  const script = readFileSync(path, 'utf8')
    .replace('process.stdout.end(() => process.exit(0));', 'setInterval(() => {}, 1000);')
    .replace('\n', `\nrequire('node:fs').writeFileSync(${JSON.stringify(`${path}.pid`)}, String(process.pid));
process.on('SIGINT', () => { process.stderr.write('Exiting normally, received signal 2.\\n'); process.exit(255); });\n`);
  writeFileSync(path, script);
  return path;
}

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function collect(frames: AsyncIterable<VideoFrame>, limit = Infinity): Promise<VideoFrame[]> {
  const out: VideoFrame[] = [];
  for await (const frame of frames) {
    out.push(frame);
    if (out.length >= limit) break;
  }
  return out;
}

function expectedFrame(f: number): Uint8Array {
  const out = new Uint8Array(frameBytes(format));
  formatImageInto({ width: WIDTH, height: HEIGHT, channels: 3, data: framePixels(1, f) }, format, out);
  return out;
}

describe('video files through ffmpeg', () => {
  it('says how to install ffmpeg when it is not on PATH', async () => {
    const empty = join(dir, 'empty-bin');
    mkdirSync(empty);
    const saved = process.env.PATH;
    process.env.PATH = empty;
    try {
      await assert.rejects(collect(readVideoFile(video, format)), {
        code: 'FILE_NOT_FOUND',
        message: `ffmpeg was not found on PATH; install it (sudo apt-get install ffmpeg) to read video files, or extract frames to a folder. (Needed to read ${video}.)`,
      });
    } finally {
      process.env.PATH = saved;
    }
    assert.ok(FFMPEG_MISSING.startsWith('ffmpeg was not found on PATH'));
  });

  it('streams frames, converted and resized as frame images are', async () => {
    const frames = await collect(readVideoFile(video, format, { ffmpeg: fakeFfmpeg('ffmpeg-ok', 7) }));
    assert.equal(frames.length, 7);
    frames.forEach((frame, f) => {
      assert.equal(frame.index, f);
      assert.deepEqual(frame.data, expectedFrame(f));
    });
  });

  it('probes a live stream briefly, a file in full', async () => {
    const recording = fakeFfmpeg('ffmpeg-args', 1);
    writeFileSync(recording, readFileSync(recording, 'utf8').replace('\n', `\nrequire('node:fs').writeFileSync(${JSON.stringify(`${recording}.args`)}, process.argv.slice(2).join(' '));\n`));
    const argsFor = async (live: boolean) => {
      await collect(readVideoFile(video, format, { ffmpeg: recording, live }));
      return readFileSync(`${recording}.args`, 'utf8');
    };
    assert.equal(await argsFor(true), `-hide_banner -nostdin -loglevel info -probesize 32768 -analyzeduration 500000 -i ${video} -f rawvideo -pix_fmt rgb24 -`);
    assert.equal(await argsFor(false), `-hide_banner -nostdin -loglevel info -i ${video} -f rawvideo -pix_fmt rgb24 -`);
  });

  it('stops ffmpeg when the reader stops early', async () => {
    const frames = await collect(readVideoFile(video, format, { ffmpeg: fakeFfmpeg('ffmpeg-long', 40) }), 2);
    assert.equal(frames.length, 2);
  });

  it('ends a live stream without an error when its signal aborts, and stops ffmpeg', { timeout: 30_000 }, async () => {
    const live = liveFfmpeg('ffmpeg-live', 3);
    const controller = new AbortController();
    const frames: VideoFrame[] = [];
    for await (const frame of readVideoFile(video, format, { ffmpeg: live, signal: controller.signal })) {
      frames.push(frame);
      if (frames.length === 2) controller.abort('SIGINT');
    }
    assert.deepEqual(frames.map((frame) => frame.index), [0, 1], 'no frame after the stop');
    assert.equal(isRunning(Number(readFileSync(`${live}.pid`, 'utf8'))), false, 'ffmpeg was stopped');
    // A Ctrl-C in a terminal reaches ffmpeg too, and it may end first: the stop that follows still ends the stream.
    const both = new AbortController();
    const seen: VideoFrame[] = [];
    for await (const frame of readVideoFile(video, format, { ffmpeg: live, signal: both.signal })) {
      seen.push(frame);
      if (seen.length === 3) {
        process.kill(Number(readFileSync(`${live}.pid`, 'utf8')), 'SIGINT');
        setTimeout(() => both.abort('SIGINT'), 20);
      }
    }
    assert.equal(seen.length, 3);
    // Without a stop of this process's own, ffmpeg stopped by a signal is an error: the recording was cut off.
    const reading = readVideoFile(video, format, { ffmpeg: live });
    for (let f = 0; f < 3; f++) await reading.next(); // its three frames: ffmpeg now waits for more
    process.kill(Number(readFileSync(`${live}.pid`, 'utf8')), 'SIGINT');
    await assert.rejects(collect(reading), { code: 'BAD_FILE', message: /could not be decoded: ffmpeg exited with status 255 \(.*Exiting normally, received signal 2\.\)/ });
  });

  it('stops an ffmpeg that SIGTERM does not end (one waiting to open a named pipe nothing writes to yet)', { timeout: 30_000 }, async () => {
    const stuck = join(dir, 'ffmpeg-stuck');
    writeFileSync(stuck, `#!${process.execPath}
require('node:fs').writeFileSync(${JSON.stringify(`${stuck}.pid`)}, String(process.pid));
process.on('SIGTERM', () => {});
process.on('SIGINT', () => {});
setInterval(() => {}, 1000);
`);
    chmodSync(stuck, 0o755);
    const controller = new AbortController();
    const reading = collect(readVideoFile(video, format, { ffmpeg: stuck, signal: controller.signal }));
    while (!existsSync(`${stuck}.pid`)) await new Promise((resolve) => setTimeout(resolve, 20));
    const began = Date.now();
    controller.abort('SIGINT');
    assert.deepEqual(await reading, [], 'stopped before the first frame: no frames and no error');
    assert.ok(Date.now() - began < 5000, `ended ${Date.now() - began} ms after the stop`);
    assert.equal(isRunning(Number(readFileSync(`${stuck}.pid`, 'utf8'))), false, 'the stand-in was killed');
  });

  it("reports ffmpeg's error, a truncated last frame, and a missing file", async () => {
    await assert.rejects(collect(readVideoFile(video, format, { ffmpeg: fakeFfmpeg('ffmpeg-fail', 2, 1) })), {
      code: 'BAD_FILE',
      message: `${video}: could not be decoded: ffmpeg exited with status 1 (Output #0, rawvideo, to 'pipe:': | `
        + `Stream #0:0: Video: rawvideo (RGB[24] / 0x18424752), rgb24(pc, progressive), 32x24, q=2-31, 25 fps | `
        + 'clip.avi: Invalid data found when processing input). Check that the file is a complete video that ffmpeg can play.',
    });
    await assert.rejects(collect(readVideoFile(video, format, { ffmpeg: fakeFfmpeg('ffmpeg-partial', 1, 0, 100) })), {
      message: `${video}: ended inside frame 1: ffmpeg gave 100 of its 2304 bytes.`,
    });
    await assert.rejects(collect(readVideoFile(join(dir, 'missing.mp4'), format)), {
      code: 'FILE_NOT_FOUND', message: `Video file not found at ${join(dir, 'missing.mp4')}.`,
    });
  });

  const ffmpeg = spawnSync('ffmpeg', ['-version']).status === 0;
  it('decodes a real video with the installed ffmpeg', { skip: !ffmpeg && 'ffmpeg is not installed: skipping the real decode (the fake-ffmpeg tests above still run)' }, async () => {
    const avi = join(dir, 'real.avi');
    const run = (args: string[]) => {
      const result = spawnSync('ffmpeg', ['-v', 'error', '-y', ...args]);
      assert.equal(result.status, 0, result.stderr?.toString());
    };
    run(['-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=10', '-frames:v', '5', '-c:v', 'ffv1', avi]);
    const extracted = join(dir, 'extracted');
    mkdirSync(extracted);
    run(['-i', avi, join(extracted, '%03d.png')]);
    const size: FrameFormat = { width: 40, height: 30, channels: 3 };
    const frames = await collect(readVideoFile(avi, size));
    assert.equal(frames.length, 5);
    // The same pixels as the frames ffmpeg extracts to PNG files, read from the folder.
    assert.deepEqual(Buffer.concat(frames.map((f) => f.data)), Buffer.from(decodeFrames(listFrames(extracted), size)));
    // A file cut short still decodes (ffmpeg exits 0) with damaged frames: onDamage hears of it; a whole one is quiet.
    const mpeg4 = join(dir, 'mpeg4.avi');
    run(['-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=10', '-frames:v', '20', '-c:v', 'mpeg4', mpeg4]);
    const heard: string[][] = [];
    await collect(readVideoFile(mpeg4, size, { onDamage: (lines) => heard.push(lines) }));
    assert.equal(heard.length, 0, 'a whole file decodes without a word');
    const whole = readFileSync(mpeg4);
    const cut = join(dir, 'cut.avi');
    writeFileSync(cut, whole.subarray(0, Math.floor(whole.length * 0.6)));
    await collect(readVideoFile(cut, size, { onDamage: (lines) => heard.push(lines) }));
    assert.equal(heard.length, 1);
    assert.ok(heard[0]!.some((line) => /corrupt|damaged|error|invalid|missing/i.test(line)), heard[0]!.join(' | '));
    // Sound alone is no video.
    const audio = join(dir, 'audio.mkv');
    run(['-f', 'lavfi', '-i', 'sine=frequency=440:duration=1', '-c:a', 'pcm_s16le', audio]);
    await assert.rejects(collect(readVideoFile(audio, size)), { message: `${audio}: has no video stream (an audio file, or a container without pictures). Give a video file, or a folder of its frames.` });
  });
});

describe('frame folders as a stream', () => {
  it('yields the frames in order, as the cache stores them', async () => {
    const root = writeFramesLayout(join(dir, 'frames'), 12).root;
    const folder = join(root, 'testing', 'frames', '10');
    const frames = await collect(readFrameFolder(folder, format));
    const files = listFrames(folder);
    assert.deepEqual(frames.map((f) => f.file), files);
    assert.deepEqual(Buffer.concat(frames.map((f) => f.data)), Buffer.from(decodeFrames(files, format)));
    assert.equal((await collect(readFrameFolder(folder, format), 3)).length, 3);
    assert.ok(existsSync(folder));
  });
});
