/** `normality train <model>`: fit a detector on the normal training data and save it. */
import { rmSync } from 'node:fs';
import { defineCommand } from '../command.js';
import { createDetector, framesPerItem, getModel, loadDetector, modelNames, videoEvaluationOptions, videoModelNames } from '../../models/registry.js';
import '../../models/index.js';
import type { Detector, SampleArray } from '../../detector/types.js';
import type { VideoSet } from '../../detector/video.js';
import { dataDigest } from '../../detector/run-identity.js';
import { fileDigest, finishedTraining, trainingDigest } from '../training-report.js';
import { described, invalidArgument } from '../../errors.js';
import { writeResults } from '../../report/results.js';
import { DATA_OPTIONS, RUNTIME_OPTIONS, applyRuntime, checkedMaxMinutes, trainingOverrides } from '../common-options.js';
import { resolveData, sampleLimit } from '../datasets.js';
import { refuseUnusedDataOptions } from '../data-scope.js';
import { checkOutputFile, readPaths } from '../output-paths.js';
import { fitWithProgress } from '../fitting.js';
import { TRAIN_MODEL_OPTIONS, modelSettings, namedByFlags } from '../model-options.js';
import { loadVideoSplit, videoCount, videoFormat, videoRoot } from '../video-data.js';
import { EpochValidation, type ValidationData } from '../validation.js';
import { evaluateVideoSet } from '../../detector/video-eval.js';
import { rocAuc } from '../../metrics/roc.js';
import type { ArrayDataset } from '../../data/arrays.js';
import { looksHeaderless } from '../../data/csv.js';

