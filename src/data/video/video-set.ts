/** A loaded video dataset as the `VideoSet` that video detectors read (frames stay bytes until the device). */
import type { VideoSet } from '../../detector/video.js';
import type { VideoDataset } from './index.js';

export function toVideoSet(dataset: VideoDataset): VideoSet {
  return {
    videos: dataset.videos.map((video, index) => ({
      name: video.name,
      length: video.frameCount,
      frames: (start: number, count: number) => dataset.frames.readFrames(index, start, count),
    })),
    channels: dataset.format.channels,
    height: dataset.format.height,
    width: dataset.format.width,
    ...(dataset.labels ? { labels: dataset.labels } : {}),
    ...(dataset.labelSource ? { labelSource: dataset.labelSource } : {}),
  };
}
