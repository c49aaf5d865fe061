/**
 * Frames one at a time, in order, for online scoring: from a folder of frame
 * images here, from a video file in video-file.ts. Each frame is preprocessed as
 * the cached training frames are (frame-format.ts), so a model sees the same pixels.
 */
import { readFile } from 'node:fs/promises';
import { badFile } from '../../errors.js';
import { decodeImage } from '../images.js';
import { SameFrameSize, checkFrameFormat, formatImageInto, frameBytes, type FrameFormat } from './frame-format.js';
import { listFrames } from './layouts.js';

export interface VideoFrame {
  /** 0-based position in the video. */
  index: number;
  format: FrameFormat;
  /** (C, H, W) bytes. */
  data: Uint8Array;
  /** The frame's image file, for frames read from a folder. */
  file?: string;
}

/** The frames of a folder of frame images (natural name order), decoded one by one. */
export async function* readFrameFolder(dir: string, format: FrameFormat): AsyncGenerator<VideoFrame> {
  checkFrameFormat(format);
  const files = listFrames(dir);
  // Read the next file while the current one is decoded.
  let pending = readAhead(files[0]);
  const sizes = new SameFrameSize();
  for (let index = 0; index < files.length; index++) {
    const bytes = await pending;
    if (index + 1 < files.length) pending = readAhead(files[index + 1]);
    const data = new Uint8Array(frameBytes(format));
    formatImageInto(sizes.check(decodeImage(bytes, files[index]), files[index]), format, data);
    yield { index, format, data, file: files[index] };
  }
}

function readAhead(file: string): Promise<Buffer> {
  const read = readFile(file).catch((error: NodeJS.ErrnoException) => {
    throw badFile(file, `cannot be read (${error.code ?? error.message})`, 'Was the frame folder changed while it was being read?');
  });
  read.catch(() => undefined); // a consumer that stops early never awaits the last read
  return read;
}