export default defineCommand({
  name: 'train',
  summary: 'Train a detector on normal data and save it as a safetensors checkpoint',
  usage: '<model>',
  details: `Models: ${modelNames().map((name) => `${name} (${getModel(name).input === 'video' ? 'video' : 'images, tables'})`).join(', ')}. ` +
    'Training writes a resumable checkpoint (<out>.training) after every epoch; run the same command again after an interruption to resume, ' +
    'and after it finished to find it has nothing to do. Video models train on the training videos of a frame folder: --dataset video --data <root>.',
  options: [
    { name: 'out', type: 'string', default: 'model.safetensors', placeholder: 'path', description: 'Where to save the trained detector' },
    { name: 'epochs', type: 'integer', default: 0, description: 'Training epochs (0 = the model\'s default)' },
    { name: 'batch-size', type: 'integer', default: 0, description: 'Batch size (0 = the model\'s default)' },
    { name: 'lr', type: 'number', default: 0, description: 'Learning rate (0 = the model\'s default)' },
    { name: 'max-minutes', type: 'number', default: 0, description: 'Stop training at the first epoch boundary where another epoch would pass this many minutes (0 = no limit); a rerun goes on, and every run trains at least one epoch, so that each makes progress' },
    { name: 'contamination', type: 'number', default: 0.1, description: 'Expected fraction of anomalies: sets the threshold that predict uses' },
    { name: 'validate', type: 'boolean', description: 'After every epoch, score the labelled test data (--max-test limits it) and print its AUC (video models: micro AUC); the values go into <out>.json. The test data then guides training, so numbers measured on it afterwards are optimistic: validate on data you do not report on' },
    { name: 'keep-best', type: 'boolean', description: 'With --validate: save the epoch with the best validation AUC, not the last (its weights wait in <out>.best until training ends)' },
    { name: 'patience', type: 'integer', default: 0, description: 'With --validate: stop training once this many epochs have passed without a better validation AUC (0 = never stop early)' },
    { name: 'architecture', type: 'string', placeholder: 'name', description: 'Network (MemAE: mnist, mnist-wide, cifar10, mlp); default: the one the dataset needs (images: cifar10, 32×32 RGB; mnist for 28×28 gray)' },
    ...DATA_OPTIONS,
    TRAIN_MODEL_OPTIONS,
    ...RUNTIME_OPTIONS,
  ],
  async run(o, positionals, typed) {
    const model = positionals[0];
    if (!model) throw invalidArgument('<model>', `one of ${modelNames().join(', ')}`, model, 'Example: normality train memae --dataset mnist --normal-class 3');
    const precision = applyRuntime(o);
    const isVideoModel = getModel(model).input === 'video';
    if (isVideoModel !== (o.dataset === 'video')) {
      throw isVideoModel
        ? invalidArgument('--dataset', `video for the video model ${model}`, o.dataset, `Example: normality train ${model} --dataset video --data path/to/ucsd-ped2`)
        : invalidArgument('<model>', `a video model (${videoModelNames().join(', ')}) for --dataset video`, model);
    }
    refuseUnusedDataOptions(o, typed, { command: 'train', data: o.dataset });
    if (!(o.contamination >= 0 && o.contamination <= 0.5)) throw invalidArgument('--contamination', 'a fraction in [0, 0.5] (0: no threshold)', o.contamination);
    const config: Record<string, unknown> = { seed: o.seed, device: o.device, precision, contamination: o.contamination, ...trainingOverrides(o), ...modelSettings(model, o.model, TRAIN_MODEL_OPTIONS, typed) };
    for (const [flag, given] of [['--keep-best', o.keepBest === true], ['--patience', o.patience !== 0]] as const) {
      if (given && !o.validate) throw invalidArgument(flag, '--validate beside it, to measure which epoch is best', described(`${flag} without --validate`));
    }
    if (!Number.isInteger(o.patience) || o.patience < 0) throw invalidArgument('--patience', 'a number of epochs, or 0 never to stop early', o.patience);
    checkOutputFile(o.out, '--out', 'the detector file', 'model.safetensors', readPaths(undefined, o));
    const maxMinutes = checkedMaxMinutes(o.maxMinutes);
    let detector: Detector<unknown>;
    let data: unknown;
    let description: string;
    let validationData: ValidationData<unknown> | undefined;
    if (isVideoModel) {
      if (!Number.isInteger(o.frameSize) || o.frameSize < 0) throw invalidArgument('--frame-size', "a positive number of pixels, or 0 for the model's default", o.frameSize);
      if (o.frameSize > 0) Object.assign(config, { height: o.frameSize, width: o.frameSize });
      detector = namedByFlags(() => createDetector(model, config));
      const root = videoRoot(o.data);
      const format = videoFormat(detector);
      const videos = await loadVideoSplit(root, { split: 'train', ...format, maxVideos: sampleLimit(o.maxTrain, '--max-train'), quiet: o.quiet });
      data = videos;
      description = `${videoCount(videos, o.maxTrain, 'training')} of ${root} at ${format.size}×${format.size}`;
      const needed = framesPerItem(detector);
      const short = videos.videos.filter((video) => video.length < needed).map((video) => `${video.name} (${video.length} frame${video.length === 1 ? '' : 's'})`);
      if (short.length > 0) console.error(`note: training videos shorter than the ${needed} frames ${model} takes at once add nothing to training: ${short.join(', ')}`);
      if (o.validate) {
        const test = await loadVideoSplit(root, { split: 'test', ...format, maxVideos: sampleLimit(o.maxTest, '--max-test'), labels: o.labels, quiet: o.quiet });
        validationData = { data: test, name: 'micro AUC', metric: (scores) => evaluateVideoSet(test, scores, videoEvaluationOptions(model)).microAuc };
      }
    } else {
      const arrays = resolveData({ ...o, trainOnly: !o.validate });
      // A table read without labels has no label column to miss: its first row of values would pass for column names.
      const columns = arrays.train.featureNames;
      if (columns && looksHeaderless(columns)) {
        console.error(`note: ${o.data} seems to have no header: its first line holds numbers alone, yet is read as the column names (and not trained on); add a header line naming the columns`);
      }
      config.architecture = o.architecture ?? arrays.architecture;
      if (config.architecture === 'mlp') config.inputFeatures = arrays.train.shape[1];
      detector = namedByFlags(() => createDetector(model, config));
      data = arrays.train;
      description = arrays.description;
      if (o.validate) validationData = labelledValidation(arrays.test);
    }
    // The same training run again after it finished: the model at --out is already its result.
    const validationDigest = validationData && dataDigest(validationData.data as SampleArray | VideoSet);
    const digest = trainingDigest({
      model, config: detector.config, data: dataDigest(data as SampleArray | VideoSet),
      validation: validationDigest ? { data: validationDigest, keepBest: o.keepBest === true, patience: o.patience } : null,
    });
    const finished = finishedTraining(o.out, digest);
    if (finished) {
      detector.dispose();
      console.log(`${o.out} already holds this training, finished after ${finished.epochsDone} epoch${finished.epochsDone === 1 ? '' : 's'} (its report ${o.out}.json says so): nothing to do. Delete it, or choose another --out, to train it again.`);
      return;
    }
    try {
      const validation = validationData && new EpochValidation(detector, validationData, o.out, o.keepBest === true, validationDigest!);
      const report = await fitWithProgress(detector, data, {
        label: model, quiet: o.quiet, checkpointPath: `${o.out}.training`, maxMinutes, afterEpoch: validation && ((epoch) => validation.afterEpoch(epoch)),
        stopEarly: validation && (() => validation.noImprovementFor(o.patience)),
      });
      const summary = validation?.summary;
      const keptEpoch = o.keepBest && summary ? summary.bestEpoch : report.epochsDone;
      let threshold = detector.threshold;
      if (keptEpoch === report.epochsDone) detector.save(o.out);
      else threshold = await saveBestEpoch(validation!.bestPath, o.out, data, { device: o.device, precision, contamination: o.contamination });
      await writeResults(`${o.out}.json`, {
        model, data: description, ...report, ...(summary ? { validation: { ...summary, keptEpoch } } : {}), threshold, modelDigest: fileDigest(o.out), trainingDigest: digest,
      }, { seed: o.seed, options: o });
      // Finished: the next run starts afresh (or, the same run, has nothing to do). Stopped by --max-minutes: the
      // next run goes on from the checkpoint. Removed last, so that a kill before this leaves a run to go on from.
      if (!report.stoppedByTime) {
        rmSync(`${o.out}.training`, { force: true });
        validation?.remove();
      }
      const epochs = `${report.epochsDone}${report.stoppedByTime || report.stoppedEarly ? ` of ${report.epochs}` : ''} epoch${report.epochs === 1 ? '' : 's'}` +
        `${report.stoppedEarly ? ` (stopped early: no better validation ${summary!.metric} in the last ${o.patience})` : ''}`;
      const validated = summary && summary.values.length > 0 ? `; validation ${summary.metric} ${summary.values.at(-1)!.toFixed(4)} after the last epoch, best ${summary.best.toFixed(4)} after epoch ${summary.bestEpoch}` : '';
      const kept = keptEpoch === report.epochsDone ? '' : ` the model of epoch ${keptEpoch} as`;
      console.log(`trained ${model} for ${epochs} on ${description} in ${report.seconds.toFixed(report.seconds < 1 ? 2 : 1)} s (final loss ${report.losses.at(-1)?.toFixed(5)})${validated}; saved${kept} ${o.out}`);
    } finally {
      detector.dispose();
    }
  },
});

