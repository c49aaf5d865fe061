/** `normality score <checkpoint>`: write one anomaly score per sample (and the prediction, given a threshold). */
import { defineCommand } from '../command.js';
import { csvField } from '../../data/csv.js';
import { getModel } from '../../models/index.js';
import type { SampleArray } from '../../detector/types.js';
import { described, invalidArgument } from '../../errors.js';
import { DATA_OPTIONS, RUNTIME_OPTIONS, TABLE_ROWS_OPTION, openCheckpoint } from '../common-options.js';
import { SCORE_MODEL_OPTIONS } from '../model-options.js';
import { resolveDataFor } from '../datasets.js';
import { canLocalize, mapsOption, writeMapsOption } from '../anomaly-maps.js';
import { REPORT_OPTION, checkReportOption, reportFacts, writeReportOption } from '../report-option.js';
import { canExplain, explainColumns, explainOption } from '../explain.js';
import { refuseUnusedDataOptions } from '../data-scope.js';
import { asTrained, dataAsTrained } from '../training-split.js';
import { checkOutputFile, outFromConfig, readPaths } from '../output-paths.js';
import { scoreRecording, scoreVideoSet } from '../score-video.js';
import { videoFormat } from '../video-data.js';
import { stopOnSignals } from '../stop-signals.js';
import { writeScoresCsv } from '../scores-csv.js';
import { evaluate, metricsRow } from '../fitting.js';
import { hasBothClasses } from '../../metrics/validate.js';

