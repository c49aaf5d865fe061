/**
 * `normality score` with a video checkpoint: a folder of videos (the test or training split of a video
 * dataset) scored as `test` scores it, or one recording (`--video`) scored online, frame by frame.
 */
import { createWriteStream, renameSync, rmSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { readFrameFolder, readVideoFile } from '../data/video/index.js';
import { csvField } from '../data/csv.js';
import type { Detector } from '../detector/types.js';
import { evaluateVideoSet, normalizeWithinVideo, scoresPerVideo } from '../detector/video-eval.js';
import { MnadDetector, type StreamFrameScore } from '../models/mnad/index.js';
import { framesPerItem, videoEvaluationOptions, videoModelNames } from '../models/registry.js';
import { fileNotFound, invalidArgument } from '../errors.js';
import { writeScoresCsv } from './scores-csv.js';
import { reportFacts, videoReportContent, writeReportOption } from './report-option.js';
import { sampleLimit } from './datasets.js';
import { loadVideoSplit, videoCount, videoFormat, videoRoot } from './video-data.js';

export interface VideoSetScoring {
  data?: string;
  split: 'train' | 'test';
  maxTrain: number;
  maxTest: number;
  labels?: string;
  frameSize: number;
  quiet?: boolean;
  out: string;
  /** An HTML report of the frame scores (and the AUCs when the videos have labels of both classes). */
  report?: string;
}

/**
 * Every frame of a split's videos, one row each: the detector's frame score, the score min-max normalised
 * within its video (what the AUCs of `test` rank), the prediction through the saved threshold and the
 * frame's label where the test videos have labels. Frames the method does not score (before its first
 * full clip) have empty cells.
 */
export async function scoreVideoSet(detector: Detector<unknown>, checkpoint: string, o: VideoSetScoring): Promise<void> {
  const root = videoRoot(o.data);
  const training = o.split === 'train';
  const set = await loadVideoSplit(root, {
    split: o.split, ...videoFormat(detector, o.frameSize), maxVideos: sampleLimit(training ? o.maxTrain : o.maxTest, training ? '--max-train' : '--max-test'),
    labels: training ? undefined : o.labels, quiet: o.quiet,
  });
  const scores = await detector.score(set) as Float64Array;
  const { threshold } = detector;
  const lines = ['video,frame,score,normalized,prediction,label'];
  const evaluationOptions = videoEvaluationOptions(detector.modelName); // MNAD's S is normalised per video already
  const videos = scoresPerVideo(set, scores);
  const normalizedVideos = videos.map((video) => ({ name: video.name, scores: evaluationOptions.normalize ? normalizeWithinVideo(video.scores) : video.scores }));
  videos.forEach((video, v) => {
    const normalized = normalizedVideos[v]!.scores;
    video.scores.forEach((score, i) => {
      const prediction = threshold === undefined || Number.isNaN(score) ? '' : score >= threshold ? 1 : 0;
      lines.push(`${csvField(video.name)},${i},${csvNumber(score)},${csvNumber(normalized[i])},${prediction},${set.labels?.[v]?.[i] ?? ''}`);
    });
  });
  const scored = scores.filter((score) => !Number.isNaN(score)).length;
  const csv = `${lines.join('\n')}\n`;
  const described = `${videoCount(set, training ? o.maxTrain : o.maxTest, training ? 'training' : 'test')} of ${root}`;
  const summary = `scored ${scored} of ${scores.length} frames in ${described}`;
  await writeScoresCsv(o.out, csv, summary);
  if (o.report) {
    // Labels of both classes: the AUCs beside the plots, as test reports them.
    const labels = set.labels;
    const bothClasses = labels !== undefined && labels.some((video) => video.includes(1)) && labels.some((video) => video.includes(0));
    const evaluation = bothClasses ? evaluateVideoSet(set, scores, evaluationOptions) : undefined;
    await writeReportOption(o.report, videoReportContent(`normality score: ${detector.modelName} (${checkpoint})`, reportFacts(checkpoint, detector, `${described}, ${o.split} split`),
      set, evaluation?.normalized ?? normalizedVideos, detector.modelName, evaluation, threshold));
  }
  if (scored === 0) console.error(`no frame was scored: every video is shorter than the ${framesPerItem(detector)} frames ${detector.modelName} needs before its first score`);
}

const VIDEO_EXTENSIONS = new Set(['.mp4', '.avi', '.mov', '.mkv', '.webm', '.mpg', '.mpeg', '.m4v', '.ts', '.mts', '.flv', '.wmv', '.3gp']);

interface StreamingDetector {
  config: { channels: number; height: number; width: number };
  scoreStream(frames: AsyncIterable<Uint8Array>): AsyncGenerator<{ frame: number; score: number } & Partial<MnadRawScores>>;
  /** The threshold of the stream's scores where it is not the saved one (MNAD's online S). */
  streamThreshold?: number;
}

/** MNAD's raw scores beside S, so that the paper's per-video S can be recomputed from the CSV (combineScores). */
type MnadRawScores = Pick<StreamFrameScore, 'psnr' | 'distance' | 'updated'>;
const MNAD_COLUMNS = ['psnr', 'distance', 'updated'] as const;

/** A number as a CSV field: empty where there is none (NaN: a frame without a score). */
const csvNumber = (value: number | boolean | undefined) => (typeof value === 'boolean' ? (value ? '1' : '0') : value === undefined || Number.isNaN(value) ? '' : String(value));

/**
 * Score a recording online: frames are decoded, scored and written in order, never all held at once. When
 * `stop` aborts (a live stream stopped with Ctrl-C), the frames read so far are scored and written as usual.
 */
export async function scoreRecording(detector: Detector<unknown>, source: string, out: string, stop?: AbortSignal): Promise<void> {
  const streaming = detector as unknown as Partial<StreamingDetector>;
  if (typeof streaming.scoreStream !== 'function' || !streaming.config) {
    const videoModels = videoModelNames();
    throw invalidArgument('--video', `a video model (${videoModels.join(', ')})`, (detector as { modelName?: string }).modelName);
  }
  if (source === '-') {
    throw invalidArgument('--video', 'a video file or a folder of frames', source, 'Standard input is not read: name a file, or a named pipe (mkfifo live.ts; ffmpeg … -f mpegts live.ts) that a live stream is written to.');
  }
  const { channels, height, width } = streaming.config;
  const format = { channels: channels as 1 | 3, height, width };
  const found = statSync(source, { throwIfNoEntry: false });
  if (!found) throw fileNotFound(source, `Video (a folder of frames or a ${[...VIDEO_EXTENSIONS].join('/')} file)`, 'Check the --video path.');
  // A named pipe is read as a file: ffmpeg reads it once, front to back, as a live stream comes.
  const isFile = found.isFile() || found.isFIFO();
  if (!isFile && !found.isDirectory()) {
    throw invalidArgument('--video', 'a video file, a named pipe or a folder of frames', source, 'A device or socket is not read: have ffmpeg write the stream to a file or a named pipe.');
  }
  if (found.isFile() && !VIDEO_EXTENSIONS.has(extname(source).toLowerCase())) {
    throw invalidArgument('--video', `a folder of frames or a video file (${[...VIDEO_EXTENSIONS].join(', ')})`, source);
  }
  const onDamage = (lines: string[]) => console.error(`note: ffmpeg reported damage in ${source} while decoding it (${lines.join(' | ')}): frames may be concealed or missing`);
  const frames = isFile ? readVideoFile(source, format, { onDamage, signal: stop, live: found.isFIFO() }) : readFrameFolder(source, format);
  let read = 0;
  async function* bytes() {
    for await (const frame of frames) {
      if (stop?.aborted) return;
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
  let flagged = 0;
  // The prediction through the threshold of the stream's scores: the saved one, or MNAD's of its online S.
  const threshold = 'streamThreshold' in streaming ? streaming.streamThreshold : detector.threshold;
  if (detector instanceof MnadDetector && !detector.streamCalibration) {
    console.error(`note: this ${detector.modelName} checkpoint holds no calibration of its online S (it was trained with --contamination 0, or saved before calibration existed), ` +
      'so its first frames are scored against one another alone and no frame is flagged; train it again with --contamination > 0 to calibrate it');
  }
  try {
    // The same columns with or without a threshold (the prediction is empty without one), as for a video set.
    sink.write(['frame', 'score', 'prediction', ...extraColumns].join(',') + '\n');
    // One row per frame read, in order: a frame that gets no score (MemAE's first 8 and last 7, the clip's
    // edges) has an empty one, as MNAD's first frames do, so that row n is always frame n.
    let next = 0;
    const emptyRowsUpTo = (frame: number) => {
      for (; next < frame; next++) sink.write(`${next},${','.repeat(1 + extraColumns.length)}\n`);
    };
    for await (const item of streaming.scoreStream!(bytes())) {
      emptyRowsUpTo(item.frame);
      const prediction = threshold === undefined || Number.isNaN(item.score) ? '' : item.score >= threshold ? '1' : '0';
      sink.write([item.frame, csvNumber(item.score), prediction, ...extraColumns.map((column) => csvNumber(item[column]))].join(',') + '\n');
      next = item.frame + 1;
      if (!Number.isNaN(item.score)) scored++;
      if (prediction === '1') flagged++;
    }
    emptyRowsUpTo(read);
  } catch (error) {
    await closeSink().catch(() => undefined);
    if (!toStdout) rmSync(partial, { force: true }); // a failed run leaves no half-written file
    throw error;
  }
  await closeSink();
  if (!toStdout) renameSync(partial, out);
  // With --out - the CSV alone goes to standard output.
  const report = toStdout ? console.error : console.log;
  const stopped = stop?.aborted ? `stopped (${String(stop.reason)}) after reading ` : 'read ';
  const flags = threshold === undefined ? '' : `, flagged ${flagged} (score at or above ${threshold.toPrecision(4)})`;
  report(`${stopped}${read} frame${read === 1 ? '' : 's'} of ${source} online and scored ${scored}${flags}${toStdout ? '' : `; wrote ${out}`}`);
  if (scored === 0 && !stop?.aborted) console.error(`no frame was scored: ${read} frame${read === 1 ? ' is' : 's are'} fewer than the ${framesPerItem(detector)} ${detector.modelName} needs before its first score`);
}
