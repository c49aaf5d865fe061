/**
 * `normality info <checkpoint>`: what a saved detector is, without loading it into libtorch: its model,
 * configuration, threshold and weights, and how it was trained (from the report `train` wrote beside it).
 */
import { statSync } from 'node:fs';
import { defineCommand } from '../command.js';
import { DTYPE_SIZES, getJsonMetadata, loadSafetensors } from '../../checkpoint/safetensors.js';
import { getModel, savedModelName } from '../../models/registry.js';
import '../../models/index.js';
import type { ValidationSummary } from '../validation.js';
import { trainingReportOf } from '../training-report.js';
import { invalidArgument } from '../../errors.js';
import { savedStreamCalibration, type StreamCalibration } from '../../models/mnad/stream-calibration.js';
import { TRAINING_ONLY_SETTINGS } from '../../detector/training-settings.js';

/** Where `normality import` took an imported checkpoint's weights from (its 'imported' metadata). */
export interface ImportedFrom {
  /** The weights' file name (the authors' model.pth or state dict). */
  from: string;
  /** MNAD: the memory items' file name (keys.pt). */
  memory?: string;
  /** When it was imported (ISO 8601). */
  at: string;
}

/**
 * Settings that act only while training (and fitting the threshold after it). An imported checkpoint carries
 * them with the model's defaults, but its weights were trained elsewhere: they say nothing about it.
 */
const TRAINING_ONLY = new Set([...TRAINING_ONLY_SETTINGS, 'contamination']);

export interface CheckpointInfo {
  path: string;
  model: string;
  summary: string;
  /** The Normality version that saved it. */
  version: string | undefined;
  /** Every saved setting, those the network and variant ignore included (as loadDetector takes them back). */
  config: Record<string, unknown>;
  /** The settings that shape this detector: `config` less what its network and variant ignore (what the text shows). */
  settingsInUse: Record<string, unknown>;
  /**
   * The keys of `config` that this network and variant ignore, such as an image MemAE's table settings
   * (inputFeatures, hiddenSizes, normalize): saved with their defaults, so that the file loads as saved, but
   * not what the detector is. Named here since `config` alone reads as if they applied.
   */
  settingsNotInUse: string[];
  threshold: number | null;
  /** MNAD: what its online S (score --video) is calibrated with, learnt from the training videos. */
  stream?: StreamCalibration;
  /** Tensors and values stored (weights, batch-norm statistics, memory items), and bytes on disk. */
  tensors: number;
  values: number;
  bytes: number;
  /** A table model's input columns by name, in its order: what test and score match a table's header to. */
  columns?: string[];
  /**
   * A resumable training checkpoint (`<out>.training`, or a video reproduce's --checkpoint; with the optimizer's
   * state): how far it got of the epochs asked for, and the command that trains it when it recorded one
   * (`reproduce memae-ped2`; train's records none).
   */
  resumable?: { epochsDone: number; epochs: number | undefined; lastLoss: number | undefined; command?: string };
  /** Weights made by `normality import` from the authors' files: trained elsewhere, so `config`'s training settings never ran. */
  imported?: ImportedFrom;
  /** `train`'s report beside the checkpoint (`<path>.json`), when it is there. */
  training?: {
    data?: string; epochsDone?: number; epochs?: number;
    /** The last epoch's loss; with --keep-best, `keptLoss` is the loss of the epoch that was kept. */
    finalLoss?: number; keptLoss?: number;
    seconds?: number; trainedAt?: string; validation?: ValidationSummary & { keptEpoch: number };
    /** 'tf32' for a CUDA run with --precision tf32: a libtorch switch during training, so not in `config` (which says fp32). */
    precision?: string;
  };
}

