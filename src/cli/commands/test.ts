/** `normality test <checkpoint>`: score a labelled test set and print the metrics. */
import { defineCommand } from '../command.js';
import '../../models/index.js';
import type { Detector, SampleArray } from '../../detector/types.js';
import type { VideoSet } from '../../detector/video.js';
import { precisionRecallF1AtThreshold } from '../../metrics/f1.js';
import { fileDigest } from '../training-report.js';
import { evaluateVideoSet, frameScoresForJson, scoredFrames, scoresPerVideo } from '../../detector/video-eval.js';
import { getModel, videoEvaluationOptions } from '../../models/registry.js';
import { loadVideoSplit, printVideoEvaluation, videoCount, videoFormat, videoRoot } from '../video-data.js';
import { printTable } from '../../report/table.js';
import { writeResults } from '../../report/results.js';
import { DATA_OPTIONS, RUNTIME_OPTIONS, TABLE_ROWS_OPTION, openCheckpoint } from '../common-options.js';
import { SCORE_MODEL_OPTIONS } from '../model-options.js';
import { resolveDataFor, sampleLimit } from '../datasets.js';
import { evaluate, metricsRow } from '../fitting.js';
import { described, invalidArgument } from '../../errors.js';
import { canLocalize, localizing, mapsOption, pixelMetrics, writeMapsOption } from '../anomaly-maps.js';
import { REPORT_OPTION, checkReportOption, reportFacts, videoReportContent, writeReportOption } from '../report-option.js';
import { canExplain } from '../explain.js';
import { refuseUnusedDataOptions } from '../data-scope.js';
import { asTrained, dataAsTrained } from '../training-split.js';
import { checkOutputFile, outFromConfig, readPaths } from '../output-paths.js';

