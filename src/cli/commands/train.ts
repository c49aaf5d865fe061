/** `normality train <model>`: fit a detector on the normal training data and save it. */
import { rmSync } from 'node:fs';
import { defineCommand } from '../command.js';
import { createDetector, getModel, modelNames } from '../../models/registry.js';
import '../../models/index.js';
import type { Detector } from '../../detector/types.js';
import { invalidArgument } from '../../errors.js';
import { writeResults } from '../../report/results.js';
import { DATA_OPTIONS, RUNTIME_OPTIONS, applyRuntime, checkedMaxMinutes, trainingOverrides } from '../common-options.js';
import { resolveData } from '../datasets.js';
import { fitWithProgress } from '../fitting.js';
import { TRAIN_MODEL_OPTIONS, modelSettings } from '../model-options.js';
import { loadVideoSplit, videoFormat, videoRoot } from '../video-data.js';

export default defineCommand({
  name: 'train',
  summary: 'Train a detector on normal data and save it as a safetensors checkpoint',
  usage: '<model>',
  details: 'Training writes a resumable checkpoint (<out>.training) after every epoch; run the same command again after an interruption to resume. ' +
    'Video models train on the training videos of a frame folder: --dataset video --data <root>.',
  options: [
    { name: 'out', type: 'string', default: 'model.safetensors', placeholder: 'path', description: 'Where to save the trained detector' },
    { name: 'epochs', type: 'integer', default: 0, description: 'Training epochs (0 = the model\'s default)' },
    { name: 'batch-size', type: 'integer', default: 0, description: 'Batch size (0 = the model\'s default)' },
    { name: 'lr', type: 'number', default: 0, description: 'Learning rate (0 = the model\'s default)' },
    { name: 'max-minutes', type: 'number', default: 0, description: 'Stop training at the first epoch boundary where another epoch would pass this many minutes (0 = no limit); a rerun goes on' },
    { name: 'contamination', type: 'number', default: 0.1, description: 'Expected fraction of anomalies: sets the threshold that predict uses' },
    { name: 'architecture', type: 'string', placeholder: 'name', description: 'Network (MemAE: mnist, mnist-wide, cifar10, mlp); default: the one the dataset needs (images: cifar10, 32×32 RGB; mnist for 28×28 gray)' },
    ...DATA_OPTIONS,
    TRAIN_MODEL_OPTIONS,
    ...RUNTIME_OPTIONS,
  ],
  async run(o, positionals) {
    const model = positionals[0];
    if (!model) throw invalidArgument('<model>', `one of ${modelNames().join(', ')}`, model, 'Example: normality train memae --dataset mnist --normal-class 3');
    const precision = applyRuntime(o);
    const isVideoModel = getModel(model).input === 'video';
    if (isVideoModel !== (o.dataset === 'video')) {
      throw isVideoModel
        ? invalidArgument('--dataset', `video for the video model ${model}`, o.dataset, `Example: normality train ${model} --dataset video --data path/to/ucsd-ped2`)
        : invalidArgument('<model>', `a video model (${modelNames().filter((m) => getModel(m).input === 'video').join(', ')}) for --dataset video`, model);
    }
    const config: Record<string, unknown> = { seed: o.seed, device: o.device, precision, contamination: o.contamination, ...trainingOverrides(o), ...modelSettings(model, o.model, TRAIN_MODEL_OPTIONS) };
    let detector: Detector<unknown>;
    let data: unknown;
    let description: string;
    if (isVideoModel) {
      if (o.frameSize > 0) Object.assign(config, { height: o.frameSize, width: o.frameSize });
      detector = createDetector(model, config);
      const root = videoRoot(o.data);
      const format = videoFormat(detector);
      data = await loadVideoSplit(root, { split: 'train', ...format, quiet: o.quiet });
      description = `the training videos of ${root} at ${format.size}×${format.size}`;
    } else {
      const arrays = resolveData(o);
      config.architecture = o.architecture ?? arrays.architecture;
      if (config.architecture === 'mlp') config.inputFeatures = arrays.train.shape[1];
      detector = createDetector(model, config);
      data = arrays.train;
      description = arrays.description;
    }
    try {
      const report = await fitWithProgress(detector, data, { label: model, quiet: o.quiet, checkpointPath: `${o.out}.training`, maxMinutes: checkedMaxMinutes(o.maxMinutes) });
      detector.save(o.out);
      // Finished: the next run starts afresh. Stopped by --max-minutes: the next run goes on from the checkpoint.
      if (!report.stoppedByTime) rmSync(`${o.out}.training`, { force: true });
      await writeResults(`${o.out}.json`, { model, data: description, ...report, threshold: detector.threshold }, { seed: o.seed, options: o });
      const epochs = `${report.epochsDone}${report.stoppedByTime ? ` of ${report.epochs}` : ''} epoch${report.epochs === 1 ? '' : 's'}`;
      console.log(`trained ${model} for ${epochs} on ${description} in ${report.seconds.toFixed(1)} s (final loss ${report.losses.at(-1)?.toFixed(5)}); saved ${o.out}`);
    } finally {
      detector.dispose();
    }
  },
});
