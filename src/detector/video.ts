/**
 * What video detectors (MemAE-3D, MNAD) read: videos of decoded frames at the training resolution, and
 * what they return: one anomaly score per frame. Data loaders adapt their layouts to `VideoSet`.
 */

export interface FrameVideo {
  readonly name: string;
  /** Number of frames. */
  readonly length: number;
  /**
   * Frames [start, start + count) as one array (count, C, H, W): float32 values in [−1, 1], or bytes
   * 0–255 that mean `byte / 127.5 − 1` (4× less to copy and to send to a GPU; detectors convert on the
   * device). May be a view into a cache: copy it before changing it.
   */
  frames(start: number, count: number): Float32Array | Uint8Array;
}

export interface VideoSet {
  videos: FrameVideo[];
  channels: number;
  height: number;
  width: number;
  /** Per video, one label per frame (1 = anomalous), where known. */
  labels?: Uint8Array[];
  /** The file or folder the labels came from, for reports. */
  labelSource?: string;
}

/** Frame scores of one video: higher = more anomalous; NaN where the method gives no score (e.g. MNAD's first 4 frames). */
export interface VideoScores {
  name: string;
  scores: Float64Array;
}

/** Per-video frame scores joined in video order: what `detector.score(set)` returns. */
export function concatVideoScores(videos: readonly VideoScores[]): Float64Array {
  const out = new Float64Array(videos.reduce((n, v) => n + v.scores.length, 0));
  let offset = 0;
  for (const v of videos) {
    out.set(v.scores, offset);
    offset += v.scores.length;
  }
  return out;
}
