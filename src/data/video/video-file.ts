/**
 * Frames of a video file (.mp4, .avi, anything ffmpeg reads), streamed through the
 * system `ffmpeg` so a long recording never has to fit in memory:
 *
 *     ffmpeg -i <file> -f rawvideo -pix_fmt rgb24 -
 *
 * ffmpeg decodes at the video's own size, in RGB; the gray conversion and the
 * resize are done here, as for frame images (frame-format.ts, cv2's INTER_LINEAR),
 * so a video and the frames extracted from it give the same network input
 * (up to the codec). The frame size is read from ffmpeg's description of its
 * output stream, printed before the first frame.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { badFile, fileNotFound, NormalityError } from '../../errors.js';
import type { Image } from '../images.js';
import { checkFrameFormat, formatImageInto, frameBytes, type FrameFormat } from './frame-format.js';
import type { VideoFrame } from './frame-stream.js';

export const FFMPEG_MISSING = 'ffmpeg was not found on PATH; install it (sudo apt-get install ffmpeg) to read video files, or extract frames to a folder';

export interface VideoFileOptions {
  /** The ffmpeg executable; default `ffmpeg` from PATH. */
  ffmpeg?: string;
  /**
   * Called once, after the last frame, when ffmpeg decoded the file but reported damage on the way (a
   * truncated or corrupt file: frames concealed or missing), with its first such lines.
   */
  onDamage?: (lines: string[]) => void;
  /**
   * Ends the frames early, without an error: ffmpeg is stopped and the frames read so far are all there is.
   * For a live stream, which has no end of its own.
   */
  signal?: AbortSignal;
  /**
   * A live stream (a named pipe): ffmpeg probes only its first 32 KiB and half second before it decodes, where by
   * default it reads 5 s of the stream first. Measured with an MPEG-TS through a pipe: the first frames came after
   * 0.7 s instead of 5.7 s (MPEG-2), after 2.7 s instead of 7.1 s (x264, which buffers itself), frame size found alike.
   */
  live?: boolean;
}

// What ffmpeg prints about damaged input while it still decodes to the end.
const DAMAGE = /\b(corrupt|damaged|concealing|error|invalid|missing)\b/i;

// "Output #0, rawvideo, to 'pipe:': ... Stream #0:0: Video: rawvideo (RGB[24] / 0x18424752), rgb24(pc), 360x240 [SAR 1:1 ...], ..."
const OUTPUT_SIZE = /Output #0[\s\S]*?Stream #\d+:\d+[^\n]*?: Video: rawvideo[^\n]*?, (\d+)x(\d+)/;

// ffmpeg stopped by SIGINT/SIGTERM exits with status 255 after "Exiting normally, received signal 2."
const STOPPED_BY_SIGNAL = /received signal \d+/;

/**
 * A Ctrl-C reaches ffmpeg and this process together. If ffmpeg's end is seen first, this long gives this
 * process's own handler time to abort `signal`, so that the stop is taken as the end of the recording.
 */
const SIGNAL_GRACE_MS = 200;

/**
 * ffmpeg waiting to open a named pipe that nothing writes to yet sits in open(), which its signal handlers
 * restart: SIGTERM does not end it. A stop escalates to SIGKILL after this long.
 */
const KILL_AFTER_MS = 1000;

/** The frames of a video file in order, as (C, H, W) bytes in `format`. */
export async function* readVideoFile(path: string, format: FrameFormat, options: VideoFileOptions = {}): AsyncGenerator<VideoFrame> {
  checkFrameFormat(format);
  if (!existsSync(path)) throw fileNotFound(path, 'Video file');
  const child = spawn(options.ffmpeg ?? 'ffmpeg',
    ['-hide_banner', '-nostdin', '-loglevel', 'info', ...(options.live ? ['-probesize', '32768', '-analyzeduration', '500000'] : []), '-i', path, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  const stop = () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    setTimeout(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }, KILL_AFTER_MS).unref();
  };
  options.signal?.addEventListener('abort', stop, { once: true });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'ENOENT' ? new NormalityError('FILE_NOT_FOUND', `${FFMPEG_MISSING}. (Needed to read ${path}.)`) : error);
    });
    child.on('close', (code) => resolve(code));
  });
  exited.catch(() => undefined); // awaited below; this only marks it handled while frames are read
  const size = new Promise<{ width: number; height: number }>((resolve, reject) => {
    child.stderr.on('data', (text: string) => {
      stderr += text;
      const match = OUTPUT_SIZE.exec(stderr);
      if (match) resolve({ width: Number(match[1]), height: Number(match[2]) });
    });
    exited.then(() => reject(/Input #0/.test(stderr) && !/Stream #\d+:\d+[^\n]*: Video:/.test(stderr)
      ? badFile(path, 'has no video stream (an audio file, or a container without pictures)', 'Give a video file, or a folder of its frames.')
      : ffmpegFailed(path, stderr, 'ffmpeg stopped before it described the video')), reject);
  });
  const stopped = () => options.signal?.aborted === true;
  // Whether ffmpeg's end is the stop of a live recording (this process's signal, or a Ctrl-C both got).
  const endedByStop = async () => {
    if (!stopped() && (child.signalCode !== null || STOPPED_BY_SIGNAL.test(stderr))) await new Promise((resolve) => setTimeout(resolve, SIGNAL_GRACE_MS));
    return stopped();
  };
  try {
    if (stopped()) return;
    const described = await size.catch(async (error: unknown) => {
      if (await endedByStop()) return undefined; // stopped before the first frame
      throw error;
    });
    if (described === undefined) return;
    const { width, height } = described;
    const native = width * height * 3;
    let frame = Buffer.alloc(native);
    let filled = 0;
    let index = 0;
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      if (stopped()) break; // frames still in the pipe come after the stop
      let offset = 0;
      while (offset < chunk.length) {
        const n = Math.min(native - filled, chunk.length - offset);
        chunk.copy(frame, filled, offset, offset + n);
        filled += n;
        offset += n;
        if (filled === native) {
          if (stopped()) break;
          const image: Image = { width, height, channels: 3, data: frame };
          const data = new Uint8Array(frameBytes(format));
          formatImageInto(image, format, data);
          yield { index: index++, format, data };
          frame = Buffer.alloc(native);
          filled = 0;
        }
      }
    }
    const code = await exited;
    if (await endedByStop()) return; // the frames read so far are the recording; a frame cut short is dropped
    if (code !== 0) throw ffmpegFailed(path, stderr, child.signalCode !== null ? `ffmpeg was stopped by ${child.signalCode}` : `ffmpeg exited with status ${code}`);
    const damage = stderr.split(/[\r\n]+/).map((line) => line.trim()).filter((line) => DAMAGE.test(line));
    if (damage.length > 0) options.onDamage?.(damage.slice(0, 3));
    if (filled !== 0) throw badFile(path, `ended inside frame ${index}: ffmpeg gave ${filled} of its ${native} bytes`);
  } finally {
    options.signal?.removeEventListener('abort', stop);
    stop();
  }
}

function ffmpegFailed(path: string, stderr: string, what: string): NormalityError {
  const tail = stderr.split('\n').map((line) => line.trim()).filter(Boolean).slice(-3).join(' | ');
  return badFile(path, `could not be decoded: ${what}${tail ? ` (${tail})` : ''}`, 'Check that the file is a complete video that ffmpeg can play.');
}
