import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { writeNpy } from '../npy.js';
import { parseGroundTruthScript } from './gt-script.js';
import {
  findLabelSource, labelsFromConcatenatedNpy, labelsFromGroundTruthScript, labelsFromMat, labelsFromPerVideoNpy,
  labelsFromPixelMasks, readFrameLabels, type VideoFrameCount,
} from './labels.js';
import { listVideos } from './layouts.js';
import { ANOMALOUS, HEIGHT, labelArrays, matBytes, maskPixels, tempDir, toRanges, WIDTH, writeFramesLayout, writeUcsdLayout } from './test-fixtures.js';

const FRAMES = 20;
const dir = tempDir('labels');
after(() => rmSync(dir, { recursive: true, force: true }));
const framesRoot = writeFramesLayout(join(dir, 'frames'), FRAMES).root;
const ucsdRoot = writeUcsdLayout(join(dir, 'UCSDped2'), FRAMES).root;
const matPath = join(dir, 'fixture.mat');
writeFileSync(matPath, matBytes(ANOMALOUS.map((frames) => toRanges(frames).map(([a, b]) => [a + 1, b + 1] as [number, number]))));
const masksDir = join(dir, 'pixel-masks');
mkdirSync(masksDir);
['01', '02', '10'].forEach((name, v) => {
  const masks = new Uint8Array(FRAMES * HEIGHT * WIDTH);
  for (let f = 0; f < FRAMES; f++) masks.set(maskPixels(v, f), f * HEIGHT * WIDTH);
  writeNpy(join(masksDir, `${name}.npy`), { dtype: 'uint8', shape: [FRAMES, HEIGHT, WIDTH], data: masks });
});

const expected = labelArrays(FRAMES);
const videos: VideoFrameCount[] = ['01', '02', '10'].map((name) => ({ name, frameCount: FRAMES }));
const ucsdVideos = listVideos(ucsdRoot, 'test').videos.map((v) => ({ name: v.name, frameCount: v.frames.length, maskDir: v.maskDir }));
const script = join(ucsdRoot, 'Test', 'UCSDped2.m');

