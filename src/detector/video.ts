/**
 * What video detectors (MemAE-3D, MNAD) read: videos of decoded frames at the training resolution, and
 * what they return: one anomaly score per frame. Data loaders adapt their layouts to `VideoSet`.
 */

export interface FrameVideo {
  readonly name: string;
  /** Number of frames. */
  readonly length: number;
  /**
   * Frames [start, start + count) as one float32 array (count, C, H, W), values in [−1, 1]. May be a
   * view into a cache: copy it before changing it.
   */
  frames(start: number, count: number): Float32Array;
}

export interface VideoSet {
  videos: FrameVideo[];
  channels: number;
  height: number;
  width: number;
  /** Per video, one label per frame (1 = anomalous), where known. */
  labels?: Uint8Array[];
}

/** Frame scores of one video: higher = more anomalous; NaN where the method gives no score (e.g. MNAD's first 4 frames). */
export interface VideoScores {
  name: string;
  scores: Float64Array;
}