/** --validate on arrays: the labelled test split, measured by its ROC AUC. */
function labelledValidation(test: ArrayDataset): ValidationData<SampleArray> {
  const labels = test.labels;
  const anomalies = labels?.reduce((n, l) => n + (l === 1 ? 1 : 0), 0) ?? 0;
  if (!labels || anomalies === 0 || anomalies === labels.length) {
    throw invalidArgument('--validate', 'labelled test data with both normal and anomalous samples to measure each epoch on', described(labels ? `${anomalies} anomalies in ${labels.length} samples` : 'unlabelled data'),
      'Give data with labels (tables: --label-column; images: test/good and test/<defect>), or train without --validate.');
  }
  return { data: test, name: 'auc', metric: (scores) => rocAuc(labels, scores) };
}

/** --keep-best: the best epoch's weights, saved during training, become the model, with its own threshold. */
async function saveBestEpoch(bestPath: string, out: string, trainingData: unknown, runtime: { device: string; precision: string; contamination: number }): Promise<number | undefined> {
  const best = loadDetector(bestPath, { device: runtime.device, precision: runtime.precision });
  try {
    if (runtime.contamination > 0) best.fitThreshold(await best.score(trainingData), runtime.contamination);
    best.save(out);
    return best.threshold;
  } finally {
    best.dispose();
  }
}