describe('frame labels', () => {
  it('gives identical labels from every format', () => {
    const results = [
      labelsFromGroundTruthScript(script, ucsdVideos),
      labelsFromMat(matPath, videos),
      labelsFromConcatenatedNpy(join(framesRoot, 'frame_labels_fixture.npy'), videos),
      labelsFromPerVideoNpy(join(framesRoot, 'testing', 'test_frame_mask'), videos),
      labelsFromPerVideoNpy(masksDir, videos),
      labelsFromPixelMasks(ucsdVideos),
    ];
    assert.deepEqual(results.map((r) => r.format), ['matlab-script', 'mat', 'concatenated-npy', 'per-video-npy', 'per-video-npy', 'pixel-masks']);
    for (const result of results) assert.deepEqual(result.perVideo, expected, result.format);
    // numpy saves a column (N, 1) as readily as a row (1, N): the same labels.
    const column = join(dir, 'column-labels.npy');
    writeNpy(column, { dtype: 'uint8', shape: [3 * FRAMES, 1], data: Uint8Array.from(expected.flatMap((labels) => [...labels])) });
    assert.deepEqual(labelsFromConcatenatedNpy(column, videos).perVideo, expected);
    const table = join(dir, 'table-labels.npy');
    writeNpy(table, { dtype: 'uint8', shape: [FRAMES, 3], data: new Uint8Array(3 * FRAMES) });
    assert.throws(() => labelsFromConcatenatedNpy(table, videos), { message: `${table}: has shape (${FRAMES}, 3): expected (1, N), (N,) or (N, 1) frame labels of all test videos concatenated.` });
  });

  it('chooses the reader from the path', () => {
    assert.equal(readFrameLabels(script, ucsdVideos).format, 'matlab-script');
    assert.equal(readFrameLabels(matPath, videos).format, 'mat');
    assert.equal(readFrameLabels(join(framesRoot, 'frame_labels_fixture.npy'), videos).format, 'concatenated-npy');
    assert.equal(readFrameLabels(masksDir, videos).format, 'per-video-npy');
    const fromMasks = readFrameLabels(join(ucsdRoot, 'Test'), ucsdVideos.map(({ name, frameCount }) => ({ name, frameCount })));
    assert.equal(fromMasks.format, 'pixel-masks');
    assert.deepEqual(fromMasks.perVideo, expected);
  });

  it('finds the label source of a dataset', () => {
    assert.equal(findLabelSource([join(ucsdRoot, 'Test'), ucsdRoot], ucsdVideos), script);
    assert.equal(findLabelSource([framesRoot, join(framesRoot, 'testing')], videos), join(framesRoot, 'frame_labels_fixture.npy'));
    // Without the script, the UCSD _gt mask folders.
    const bare = writeUcsdLayout(join(dir, 'no-script'), 3).root;
    rmSync(join(bare, 'Test', 'UCSDped2.m'));
    const bareVideos = listVideos(bare, 'test').videos.map((v) => ({ name: v.name, frameCount: v.frames.length, maskDir: v.maskDir }));
    assert.equal(findLabelSource([join(bare, 'Test'), bare], bareVideos), join(bare, 'Test'));
    assert.equal(findLabelSource([join(bare, 'Test'), bare], bareVideos.map(({ name, frameCount }) => ({ name, frameCount }))), undefined);
  });

  it('parses the forms of the UCSD script', () => {
    const text = [
      'TestVideoFile = {};',
      'TestVideoFile{end+1}.gt_frame = [61:180];   % one range',
      'TestVideoFile{end+1}.gt_frame = [5:90, 140:200];',
      '% TestVideoFile{end+1}.gt_frame = [1:2];  commented out',
      'TestVideoFile{end+1}.gt_frame = [1 3 5:2:9];',
      'TestVideoFile{end+1}.gt_frame = [];',
      'TestDataset.gt_frame{5} = 7:8;',
    ].join('\r\n');
    const parsed = parseGroundTruthScript(text, 'x.m');
    assert.equal(parsed.length, 5);
    assert.deepEqual([parsed[0][0], parsed[0].at(-1), parsed[0].length], [61, 180, 120]);
    assert.equal(parsed[1].length, 86 + 61);
    assert.deepEqual(parsed[2], [1, 3, 5, 7, 9]);
    assert.deepEqual(parsed[3], []);
    assert.deepEqual(parsed[4], [7, 8]);
    assert.throws(() => parseGroundTruthScript('x = 1;', 'empty.m'), {
      message: "empty.m: has no ground-truth entries: expected lines such as 'TestVideoFile{end+1}.gt_frame = [61:180];' (the UCSD UCSDped2.m format).",
    });
    assert.throws(() => parseGroundTruthScript('T{2}.gt_frame = [1:3];', 'gap.m'), { message: 'gap.m: has no gt_frame entry for test video 1 but has one for a later video.' });
  });

  it('names the file, the video and both lengths when a source does not fit the videos', () => {
    const short = videos.map((v, i) => ({ ...v, frameCount: i === 1 ? 19 : 20 }));
    const npy = join(framesRoot, 'frame_labels_fixture.npy');
    assert.throws(() => labelsFromConcatenatedNpy(npy, short), {
      code: 'BAD_FILE',
      message: `${npy}: holds 60 frame labels but the 3 test videos have 59 frames in all (01: 20, 02: 19, 10: 20). `
        + 'Check that the label file belongs to this dataset and that no frames are missing from or extra in the video folders.',
    });
    assert.throws(() => labelsFromPerVideoNpy(masksDir, short), {
      message: `${join(masksDir, '02.npy')}: has 20 labels for video 02 but the video has 19 frames. `
        + 'Check that the labels belong to this dataset and that no frames are missing from the video folder.',
    });
    assert.throws(() => labelsFromPixelMasks(ucsdVideos.map((v, i) => (i === 2 ? { ...v, frameCount: 21 } : v))), {
      message: `${join(ucsdRoot, 'Test', 'Test003_gt')}: has 20 mask images for video Test003 but the video has 21 frames. `
        + 'Check that the labels belong to this dataset and that no frames are missing from the video folder.',
    });
    assert.throws(() => labelsFromGroundTruthScript(script, ucsdVideos.map((v, i) => (i === 1 ? { ...v, frameCount: 8 } : v))), {
      message: `${script}: marks frame 9 of test video Test002 (video 2) anomalous but that video has frames 1 to 8. `
        + 'Check that the label file belongs to this dataset and that no frames are missing from the video folder.',
    });
    assert.throws(() => labelsFromMat(matPath, videos.slice(0, 2)), {
      message: `${matPath}: has ground truth for 3 test videos but 2 were found (01, 02). Check that the label file belongs to this dataset.`,
    });
  });

  it('rejects label arrays that are not 0/1 and videos without masks', () => {
    const scores = join(dir, 'scores.npy');
    writeNpy(scores, { dtype: 'float32', shape: [60], data: new Float32Array(60).fill(0.5) });
    assert.throws(() => labelsFromConcatenatedNpy(scores, videos), {
      message: `${scores}: holds the value 0.5 at position 0: expected frame labels 0 (normal) or 1 (anomalous). Is this a score file or a pixel mask? Masks must have shape (T, H, W).`,
    });
    assert.throws(() => labelsFromPixelMasks([{ name: 'Test004', frameCount: 3 }]), {
      code: 'FILE_NOT_FOUND',
      message: 'Pixel-mask folder of test video Test004 not found at Test004_gt. Use the frame ranges of UCSDped1.m / UCSDped2.m instead: not every UCSD video has masks.',
    });
  });
});

const PED2 = '../shared/data/ucsd-ped2';
const AVENUE = '../shared/data/avenue/frame_labels_avenue.npy';

describe('frame labels of the real datasets', () => {
  it('reads identical Ped2 labels from UCSDped2.m, ped2.mat and frame_labels_ped2.npy', { skip: !existsSync(PED2) && `${PED2} is absent` }, () => {
    const ped2 = listVideos(PED2, 'test').videos.map((v) => ({ name: v.name, frameCount: v.frames.length }));
    const fromScript = labelsFromGroundTruthScript(join(PED2, 'UCSDped2.m'), ped2).perVideo;
    const fromMat = labelsFromMat(join(PED2, 'ped2.mat'), ped2).perVideo;
    const fromNpy = labelsFromConcatenatedNpy(join(PED2, 'frame_labels_ped2.npy'), ped2).perVideo;
    assert.deepEqual(fromMat, fromScript);
    assert.deepEqual(fromNpy, fromScript);
    const total = fromScript.reduce((s, l) => s + l.length, 0);
    const anomalous = fromScript.reduce((s, l) => s + l.reduce((a, b) => a + b, 0), 0);
    assert.deepEqual([fromScript.length, total, anomalous], [12, 2010, 1648]);
  });

  it('names the Avenue label count when the videos do not add up', { skip: !existsSync(AVENUE) && `${AVENUE} is absent` }, () => {
    assert.throws(() => labelsFromConcatenatedNpy(AVENUE, [{ name: '01', frameCount: 1439 }]), {
      message: /frame_labels_avenue\.npy: holds 15324 frame labels but the 1 test videos have 1439 frames in all \(01: 1439\)/,
    });
  });
});
