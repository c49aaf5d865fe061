import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { detectLayout, listVideos } from './layouts.js';
import { tempDir, writeFramesLayout, writeUcsdLayout } from './test-fixtures.js';

const dir = tempDir('layouts');
after(() => rmSync(dir, { recursive: true, force: true }));
const frames = writeFramesLayout(join(dir, 'frames'), 12).root;
const ucsd = writeUcsdLayout(join(dir, 'UCSDped2'), 5).root;

describe('video layouts', () => {
  it('lists the frames layout with videos and frames in numeric order', () => {
    const listing = listVideos(frames, 'test');
    assert.equal(listing.layout, 'frames');
    assert.equal(listing.dir, join(frames, 'testing', 'frames'));
    assert.deepEqual(listing.videos.map((v) => v.name), ['01', '02', '10']);
    assert.deepEqual(listing.videos.map((v) => v.frames.length), [12, 12, 12]);
    assert.deepEqual(listing.videos[0].frames.slice(0, 3).map((f) => basename(f)), ['000.png', '001.png', '002.png']);
    // Unpadded names sort as numbers: 2.png before 10.png.
    assert.deepEqual(listing.videos[2].frames.map((f) => basename(f)), Array.from({ length: 12 }, (_, i) => `${i}.png`));
    assert.equal(listVideos(frames, 'train').dir, join(frames, 'training', 'frames'));
  });

  it("lists UCSD's layout, skipping the _gt mask folders as videos but keeping them as masks", () => {
    assert.equal(detectLayout(ucsd), 'ucsd');
    const test = listVideos(ucsd, 'test');
    assert.deepEqual(test.videos.map((v) => v.name), ['Test001', 'Test002', 'Test003']);
    assert.equal(test.videos[1].maskDir, join(ucsd, 'Test', 'Test002_gt'));
    assert.deepEqual(test.videos[0].frames.map((f) => basename(f)), ['001.bmp', '002.bmp', '003.bmp', '004.bmp', '005.bmp']);
    const train = listVideos(ucsd, 'train');
    assert.deepEqual(train.videos.map((v) => v.name), ['Train001', 'Train002', 'Train003']);
    assert.equal(train.videos[0].maskDir, undefined);
    assert.ok(train.videos[0].frames[0].endsWith(join('Train', 'Train001', '001.tif')));
  });

  it('names the path and the expected layout when something is missing', () => {
    const missing = join(dir, 'nothing-here');
    assert.throws(() => listVideos(missing, 'test'), {
      message: `Video dataset folder not found at ${missing}. Expected either <root>/training/frames/<video>/<n>.jpg `
        + 'and <root>/testing/frames/<video>/<n>.jpg (MNAD layout: Ped2, Avenue, ShanghaiTech) or <root>/Train/Train001/001.tif '
        + 'and <root>/Test/Test001/001.tif (the UCSD archive, root = its UCSDped1 or UCSDped2 folder).',
    });
    const trainOnly = join(dir, 'train-only');
    mkdirSync(join(trainOnly, 'training', 'frames', '01'), { recursive: true });
    writeFileSync(join(trainOnly, 'training', 'frames', '01', '000.png'), '');
    const testDir = join(trainOnly, 'testing', 'frames');
    assert.throws(() => listVideos(trainOnly, 'test'), {
      message: `The test split's folder not found at ${testDir}. Expected the frames layout: ${testDir}/<video>/<n>.jpg, e.g. ${testDir}/01/000.jpg.`,
    });
    // ShanghaiTech's training split comes as video files: the message says to extract their frames.
    const shanghai = join(dir, 'shanghaitech');
    mkdirSync(join(shanghai, 'training', 'videos'), { recursive: true });
    mkdirSync(join(shanghai, 'testing', 'frames', '01_0014'), { recursive: true });
    assert.throws(() => listVideos(shanghai, 'train'), { message: /training\/videos holds videos: extract each one's frames first, e\.g\. ffmpeg -i videos\/01_001\.avi frames\/01_001\/%03d\.jpg\.$/ });
    const empty = join(dir, 'empty-video');
    mkdirSync(join(empty, 'training', 'frames', '07'), { recursive: true });
    writeFileSync(join(empty, 'training', 'frames', '07', 'notes.txt'), 'not a frame');
    const video = join(empty, 'training', 'frames', '07');
    assert.throws(() => listVideos(empty, 'train'), {
      message: `${video}: has no frame images: expected files named by frame number with extension .jpg, .png, .tif or .bmp. `
        + `Expected ${join(empty, 'training', 'frames')}/<video>/<n>.jpg, e.g. ${join(empty, 'training', 'frames')}/01/000.jpg.`,
    });
  });

  it('refuses a gap or a repeat in the frame numbers, which would shift the labels; a constant step is fine', () => {
    const video = (name: string, files: string[]) => {
      const folder = join(dir, name, 'testing', 'frames', '01');
      mkdirSync(folder, { recursive: true });
      for (const file of files) writeFileSync(join(folder, file), '');
      return { root: join(dir, name), folder };
    };
    const gap = video('gap', ['008.jpg', '009.jpg', '011.jpg', '012.jpg']);
    assert.throws(() => listVideos(gap.root, 'test'), { message: new RegExp(`^${gap.folder}: has a gap in its frame numbers between 009\\.jpg and 011\\.jpg: frame 10 is missing\\. Frames are labelled by their place`) });
    const wide = video('wide-gap', ['1.jpg', '2.jpg', '6.jpg']);
    assert.throws(() => listVideos(wide.root, 'test'), { message: /between 2\.jpg and 6\.jpg: frame 3 to 5 is missing/ });
    const twice = video('twice', ['004.jpg', '005.jpg', '005.png', '006.jpg']);
    assert.throws(() => listVideos(twice.root, 'test'), { message: new RegExp(`^${twice.folder}: has two frames numbered 5: 005\\.(jpg and 005\\.png|png and 005\\.jpg)\\.`) });
    const everyFifth = video('every-fifth', ['frame_0.jpg', 'frame_5.jpg', 'frame_10.jpg']);
    assert.equal(listVideos(everyFifth.root, 'test').videos[0]!.frames.length, 3);
    // The number is the run of digits that changes: a constant one after it (a camera id) is no repeat.
    const camera = video('camera-id', ['f_0001_cam2.jpg', 'f_0002_cam2.jpg', 'f_0003_cam2.jpg']);
    assert.equal(listVideos(camera.root, 'test').videos[0]!.frames.length, 3);
    const cameraGap = video('camera-gap', ['f_0001_cam2.jpg', 'f_0002_cam2.jpg', 'f_0004_cam2.jpg']);
    assert.throws(() => listVideos(cameraGap.root, 'test'), { message: /frame 3 is missing/ });
  });

  it('points at UCSDped1 / UCSDped2 when given the folder above them', () => {
    const archive = join(dir, 'UCSD_Anomaly_Dataset.v1p2');
    mkdirSync(join(archive, 'UCSDped1'), { recursive: true });
    mkdirSync(join(archive, 'UCSDped2'), { recursive: true });
    assert.throws(() => detectLayout(archive), { code: 'BAD_FILE', message: /holds UCSDped1 and UCSDped2: pass one of those folders as the root\.$/ });
  });

  it('rejects an unknown split', () => {
    assert.throws(() => listVideos(frames, 'val' as 'test'), { message: "Expected 'train' or 'test' for split but received 'val' of type string." });
  });
});