export function checkpointInfo(path: string): CheckpointInfo {
  const { tensors, metadata } = loadSafetensors(path);
  const model = savedModelName(metadata, path);
  let values = 0;
  for (const tensor of tensors.values()) values += tensor.data.byteLength / DTYPE_SIZES[tensor.dtype];
  const threshold = getJsonMetadata(metadata, 'threshold', path);
  const training = getJsonMetadata(metadata, 'training', path) as { epochsDone: number; losses: number[] } | undefined;
  const stream = savedStreamCalibration(getJsonMetadata(metadata, 'stream', path), path);
  const config = (getJsonMetadata(metadata, 'config', path) ?? {}) as Record<string, unknown>;
  const imported = getJsonMetadata(metadata, 'imported', path) as ImportedFrom | undefined;
  const modelSettings = getModel(model).settingsInUse?.(config) ?? config;
  const settingsInUse = imported ? Object.fromEntries(Object.entries(modelSettings).filter(([key]) => !TRAINING_ONLY.has(key))) : modelSettings;
  const command = getJsonMetadata(metadata, 'command', path);
  const columns = (getJsonMetadata(metadata, 'normalization', path) as { features?: unknown } | null | undefined)?.features;
  return {
    path,
    model,
    summary: getModel(model).summary,
    version: getJsonMetadata(metadata, 'version', path) as string | undefined,
    config,
    settingsInUse,
    settingsNotInUse: Object.keys(config).filter((key) => !(key in settingsInUse)),
    threshold: typeof threshold === 'number' ? threshold : null,
    ...(stream ? { stream } : {}),
    tensors: tensors.size,
    values,
    bytes: statSync(path).size,
    ...(Array.isArray(columns) ? { columns: columns.map(String) } : {}),
    ...(training ? {
      resumable: {
        epochsDone: training.epochsDone, epochs: typeof config.epochs === 'number' ? config.epochs : undefined, lastLoss: training.losses.at(-1),
        ...(typeof command === 'string' ? { command } : {}),
      },
    } : {}),
    ...(imported ? { imported } : {}),
    ...trainingReport(path),
  };
}

/** The report `normality train` wrote beside this very checkpoint; a missing, unreadable or stale one is left out. */
function trainingReport(path: string): Pick<CheckpointInfo, 'training'> {
  const report = trainingReportOf(path);
  if (!report) return {};
  const { meta, results } = report;
  const losses = Array.isArray(results?.losses) ? (results.losses as number[]) : undefined;
  const validation = results?.validation as (ValidationSummary & { keptEpoch: number }) | undefined;
  // --keep-best: the saved model is an earlier epoch's, whose loss is not the last one.
  const kept = validation && validation.keptEpoch !== losses?.length ? losses?.[validation.keptEpoch - 1] : undefined;
  // TF32 acts on CUDA alone (a CPU run is fp32, and reports written before that was recorded may say tf32).
  const tf32 = meta?.options?.precision === 'tf32' && String(meta.options.device).startsWith('cuda');
  return {
    training: {
      data: results?.data as string | undefined, epochsDone: results?.epochsDone as number | undefined, epochs: results?.epochs as number | undefined,
      finalLoss: losses?.at(-1), ...(kept !== undefined ? { keptLoss: kept } : {}),
      seconds: results?.seconds as number | undefined, trainedAt: meta?.timestamp, ...(validation ? { validation } : {}),
      ...(tf32 ? { precision: 'tf32' } : {}),
    },
  };
}

