/**
 * Video benchmarks on UCSD Ped2 (SPEC §1, §2, §4): train on the normal training videos, score every test
 * frame the method scores, min-max normalise per video, and report the micro AUC over all frames (and
 * the mean per-video AUC). Per-frame scores go to the results file so they can be plotted.
 */
import type { VideoSet } from '../detector/video.js';
import { evaluateVideoSet, frameScoresForJson } from '../detector/video-eval.js';
import { loadVideoSplit, printVideoEvaluation, videoRoot } from '../cli/video-data.js';
import { createDetector, videoEvaluationOptions } from '../models/registry.js';
import '../models/index.js';
import { fitWithProgress } from '../cli/fitting.js';
import { provenance, videoReportContent, writeReportOption } from '../cli/report-option.js';
import type { Detector } from '../detector/types.js';
import type { TrainingConfig } from '../detector/torch-detector.js';
import type { ReproduceOptions, ReproduceResult } from './types.js';
import { modelSettingsText } from './model-settings.js';

export interface VideoBenchmarkSettings {
  /** Its name for `normality reproduce`, recorded in the training checkpoint (`normality info` names the command). */
  benchmark: string;
  model: string;
  channels: 1 | 3;
  size: number;
  epochs: number;
  target: number;
  config: Record<string, unknown>;
  /** --quick: the first few videos at a small size, one or two epochs. */
  quick: { videos: number; size: number; epochs: number; config?: Record<string, unknown> };
}

export async function runVideoBenchmark(s: VideoBenchmarkSettings, o: ReproduceOptions): Promise<ReproduceResult> {
  const root = videoRoot(o.data);
  const size = o.quick ? s.quick.size : s.size;
  const { epochs = o.quick ? s.quick.epochs : s.epochs, ...otherOverrides } = o.training;
  const load = (split: 'train' | 'test') => loadVideoSplit(root, { split, size, channels: s.channels, maxVideos: o.quick ? s.quick.videos : undefined, quiet: o.quiet });
  const train = await load('train');
  const detector = createDetector(s.model, { ...s.config, ...(o.quick ? s.quick.config : {}), ...o.model, ...otherOverrides, height: size, width: size, epochs, seed: o.seed, device: o.device, precision: o.precision });
  const { batchSize, lr } = detector.config as TrainingConfig;
  try {
    const started = performance.now();
    const report = await fitWithProgress(detector as Detector<VideoSet>, train, {
      label: s.model, quiet: o.quiet, checkpointPath: o.checkpoint, checkpointMetadata: { command: `reproduce ${s.benchmark}` }, maxMinutes: o.maxMinutes,
    });
    const trainSeconds = (performance.now() - started) / 1000;
    // A rerun of a finished run trains nothing (fit resumes after its last epoch): say so, or the quick end reads as a fault.
    if (report.resumedFromEpoch === report.epochsDone && report.epochsDone === epochs && epochs > 0) {
      console.error(`${s.model}: training already finished in ${o.checkpoint} (${epochs} of ${epochs} epoch${epochs === 1 ? '' : 's'}); scoring its model only`);
    }
    // The test frames are read only now: a long training run need not hold them, and on a machine that
    // receives its data in parts they may arrive while it trains.
    const test = await load('test');
    const scoreStart = performance.now();
    const all = await detector.score(test);
    const scoreSeconds = (performance.now() - scoreStart) / 1000;
    const evaluation = evaluateVideoSet(test, all, videoEvaluationOptions(s.model));
    if (o.report) {
      const facts: [string, string][] = [['model', s.model], ['data', root], ['epochs', `${report.epochsDone} of ${epochs}`], ['seed', String(o.seed)], ...provenance()];
      await writeReportOption(o.report, videoReportContent(`normality reproduce: ${s.model} on ${root}${o.quick ? ' (quick)' : ''}`, facts, test, evaluation.normalized, s.model, evaluation, detector.threshold));
    }
    printVideoEvaluation(test, evaluation);
    const frames = test.videos.reduce((n, v) => n + v.length, 0);
    return {
      metric: 'auc',
      value: evaluation.microAuc,
      target: s.target,
      details: {
        microAuc: evaluation.microAuc, meanVideoAuc: evaluation.meanVideoAuc, videoAucs: evaluation.videoAucs,
        scoredFrames: evaluation.scoredFrames, totalFrames: evaluation.totalFrames, epochs: report.epochsDone, epochsAskedFor: epochs, batchSize, lr, modelSettings: o.model, resumedFromEpoch: report.resumedFromEpoch, losses: report.losses,
        trainSeconds, scoreSeconds, secondsPerFrame: scoreSeconds / frames,
        frameScores: frameScoresForJson(evaluation),
      },
      protocol: `${o.data ? root : `UCSD Ped2 (${root})`}: train ${train.videos.length} videos, test ${test.videos.length} videos (${frames} frames), ${size}×${size} ` +
        `${s.channels === 1 ? 'gray' : 'RGB'} in [−1, 1], ${s.model}, ${report.stoppedByTime ? `${report.epochsDone} of ${epochs} epochs (stopped by --max-minutes)` : `${epochs} epoch${epochs === 1 ? '' : 's'}`}, batch ${batchSize}, Adam lr ${lr}, seed ${o.seed}, device ${o.device}${modelSettingsText(o.model)}; ` +
        `per-video min-max, micro AUC over the ${evaluation.scoredFrames} scored frames (mean per-video AUC ${evaluation.meanVideoAuc.toFixed(4)})`,
    };
  } finally {
    detector.dispose();
  }
}
