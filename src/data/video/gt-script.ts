/**
 * The UCSD ground-truth scripts (`UCSDped1.m`, `UCSDped2.m`): MATLAB text that lists
 * the anomalous frames of each test video as 1-based inclusive ranges, e.g.
 *
 *     TestVideoFile = {};
 *     TestVideoFile{end+1}.gt_frame = [61:180];
 *     TestVideoFile{end+1}.gt_frame = [5:90, 140:200];
 *
 * Also read: explicit indices (`TestVideoFile{3}.gt_frame = ...`), the form
 * `TestDataset.gt_frame{k} = ...`, single frames, `a:step:b`, `[]`, and `%` comments.
 * The text is parsed, never run.
 */
import { badFile } from '../../errors.js';

// `Name{index}.gt_frame = value` and `Name.gt_frame{index} = value`; value is `[...]` or up to `;`.
const ASSIGNMENT = /\w+\s*(?:\{([^}]*)\}\s*\.\s*gt_frame|\.\s*gt_frame\s*\{([^}]*)\})\s*=\s*(\[[^\]]*\]|[^;\n]*)/g;

/** The anomalous frames (1-based) of each test video, in video order. */
export function parseGroundTruthScript(text: string, path: string): number[][] {
  const code = text.split(/\r?\n/).map((line) => line.replace(/%.*$/, '')).join('\n');
  const videos: (number[] | undefined)[] = [];
  for (const match of code.matchAll(ASSIGNMENT)) {
    const index = (match[1] ?? match[2]).replace(/\s+/g, '');
    const frames = parseFrameList(match[3], path, match[0].trim());
    if (index === 'end+1') {
      videos.push(frames);
    } else if (/^\d+$/.test(index) && Number(index) >= 1) {
      videos[Number(index) - 1] = frames;
    } else {
      throw badFile(path, `has a gt_frame entry with index {${index}}: expected {end+1} or a number from 1 (in '${match[0].trim()}')`);
    }
  }
  if (videos.length === 0) {
    throw badFile(path, "has no ground-truth entries: expected lines such as 'TestVideoFile{end+1}.gt_frame = [61:180];' (the UCSD UCSDped2.m format)");
  }
  const missing = videos.findIndex((frames) => frames === undefined);
  if (missing >= 0) throw badFile(path, `has no gt_frame entry for test video ${missing + 1} but has one for a later video`);
  return videos as number[][];
}

/** `[61:180]`, `[5:90, 140:200]`, `[1 2 3]`, `1:2:9`, `[]` → frame numbers. */
function parseFrameList(value: string, path: string, statement: string): number[] {
  const body = value.trim().replace(/^\[/, '').replace(/\]$/, '').replace(/\s*:\s*/g, ':').trim();
  if (body === '') return [];
  const frames: number[] = [];
  for (const token of body.split(/[\s,;]+/)) {
    if (token === '') continue;
    const parts = token.split(':').map(Number);
    const valid = parts.length <= 3 && parts.every((p) => Number.isInteger(p));
    if (!valid) throw badFile(path, `has a frame list that is not whole numbers and a:b ranges: '${token}' in '${statement}'`);
    const [start, step, end] = parts.length === 3 ? parts : parts.length === 2 ? [parts[0], 1, parts[1]] : [parts[0], 1, parts[0]];
    if (step <= 0) throw badFile(path, `has a range with step ${step} in '${statement}': expected a positive step`);
    for (let f = start; f <= end; f += step) frames.push(f);
  }
  return frames;
}
