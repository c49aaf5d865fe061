/**
 * The report `train` writes beside a model (`<model>.json`): how it was trained, which `info` shows and
 * from which `test` and `score` take the split seed. It records the SHA-1 of the model file it describes,
 * so that a report left beside another file (a model copied over, or retrained elsewhere) is not taken for
 * this one's, and a digest of what the training was made of, so that the same `train` run again after it
 * finished is known to have nothing to do.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';

export interface TrainingReportFile {
  meta?: { timestamp?: string; options?: Record<string, unknown> };
  results?: Record<string, unknown> & { modelDigest?: string; trainingDigest?: string };
}

/** SHA-1 of a file's bytes, read in one piece (models are tens of MB; about 0.1 s for 70 MB). */
export function fileDigest(path: string): string {
  return createHash('sha1').update(readFileSync(path)).digest('hex');
}

/** SHA-1 of the JSON of what makes a training what it is (model, settings, data digest, validation). */
export function trainingDigest(parts: Record<string, unknown>): string {
  return createHash('sha1').update(JSON.stringify(parts)).digest('hex');
}

/**
 * The report beside `model` when it describes that very file: undefined when there is none, it cannot be
 * read, or it records another file's digest. Reports written before the digest was recorded are taken.
 */
export function trainingReportOf(model: string): TrainingReportFile | undefined {
  const path = `${model}.json`;
  if (!existsSync(path)) return undefined;
  let report: TrainingReportFile;
  try {
    report = JSON.parse(readFileSync(path, 'utf8')) as TrainingReportFile;
  } catch {
    return undefined;
  }
  const recorded = report?.results?.modelDigest;
  if (typeof recorded === 'string' && existsSync(model) && recorded !== fileDigest(model)) return undefined;
  return report;
}

/**
 * Whether `model` holds the finished training whose digest is `digest`: the report beside it says so and no
 * training checkpoint waits beside it (one stopped by --max-minutes or a kill goes on from that instead).
 */
export function finishedTraining(model: string, digest: string): { epochsDone: unknown } | undefined {
  if (!existsSync(model) || existsSync(`${model}.training`)) return undefined;
  const results = trainingReportOf(model)?.results;
  return results?.trainingDigest === digest && results.stoppedByTime !== true ? { epochsDone: results.epochsDone } : undefined;
}