export default defineCommand({
  name: 'info',
  summary: 'Show what a saved detector is: model, configuration, threshold, weights and how it was trained',
  usage: '<checkpoint>',
  options: [
    { name: 'json', type: 'boolean', description: 'Print the information as JSON' },
  ],
  async run(o, positionals) {
    const path = positionals[0];
    if (!path) throw invalidArgument('<checkpoint>', 'the path of a detector saved by normality train', path);
    const info = checkpointInfo(path);
    if (o.json) {
      console.log(JSON.stringify(info, null, 2));
      return;
    }
    // The JSON keeps the whole saved configuration beside these; the text shows what shapes this detector.
    const settings = Object.entries(info.settingsInUse).map(([key, value]) => `${key} ${JSON.stringify(value)}`).join(', ');
    const lines = [
      info.path,
      `model       ${info.model} — ${info.summary}`,
      `saved by    normality ${info.version ?? '(unknown version)'}`,
      `threshold   ${info.threshold !== null ? `${info.threshold} (scores at or above it are anomalies)` : info.resumable ? pendingThreshold(info.config) : 'none (predict needs one: fitThreshold, or train with --contamination)'}`,
      ...(info.stream ? [`stream      online S (score --video) ${info.stream.threshold === null ? 'without a threshold' : `flagged at or above ${info.stream.threshold}`}; ` +
        `typical spreads in a training video: PSNR ${info.stream.spreads.psnr.toPrecision(4)} dB, D ${info.stream.spreads.distance.toPrecision(4)}`]
        : info.model.startsWith('mnad-') ? ['stream      not calibrated: score --video flags no frame and scores its first frames against one another alone (train with --contamination > 0 to calibrate)'] : []),
      `weights     ${info.tensors} tensors, ${info.values.toLocaleString('en-US')} values; file ${info.bytes < 1024 ** 2 ? `${(info.bytes / 1024).toFixed(1)} KiB` : `${(info.bytes / 1024 ** 2).toFixed(1)} MiB`}`,
      `settings    ${settings}`,
    ];
    if (info.columns) lines.push(`columns     ${info.columns.join(', ')} (a table's header is matched to these names)`);
    if (info.resumable) {
      const { epochsDone, lastLoss } = info.resumable;
      lines.push(`resumable   training state after ${epochsDone} epoch${epochsDone === 1 ? '' : 's'} (weights and optimizer)` +
        `${lastLoss !== undefined ? `, last epoch's loss ${lastLoss.toPrecision(5)}` : ''}: ${goesOn(info.resumable)}`);
    }
    if (info.imported) {
      const { from, memory, at } = info.imported;
      lines.push(`imported    the authors' weights from ${from}${memory ? ` and their memory items from ${memory}` : ''} (normality import, ${at}): ` +
        'trained elsewhere, so the training settings saved with it are left out');
    }
    const t = info.training;
    if (t) {
      const epochs = t.epochsDone !== undefined && t.epochs !== undefined && t.epochsDone < t.epochs ? `${t.epochsDone} of ${t.epochs}` : `${t.epochsDone ?? t.epochs}`;
      const loss = t.keptLoss !== undefined && t.validation
        ? `, loss ${t.keptLoss.toPrecision(5)} at the kept epoch ${t.validation.keptEpoch}${t.finalLoss !== undefined ? ` (last epoch ${t.finalLoss.toPrecision(5)})` : ''}`
        : t.finalLoss !== undefined ? `, final loss ${t.finalLoss.toPrecision(5)}` : '';
      lines.push(`trained     ${epochs} epoch${epochs === '1' ? '' : 's'} on ${t.data ?? '(data not recorded)'}${loss}` +
        `${t.precision === 'tf32' ? ', with TF32 matrix products (--precision tf32)' : ''}${t.seconds !== undefined ? `, ${t.seconds.toFixed(1)} s` : ''}${t.trainedAt ? `, ${t.trainedAt}` : ''}`);
      const v = t.validation;
      if (v) {
        lines.push(`validated   ${v.metric} after each epoch ${v.values.map((x) => (typeof x === 'number' ? x.toFixed(4) : '–')).join(' ')}; best ${v.best.toFixed(4)} after epoch ${v.bestEpoch}; ` +
          `this is the model of epoch ${v.keptEpoch}`);
      }
    }
    console.log(lines.join('\n'));
  },
});

/**
 * What goes on from a training checkpoint: the command that wrote it. train records none (its checkpoint is
 * <out>.training, removed once training ends); a video reproduce records its own, and keeps the checkpoint
 * once every epoch is done, when a rerun only scores.
 */
function goesOn({ epochsDone, epochs, command }: NonNullable<CheckpointInfo['resumable']>): string {
  const same = command ? `the same normality ${command} command (with this --checkpoint)` : undefined;
  if (epochs !== undefined && epochsDone >= epochs) {
    return `every epoch asked for is done, so ${same ?? 'the command that wrote it'} scores its model without training again`;
  }
  return `${same ?? 'the same train command'} goes on from it`;
}

/** A training checkpoint has no threshold yet: training fits it on the training data once it has finished. */
function pendingThreshold(config: Record<string, unknown>): string {
  const contamination = config.contamination;
  return typeof contamination === 'number' && contamination > 0
    ? `none yet: the finished model gets one when training ends (contamination ${contamination})`
    : 'none yet, nor will the finished model have one (trained with --contamination 0)';
}
