/** Fitting and evaluating a detector from the CLI: a progress bar per epoch, metrics as a table row. */
import type { Detector, FitReport, SampleArray } from '../detector/types.js';
import { progress } from '../report/progress.js';
import { rocAuc } from '../metrics/roc.js';
import { averagePrecision } from '../metrics/precision-recall.js';
import { bestF1, precisionRecallF1AtThreshold } from '../metrics/f1.js';

export async function fitWithProgress<D = SampleArray>(
  detector: Detector<D>, data: D,
  o: { label: string; quiet?: boolean; checkpointPath?: string; checkpointMetadata?: Record<string, unknown>; maxMinutes?: number; afterEpoch?: (epoch: number) => Promise<string>; stopEarly?: () => boolean },
): Promise<FitReport> {
  let bar: ReturnType<typeof progress> | undefined;
  // The bar is made when the first step ends; its speed counts from when training began.
  const began = performance.now();
  const report = await detector.fit(data, {
    checkpointPath: o.checkpointPath,
    checkpointMetadata: o.checkpointMetadata,
    maxSeconds: o.maxMinutes ? o.maxMinutes * 60 : undefined,
    stopEarly: o.stopEarly,
    onStep: (info) => {
      if (!bar && info.epoch > 0) console.error(`${o.label}: resuming after epoch ${info.epoch} from ${o.checkpointPath}`);
      bar ??= progress({ total: (info.epochs - info.epoch) * info.stepsPerEpoch, label: o.label, unit: 'batch', silent: o.quiet, startedAt: began });
      bar.tick(1, { epoch: info.epoch + 1, loss: info.loss });
    },
    onEpoch: async (info) => {
      const validation = o.afterEpoch ? `, ${await o.afterEpoch(info.epoch)}` : '';
      bar?.log(`${o.label}: epoch ${info.epoch + 1}/${info.epochs} loss ${info.loss.toPrecision(5)} (${info.seconds.toFixed(1)} s)${validation}`);
    },
    beforeThreshold: ({ contamination }) => {
      bar?.done();
      bar = undefined;
      if (!o.quiet) console.error(`${o.label}: scoring the training data to fit the threshold (contamination ${contamination})`);
    },
  });
  bar?.done();
  if (report.stoppedByTime) {
    console.error(`${o.label}: stopped after epoch ${report.epochsDone} of ${report.epochs}: another epoch would pass --max-minutes ${o.maxMinutes}` +
      (o.checkpointPath ? `; run the same command again to go on from the checkpoint ${o.checkpointPath}` : ''));
  }
  return report;
}

export interface Evaluation {
  auc: number;
  averagePrecision: number;
  bestF1: number;
  /** Precision, recall and F1 at the detector's threshold, when it has one. */
  atThreshold?: { threshold: number; precision: number; recall: number; f1: number };
  samples: number;
  anomalies: number;
}

export function evaluate(labels: Int32Array, scores: Float64Array, threshold?: number): Evaluation {
  const anomalies = labels.reduce((n, l) => n + (l === 1 ? 1 : 0), 0);
  const result: Evaluation = {
    auc: rocAuc(labels, scores),
    averagePrecision: averagePrecision(labels, scores),
    bestF1: bestF1(labels, scores).f1,
    samples: labels.length,
    anomalies,
  };
  if (threshold !== undefined) {
    const at = precisionRecallF1AtThreshold(labels, scores, threshold);
    result.atThreshold = { threshold, precision: at.precision, recall: at.recall, f1: at.f1 };
  }
  return result;
}

/** The metrics as one table row: counts, the threshold-free metrics, then those at the threshold when there is one. */
export function metricsRow(metrics: Evaluation): Record<string, number> {
  return {
    samples: metrics.samples, anomalies: metrics.anomalies, auc: metrics.auc, averagePrecision: metrics.averagePrecision, bestF1: metrics.bestF1,
    ...(metrics.atThreshold ? { precision: metrics.atThreshold.precision, recall: metrics.atThreshold.recall, f1: metrics.atThreshold.f1 } : {}),
  };
}
