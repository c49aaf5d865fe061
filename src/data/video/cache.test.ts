import assert from 'node:assert/strict';
import { readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { cacheFolder, cacheVideos } from './cache.js';
import { decodeFrames, frameBytes, type FrameFormat } from './frame-format.js';
import { CachedFrames } from './frame-store.js';
import { readFrameFolder } from './frame-stream.js';
import { listVideos } from './layouts.js';
import { framePixels, pngBytes, tempDir, writeFramesLayout } from './test-fixtures.js';

const dir = tempDir('cache');
after(() => rmSync(dir, { recursive: true, force: true }));
const root = writeFramesLayout(join(dir, 'frames'), 20).root;
const format: FrameFormat = { width: 16, height: 12, channels: 3 };

describe('video frame cache', () => {
  it('decodes each video once, and later calls read the cache', async () => {
    const cacheDir = join(dir, 'cache-a');
    const { videos } = listVideos(root, 'train');
    const first = await cacheVideos(root, 'train', videos, format, { cacheDir, workers: 0 });
    assert.equal(first.decodedFrames, 60);
    const folder = cacheFolder(root, 'train', format, cacheDir);
    assert.ok(folder.startsWith(join(cacheDir, 'video-frames', 'frames-')) && folder.endsWith(join('train', '16x12-rgb')), folder);
    assert.equal(readdirSync(folder).length, 3);
    const second = await cacheVideos(root, 'train', videos, format, { cacheDir, workers: 0 });
    assert.equal(second.decodedFrames, 0);
    assert.deepEqual(second.videos, first.videos);
    // The cached bytes are the preprocessed frames, (T, C, H, W).
    const store = new CachedFrames(second.videos, format);
    for (let v = 0; v < 3; v++) assert.deepEqual(store.readFrames(v, 0, 20), decodeFrames(videos[v].frames, format));
    assert.deepEqual(store.readFrames(1, 5, 2), decodeFrames(videos[1].frames.slice(5, 7), format));
    assert.deepEqual(store.preload().readFrames(2, 19, 1), decodeFrames(videos[2].frames.slice(19), format));
  });

  it('decodes again only the video whose frames changed, and drops its stale entry', async () => {
    const cacheDir = join(dir, 'cache-b');
    const copy = writeFramesLayout(join(dir, 'changing'), 20).root;
    const listing = () => listVideos(copy, 'test').videos;
    await cacheVideos(copy, 'test', listing(), format, { cacheDir, workers: 0 });
    const frame = listing()[1].frames[3];
    writeFileSync(frame, pngBytes(framePixels(9, 9)));
    utimesSync(frame, new Date(), new Date(Date.now() + 5000));
    const again = await cacheVideos(copy, 'test', listing(), format, { cacheDir, workers: 0 });
    assert.equal(again.decodedFrames, 20);
    assert.equal(readdirSync(cacheFolder(copy, 'test', format, cacheDir)).length, 3);
    const store = new CachedFrames(again.videos, format);
    assert.deepEqual(store.readFrames(1, 3, 1), decodeFrames([frame], format));
  });

  it('gives the same bytes on worker threads, with progress', async () => {
    const cacheDir = join(dir, 'cache-c');
    const { videos } = listVideos(root, 'train');
    const progress: number[] = [];
    const result = await cacheVideos(root, 'train', videos, { ...format, channels: 1 }, { cacheDir, workers: 2, onProgress: (done) => progress.push(done) });
    assert.equal(result.decodedFrames, 60);
    assert.equal(progress.at(-1), 60);
    const gray = { ...format, channels: 1 as const };
    const store = new CachedFrames(result.videos, gray);
    for (let v = 0; v < 3; v++) assert.deepEqual(store.readFrames(v, 0, 20), decodeFrames(videos[v].frames, gray));
    assert.equal(frameBytes(gray), 16 * 12);
  });

  it('names a corrupt frame, on this thread and on workers', async () => {
    const broken = writeFramesLayout(join(dir, 'broken'), 20).root;
    const { videos } = listVideos(broken, 'train');
    const bad = videos[2].frames[7];
    writeFileSync(bad, pngBytes(framePixels(0, 0)).subarray(0, 60));
    for (const workers of [0, 2]) {
      await assert.rejects(cacheVideos(broken, 'train', videos, format, { cacheDir: join(dir, `cache-broken-${workers}`), workers }), {
        code: 'BAD_FILE', message: new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: is a corrupt or unsupported PNG image`),
      });
    }
    // A frame of another size would be stretched to the training size: refused, on workers and in the online reader.
    writeFileSync(bad, pngBytes(new Uint8Array(4 * 4 * 3), 4, 4));
    for (const workers of [0, 2]) {
      await assert.rejects(cacheVideos(broken, 'train', videos, format, { cacheDir: join(dir, `cache-odd-size-${workers}`), workers }), {
        code: 'BAD_FILE', message: new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: is 4×4 but \\S+ of the same video is \\d+×\\d+\\. Every frame of a video must have the same size`),
      });
    }
    await assert.rejects(async () => { for await (const _ of readFrameFolder(videos[2].dir, format)) { /* read on */ } }, { message: /is 4×4 but .* of the same video is/ });
    writeFileSync(bad, 'not an image at all');
    await assert.rejects(cacheVideos(broken, 'train', videos, format, { cacheDir: join(dir, 'cache-broken-text'), workers: 0 }), {
      message: `${bad}: is not a JPEG, PNG, TIFF or BMP image (its first bytes are 6e 6f 74 20 61 6e 20 69).`,
    });
  });
});
