/** `normality score <checkpoint>`: write one anomaly score per sample (and the prediction, given a threshold). */
import { createWriteStream, renameSync, rmSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { defineCommand } from '../command.js';
import { readFrameFolder, readVideoFile } from '../../data/video/index.js';
import type { Detector } from '../../detector/types.js';
import '../../models/index.js';
import { MnadDetector, type StreamFrameScore } from '../../models/mnad/index.js';
import type { SampleArray } from '../../detector/types.js';
import { fileNotFound, invalidArgument } from '../../errors.js';
import { writeAtomically } from '../../report/results.js';
import { DATA_OPTIONS, RUNTIME_OPTIONS, openCheckpoint } from '../common-options.js';
import { SCORE_MODEL_OPTIONS } from '../model-options.js';
import { resolveDataFor } from '../datasets.js';
import { canLocalize, mapsOption, writeMapsOption } from '../anomaly-maps.js';
import { REPORT_OPTION, checkReportOption, reportFacts, writeReportOption } from '../report-option.js';
import { canExplain, explainColumns, explainOption } from '../explain.js';

export default defineCommand({
  name: 'score',
  summary: 'Write per-sample anomaly scores (higher = more anomalous) as CSV',
  usage: '<checkpoint>',
  options: [
    { name: 'out', type: 'string', default: 'scores.csv', placeholder: 'path', description: 'CSV with index, score, prediction, label when known, and the file of each image; - for standard output' },
    { name: 'maps', type: 'string', placeholder: 'folder', description: 'Image models: also write each image\'s anomaly map (squared reconstruction error per pixel) as a PNG heatmap here, named after its image; one colour scale for the whole set' },
    REPORT_OPTION,
    { name: 'explain', type: 'integer', default: 0, description: 'Table models: name each row\'s N features with the largest reconstruction error, and their share of it, as columns feature_1,share_1,… of the CSV (0 = none)' },
    { name: 'split', type: 'choice', choices: ['test', 'train'], default: 'test', description: 'Which part of the dataset to score' },
    { name: 'video', type: 'string', placeholder: 'path', description: 'Video models: a folder of frames or a video file (.mp4, .avi; needs ffmpeg), scored online, frame by frame (MNAD: S over the frames so far, with the raw psnr and distance beside it)' },
    ...DATA_OPTIONS,
    SCORE_MODEL_OPTIONS,
    ...RUNTIME_OPTIONS,
  ],
  async run(o, positionals) {
    const { path, detector } = openCheckpoint(positionals, o);
    try {
      if (o.maps && o.video) throw invalidArgument('--maps', 'images to map, not a --video', o.maps, 'Video models give frame scores, not maps.');
      if (o.report && o.video) {
        throw invalidArgument('--report', 'a dataset to report on, not a --video scored online', o.report,
          'Plot the frame scores of the CSV, or run normality test --report on labelled test videos.');
      }
      checkReportOption(o.report);
      const explained = explainOption(detector, o.explain);
      if (o.video) {
        await scoreVideo(detector, o.video, o.out);
        return;
      }
      const mapper = mapsOption(detector, o.maps);
      const data = resolveDataFor(detector, o);
      const samples = o.split === 'train' ? data.train : data.test;
      const scores = await detector.score(samples as SampleArray);
      const threshold = detector.threshold;
      const files = samples.files;
      // Which features: for --explain, and for a report's rows.
      const errors = canExplain(detector) && (explained > 0 || o.report) ? await detector.featureErrors(samples as SampleArray) : undefined;
      const columns = errors && explained > 0 ? explainColumns(errors, explained, samples.featureNames) : undefined;
      const lines = [`index,score,prediction,label${files ? ',file' : ''}${columns ? `,${columns.header}` : ''}`];
      scores.forEach((score, i) => lines.push(`${i},${score},${threshold === undefined ? '' : score >= threshold ? 1 : 0},${samples.labels?.[i] ?? ''}`
        + (files ? `,${csvField(files[i]!)}` : '') + (columns ? `,${columns.cells(i)}` : '')));
      const csv = `${lines.join('\n')}\n`;
      if (o.out === '-') {
        process.stdout.write(csv);
        console.error(`scored ${scores.length} samples of ${data.description}`); // stdout carries the CSV alone
      } else {
        await writeAtomically(o.out, csv);
        console.log(`scored ${scores.length} samples of ${data.description}; wrote ${o.out}`);
      }
      // A report shows the maps beside its images whenever the detector gives them.
      const mapping = mapper ?? (o.report !== undefined && canLocalize(detector) ? detector : undefined);
      const maps = mapping ? await mapping.anomalyMaps(samples as SampleArray) : undefined;
      if (mapper && maps) writeMapsOption(o.maps!, maps, samples.files);
      if (o.report) {
        await writeReportOption(o.report, {
          title: `normality score: ${detector.modelName} (${path})`,
          facts: reportFacts(path, detector, `${data.description}, ${o.split} split`),
          scoreLabel: 'anomaly score', scores, labels: samples.labels, threshold,
          ...(samples.shape.length === 4 ? { images: { x: samples.x, shape: samples.shape, files, maps } } : {}),
          ...(errors ? { rows: { x: samples.x, shape: samples.shape, featureNames: samples.featureNames, errors } } : {}),
        });
      }
    } finally {
      detector.dispose();
    }
  },
});

/** A CSV field: quoted when it holds a comma, a quote or a line break (RFC 4180). */
function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const VIDEO_EXTENSIONS = new Set(['.mp4', '.avi', '.mov', '.mkv', '.webm', '.mpg', '.mpeg']);

interface StreamingDetector {
  config: { channels: number; height: number; width: number };
  scoreStream(frames: AsyncIterable<Uint8Array>): AsyncGenerator<{ frame: number; score: number } & Partial<MnadRawScores>>;
}

/** MNAD's raw scores beside S, so that the paper's per-video S can be recomputed from the CSV (combineScores). */
type MnadRawScores = Pick<StreamFrameScore, 'psnr' | 'distance' | 'updated'>;
const MNAD_COLUMNS = ['psnr', 'distance', 'updated'] as const;

/** A number as a CSV field: empty where there is none (NaN: a frame without a score). */
const csvNumber = (value: number | boolean | undefined) => (typeof value === 'boolean' ? (value ? '1' : '0') : value === undefined || Number.isNaN(value) ? '' : String(value));

/** Score a recording online: frames are decoded, scored and written in order, never all held at once. */
async function scoreVideo(detector: Detector<unknown>, source: string, out: string): Promise<void> {
  const streaming = detector as unknown as Partial<StreamingDetector>;
  if (typeof streaming.scoreStream !== 'function' || !streaming.config) {
    throw invalidArgument('--video', 'a video model (memae-video, mnad-pred, mnad-recon)', (detector as { modelName?: string }).modelName);
  }
  const { channels, height, width } = streaming.config;
  const format = { channels: channels as 1 | 3, height, width };
  const found = statSync(source, { throwIfNoEntry: false });
  if (!found) throw fileNotFound(source, `Video (a folder of frames or a ${[...VIDEO_EXTENSIONS].join('/')} file)`, 'Check the --video path.');
  const isFile = found.isFile();
  if (isFile && !VIDEO_EXTENSIONS.has(extname(source).toLowerCase())) {
    throw invalidArgument('--video', `a folder of frames or a video file (${[...VIDEO_EXTENSIONS].join(', ')})`, source);
  }
  const frames = isFile ? readVideoFile(source, format) : readFrameFolder(source, format);
  let read = 0;
  async function* bytes() {
    for await (const frame of frames) {
      read++;
      yield frame.data;
    }
  }
  const toStdout = out === '-';
  const partial = `${out}.partial-${process.pid}`;
  const sink = toStdout ? process.stdout : createWriteStream(partial);
  const extraColumns = detector instanceof MnadDetector ? MNAD_COLUMNS : [];
  const closeSink = () => (toStdout ? Promise.resolve() : new Promise<void>((resolve, reject) => (sink as ReturnType<typeof createWriteStream>).end((error?: Error | null) => (error ? reject(error) : resolve()))));
  let scored = 0;
  try {
    sink.write(['frame', 'score', ...extraColumns].join(',') + '\n');
    for await (const item of streaming.scoreStream!(bytes())) {
      sink.write([item.frame, csvNumber(item.score), ...extraColumns.map((column) => csvNumber(item[column]))].join(',') + '\n');
      if (!Number.isNaN(item.score)) scored++;
    }
  } catch (error) {
    await closeSink().catch(() => undefined);
    if (!toStdout) rmSync(partial, { force: true }); // a failed run leaves no half-written file
    throw error;
  }
  await closeSink();
  if (!toStdout) renameSync(partial, out);
  // With --out - the CSV alone goes to standard output.
  const report = toStdout ? console.error : console.log;
  report(`read ${read} frame${read === 1 ? '' : 's'} of ${source} online and scored ${scored}${toStdout ? '' : `; wrote ${out}`}`);
  if (scored === 0) console.error(`no frame was scored: ${read} frame${read === 1 ? ' is' : 's are'} fewer than ${detector.modelName} needs before its first score`);
}