export default defineCommand({
  name: 'test',
  summary: 'Score a labelled test set with a saved detector and print AUC, AP and F1 (images with MVTec AD masks: pixel AUC and PRO too; video models: micro and per-video AUC)',
  usage: '<checkpoint>',
  options: [
    { name: 'out', type: 'string', default: 'results/test.json', placeholder: 'path', description: 'Where to write the metrics as JSON' },
    { name: 'maps', type: 'string', placeholder: 'folder', description: 'Image models: also write each test image\'s anomaly map as a PNG heatmap here, named after its image; one colour scale for the whole set' },
    REPORT_OPTION,
    ...DATA_OPTIONS,
    TABLE_ROWS_OPTION,
    SCORE_MODEL_OPTIONS,
    ...RUNTIME_OPTIONS,
  ],
  async run(o, positionals, typed) {
    const { path, detector } = openCheckpoint(positionals, o, typed);
    o = dataAsTrained(path, o, typed);
    try {
      const inputs = readPaths(path, o);
      // Checked before any work: only image detectors give maps.
      const mapper = mapsOption(detector, o.maps, inputs);
      o.out = outFromConfig(o.out, typed, inputs, 'results/test.json');
      checkReportOption(o.report, inputs, o.out);
      checkOutputFile(o.out, '--out', 'a JSON file of the metrics', 'test.json', inputs);
      if (getModel(detector.modelName).input === 'video') {
        refuseUnusedDataOptions(o, typed, { command: 'test', data: 'video' });
        await testVideo(detector, path, o);
        return;
      }
      refuseUnusedDataOptions(o, typed, { command: 'test', data: o.dataset });
      if (typed.has('maxTrain')) throw invalidArgument('--max-train', 'no training subset: test reads the test samples alone', o.maxTrain, 'Cap them with --max-test.');
      const data = resolveDataFor(detector, asTrained(path, o, typed));
      const labels = data.test.labels;
      if (!labels && o.dataset === 'images') {
        throw invalidArgument('--data', 'a labelled image folder to measure the detector on: train/, test/good and test/<defect> (MVTec AD layout)', o.data,
          'Use normality score for the scores of unlabelled images.');
      }
      if (!labels) {
        throw invalidArgument('--label-column', 'a labelled table to measure the detector on', o.labelColumn,
          'Name the column (or .npz/.mat array) that holds the labels, or use normality score for the scores of unlabelled rows.');
      }
      const anomalies = labels.reduce((n, label) => n + label, 0);
      if (labels.length === 0) throw invalidArgument('--data', 'labelled test data to measure the detector on', described(`none in ${data.description}`), 'An MVTec AD folder keeps it in test/good and test/<defect>.');
      if (anomalies === 0 || anomalies === labels.length) {
        const only = labels.length === 1 ? `1 sample, ${anomalies ? 'an anomaly' : 'normal'}` : `${labels.length} samples, all ${anomalies ? 'anomalies' : 'normal'}`;
        throw invalidArgument('--data', 'labelled test data with both normal samples and anomalies, to measure an AUC', described(`${only}: ${data.description}`),
          o.maxTest ? '--max-test keeps a random subset, which missed a class: raise it.' : 'Give test data with both classes, or use normality score for the scores alone.');
      }
      const scores = await detector.score(data.test as SampleArray);
      const metrics = evaluate(labels, scores, detector.threshold);
      // MVTec AD's ground_truth/ masks: where the detector looks, measured too.
      const { masks } = data.test;
      // A report shows the maps beside its images whenever the detector gives them.
      const mapping = mapper ?? (masks || (o.report !== undefined && canLocalize(detector)) ? localizing(detector, '<checkpoint>') : undefined);
      const maps = mapping ? await mapping.anomalyMaps(data.test as SampleArray) : undefined;
      const pixel = masks && maps ? pixelMetrics(maps, masks) : undefined;
      const row = { ...metricsRow(metrics), ...pixel };
      console.log(`${data.description}`);
      // Counts whole, measures with 4 decimals each: an AUC of exactly 1 is 1.0000, as a PRO of 0.99999… is.
      printTable([row], { precision: 4, whole: ['samples', 'anomalies'] });
      console.log(`auc: ROC AUC; averagePrecision: area under the precision-recall curve; bestF1: the best F1 over all thresholds${metrics.atThreshold ? `; precision, recall, f1: at the checkpoint's threshold ${metrics.atThreshold.threshold.toPrecision(4)}` : ''}${pixel ? '; pixelAuc and pro (per-region overlap up to a false positive rate of 0.3): over the anomaly maps' : ''}`);
      if (masks && !pixel) console.log('pixel metrics: not measured, since the ground-truth masks of the tested images mark no anomalous pixel (or no normal one)');
      await writeResults(o.out, { checkpoint: path, checkpointDigest: fileDigest(path), data: data.description, ...metrics, ...pixel }, { seed: o.seed, options: o });
      if (mapper && maps) writeMapsOption(o.maps!, maps, data.test.files);
      if (o.report) {
        const { test } = data;
        await writeReportOption(o.report, {
          title: `normality test: ${detector.modelName} (${path})`,
          facts: reportFacts(path, detector, data.description),
          metrics: row,
          scoreLabel: 'anomaly score', scores, labels, threshold: detector.threshold,
          ...(test.shape.length === 4 ? { images: { x: test.x, shape: test.shape, files: test.files, maps } } : {}),
          ...(canExplain(detector) ? { rows: { x: test.x, shape: test.shape, featureNames: test.featureNames, errors: await detector.featureErrors(test as SampleArray), fileRows: test.rows } } : {}),
        });
      }
    } finally {
      detector.dispose();
    }
  },
});

/** A video model on the labelled test videos: per-video min-max, micro AUC and per-video AUCs (SPEC §4). */
async function testVideo(detector: Detector<unknown>, path: string, o: { data?: string; maxTest: number; frameSize: number; labels?: string; quiet?: boolean; out: string; seed: number; report?: string }): Promise<void> {
  const root = videoRoot(o.data);
  const test = await loadVideoSplit(root, { split: 'test', ...videoFormat(detector, o.frameSize), maxVideos: sampleLimit(o.maxTest, '--max-test'), labels: o.labels, quiet: o.quiet });
  // Before scoring, which can take long: without labels there is nothing to measure against.
  if (!test.labels) {
    throw invalidArgument('--labels', `frame labels for the test videos of ${root} (ped2.mat, UCSDped2.m, frame_labels_*.npy or a folder of per-video .npy masks)`, described('none found beside them'),
      'Name the file or folder with --labels <path>, or use normality score for the frame scores without labels.');
  }
  const frames = test.labels.reduce((n, l) => n + l.length, 0);
  const anomalous = test.labels.reduce((n, l) => n + l.reduce((a, b) => a + b, 0), 0);
  if (anomalous === 0 || anomalous === frames) {
    throw invalidArgument('--labels', 'test videos with both normal and anomalous frames, to measure an AUC', described(`${frames} frames, all ${anomalous ? 'anomalous' : 'normal'}, in ${test.labelSource}`),
      'Test on videos that hold anomalies (--max-test keeps the first N), or use normality score for the frame scores alone.');
  }
  const scores = await detector.score(test);
  const evaluation = evaluateVideoSet(test, scores, videoEvaluationOptions(detector.modelName));
  printVideoEvaluation(test, evaluation);
  const tested = `${root} (${videoCount(test, o.maxTest, 'test')} at ${test.width}×${test.height}, labels from ${test.labelSource})`;
  console.log(`${tested}: micro AUC ${evaluation.microAuc.toFixed(4)} over ${evaluation.scoredFrames} scored frames, mean per-video AUC ${evaluation.meanVideoAuc.toFixed(4)}`);
  // The frames predict flags: the saved threshold on the scores as the detector gives them (as score's CSV predicts).
  const atThreshold = detector.threshold === undefined ? undefined : {
    ...framesAtThreshold(test, scores, detector.threshold),
    // frameScores are min-max normalised within their video (MemAE); the threshold is of the scores before it.
    ...(videoEvaluationOptions(detector.modelName).normalize ? { appliesTo: 'the raw frame scores, before the per-video min-max of frameScores' } : {}),
  };
  if (atThreshold) console.log(`at the checkpoint's threshold ${atThreshold.threshold.toPrecision(4)}: precision ${atThreshold.precision.toFixed(4)}, recall ${atThreshold.recall.toFixed(4)}, F1 ${atThreshold.f1.toFixed(4)} over the scored frames`);
  await writeResults(o.out, {
    checkpoint: path, checkpointDigest: fileDigest(path), data: tested, labels: test.labelSource, microAuc: evaluation.microAuc, meanVideoAuc: evaluation.meanVideoAuc,
    ...(atThreshold ? { atThreshold } : {}),
    videoAucs: evaluation.videoAucs.map((auc) => (Number.isNaN(auc) ? null : auc)),
    scoredFrames: evaluation.scoredFrames, totalFrames: evaluation.totalFrames,
    frameScores: frameScoresForJson(evaluation),
  }, { seed: o.seed, options: o });
  if (o.report) await writeReportOption(o.report, videoReportContent(`normality test: ${detector.modelName} (${path})`, reportFacts(path, detector, root), test, evaluation.normalized, detector.modelName, evaluation, detector.threshold));
}

/** Precision, recall and F1 of the frames a threshold flags, over the frames the model scores. */
function framesAtThreshold(test: VideoSet, scores: Float64Array, threshold: number): { threshold: number; precision: number; recall: number; f1: number } {
  const frames = scoredFrames(scoresPerVideo(test, scores), test.labels);
  const { precision, recall, f1 } = precisionRecallF1AtThreshold(Int32Array.from(frames.labels), Float64Array.from(frames.scores), threshold);
  return { threshold, precision, recall, f1 };
}