export default defineCommand({
  name: 'score',
  summary: 'Write per-sample anomaly scores (higher = more anomalous) as CSV',
  usage: '<checkpoint>',
  options: [
    { name: 'out', type: 'string', default: 'scores.csv', placeholder: 'path', description: 'CSV with index, score, prediction, label when known, the file of each image (MNIST, CIFAR-10: its split and index, as test/1234) or the row of each table row (counting data rows from 0) (video checkpoints: video, frame, score, normalized within its video, prediction, label); - for standard output' },
    { name: 'maps', type: 'string', placeholder: 'folder', description: 'Image models: also write each image\'s anomaly map (squared reconstruction error per pixel) as a PNG heatmap here, named after its image; one colour scale for the whole set' },
    REPORT_OPTION,
    { name: 'explain', type: 'integer', default: 0, description: 'Table models: name each row\'s N features with the largest reconstruction error, and their share of it, as columns feature_1,share_1,… of the CSV (0 = none)' },
    { name: 'split', type: 'choice', choices: ['test', 'train'], default: 'test', description: 'Which part of the dataset to score' },
    { name: 'video', type: 'string', placeholder: 'path', description: 'Video models: a folder of frames or a video file (.mp4, .avi; needs ffmpeg), scored online, frame by frame (MNAD: S over the frames so far, calibrated by the training videos, with the raw psnr and distance beside it); Ctrl-C ends a live stream (a named pipe) and keeps the rows scored so far' },
    ...DATA_OPTIONS,
    TABLE_ROWS_OPTION,
    SCORE_MODEL_OPTIONS,
    ...RUNTIME_OPTIONS,
  ],
  async run(o, positionals, typed) {
    const { path, detector } = openCheckpoint(positionals, o, typed);
    if (!o.video) o = dataAsTrained(path, o, typed);
    try {
      if (o.maps && o.video) throw invalidArgument('--maps', 'images to map, not a --video', o.maps, 'Video models give frame scores, not maps.');
      if (o.report && o.video) {
        throw invalidArgument('--report', 'a dataset to report on, not a --video scored online', o.report,
          'Plot the frame scores of the CSV, or run normality test --report on labelled test videos.');
      }
      const inputs = readPaths(path, o);
      o.out = outFromConfig(o.out, typed, inputs, 'scores.csv');
      checkReportOption(o.report, inputs, o.out);
      if (o.out !== '-') checkOutputFile(o.out, '--out', 'a CSV file of the scores', 'scores.csv', inputs);
      const explained = explainOption(detector, o.explain);
      if (o.video) {
        refuseUnusedDataOptions(o, typed, { command: 'score', data: 'video recording' });
        if (typed.has('split')) throw invalidArgument('--split', 'no split with one --video recording (it is scored whole)', o.split, 'Leave --split out, or score a dataset\'s split with --data.');
        if (getModel(detector.modelName).input === 'video') videoFormat(detector, o.frameSize); // a --frame-size must be the trained one
        // A live recording ends when it is stopped: the rows scored so far are the result.
        const stop = stopOnSignals();
        try {
          await scoreRecording(detector, o.video, o.out, stop.signal);
        } finally {
          stop.dispose();
        }
        return stop.exitCode();
      }
      const mapper = mapsOption(detector, o.maps, inputs);
      if (getModel(detector.modelName).input === 'video') {
        refuseUnusedDataOptions(o, typed, { command: 'score', data: 'video' });
        await scoreVideoSet(detector, path, o);
        return;
      }
      refuseUnusedDataOptions(o, typed, { command: 'score', data: o.dataset });
      // --rows all reads the whole table in file order, and the other part of the split is not read at all.
      if (o.rows === 'all' && typed.has('split')) throw invalidArgument('--split', 'no split with --rows all (every row of the table, in file order)', o.split, 'Leave out one of the two.');
      if (typed.has('maxTrain') && o.split !== 'train') throw invalidArgument('--max-train', 'no training subset when the test split is scored', o.maxTrain, 'Score training samples with --split train, or cap the test samples with --max-test.');
      if (typed.has('maxTest') && o.split === 'train') throw invalidArgument('--max-test', 'no test subset when the training split is scored', o.maxTest, 'Cap the training samples with --max-train.');
      const data = resolveDataFor(detector, asTrained(path, o, typed));
      const samples = o.split === 'train' ? data.train : data.test;
      if (samples.shape[0] === 0) {
        throw invalidArgument('--split', `a part of ${o.data ?? o.dataset} that holds samples to score`, described(`${o.split}, which holds none`),
          o.split === 'test' ? 'A folder of training images alone (train/ without test/) is scored with --split train.' : undefined);
      }
      const scores = await detector.score(samples as SampleArray);
      const threshold = detector.threshold;
      const files = samples.files;
      // Which features: for --explain, and for a report's rows.
      const errors = canExplain(detector) && (explained > 0 || o.report) ? await detector.featureErrors(samples as SampleArray) : undefined;
      const columns = errors && explained > 0 ? explainColumns(errors, explained, errors.featureNames ?? samples.featureNames) : undefined;
      // Tables: the file row of each score, since a held-out split is shuffled and a subset skips rows.
      const rows = samples.rows;
      const lines = [`index,score,prediction,label${files ? ',file' : ''}${rows ? ',row' : ''}${columns ? `,${columns.header}` : ''}`];
      scores.forEach((score, i) => lines.push(`${i},${score},${threshold === undefined ? '' : score >= threshold ? 1 : 0},${samples.labels?.[i] ?? ''}`
        + (files ? `,${csvField(files[i]!)}` : '') + (rows ? `,${rows[i]}` : '') + (columns ? `,${columns.cells(i)}` : '')));
      const csv = `${lines.join('\n')}\n`;
      await writeScoresCsv(o.out, csv, `scored ${scores.length} sample${scores.length === 1 ? '' : 's'} of ${data.description}`);
      // A report shows the maps beside its images whenever the detector gives them.
      const mapping = mapper ?? (o.report !== undefined && canLocalize(detector) ? detector : undefined);
      const maps = mapping ? await mapping.anomalyMaps(samples as SampleArray) : undefined;
      if (mapper && maps) writeMapsOption(o.maps!, maps, samples.files);
      if (o.report) {
        await writeReportOption(o.report, {
          title: `normality score: ${detector.modelName} (${path})`,
          // A table read whole, or a plain image folder, has no split: both parts are the whole file or folder.
          facts: reportFacts(path, detector, data.whole ? data.description : `${data.description}, ${o.split} split`),
          scoreLabel: 'anomaly score', scores, labels: samples.labels, threshold,
          // Labels of both classes: the metrics beside the curves drawn from them, as test reports them.
          ...(samples.labels && hasBothClasses(samples.labels) ? { metrics: metricsRow(evaluate(samples.labels!, scores, threshold)) } : {}),
          ...(samples.shape.length === 4 ? { images: { x: samples.x, shape: samples.shape, files, maps } } : {}),
          ...(errors ? { rows: { x: samples.x, shape: samples.shape, featureNames: samples.featureNames, errors, fileRows: samples.rows } } : {}),
        });
      }
    } finally {
      detector.dispose();
    }
  },
});
