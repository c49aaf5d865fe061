/** `--report <path>` of test, score and reproduce: the results as one HTML page (src/report/html-report.ts). */
import type { Detector } from '../detector/types.js';
import type { VideoScores, VideoSet } from '../detector/video.js';
import { scoredFrames, type VideoEvaluation } from '../detector/video-eval.js';
import { renderReport, type ReportContent } from '../report/html-report.js';
import { writeAtomically } from '../report/results.js';
import { libraryVersion } from '../report/version.js';
import { checkOutputFile, samePath } from './output-paths.js';
import { invalidArgument } from '../errors.js';
import { videoEvaluationOptions } from '../models/registry.js';

export const REPORT_OPTION = {
  name: 'report', type: 'string', placeholder: 'path',
  description: 'Also write an HTML report here: metrics, score histogram with the threshold, ROC and PR curves; images: the most anomalous, the missed and the falsely flagged beside their anomaly maps; videos: each video\'s frame scores, over its ground truth where there are labels',
} as const;

/** Refuse, before any work, a report path that is a folder, a file the command reads, or the command's --out. */
export function checkReportOption(path: string | undefined, inputs: readonly string[] = [], out?: string): void {
  if (path !== undefined && out !== undefined && samePath(path, out)) {
    throw invalidArgument('--report', 'another file than --out', path, 'Both would be written there, the report replacing the other. Name the report e.g. report.html.');
  }
  checkOutputFile(path, '--report', 'an HTML file', 'report.html', inputs);
}

/** What a report of a saved detector says about where its numbers came from. */
export function reportFacts(checkpoint: string, detector: Detector<unknown>, data: string): [string, string][] {
  return [
    ['checkpoint', checkpoint],
    ['model', detector.modelName],
    ['data', data],
    ['threshold', detector.threshold === undefined ? 'none saved' : String(detector.threshold)],
    ...provenance(),
  ];
}

/** The command that wrote a report, when, and which version. */
export function provenance(): [string, string][] {
  return [
    ['command', ['normality', ...process.argv.slice(2)].join(' ')],
    ['written', `${new Date().toISOString()} by normality ${libraryVersion()}`],
  ];
}

/**
 * The report of scored videos: every scored frame's score as the micro AUC ranks it (min-max normalised within
 * its video, or MNAD's S as it is) and each video's plot, over its ground truth where the videos have labels.
 * `evaluation` (labelled videos of both classes) adds the AUCs. The threshold applies to the scores as the
 * detector gives them, so the histogram draws it only where it shows those (MNAD's S).
 */
export function videoReportContent(title: string, facts: [string, string][], set: VideoSet, videos: readonly VideoScores[], model: string,
  evaluation?: VideoEvaluation, threshold?: number): ReportContent {
  const { scores, labels } = scoredFrames(videos, set.labels);
  const normalized = videoEvaluationOptions(model).normalize;
  // The threshold fact names the raw scores where the page shows normalised ones, so that no one reads it off the plots.
  const shownFacts = normalized && threshold !== undefined
    ? facts.map(([name, value]): [string, string] => (name === 'threshold' ? [name, `${value} (of the raw frame scores; the scores here are normalised within each video, so it is not drawn)`] : [name, value]))
    : facts;
  return {
    title, facts: shownFacts,
    ...(evaluation ? { metrics: { microAuc: evaluation.microAuc, meanVideoAuc: evaluation.meanVideoAuc, scoredFrames: evaluation.scoredFrames, totalFrames: evaluation.totalFrames } } : {}),
    scoreLabel: normalized ? 'frame score, min-max normalised within its video'
      : 'frame score S, from PSNR and feature distance each min-max normalised within its video',
    scores, labels: set.labels ? labels : undefined,
    threshold: normalized ? undefined : threshold,
    videos: videos.map((video, v) => ({ name: video.name, scores: video.scores, labels: set.labels?.[v], auc: evaluation?.videoAucs[v] })),
  };
}

export async function writeReportOption(path: string, content: ReportContent): Promise<void> {
  await writeAtomically(path, renderReport(content));
  console.log(`wrote the report ${path}`);
}
