/**
 * Decode image files into 8-bit pixels: JPEG (jpeg-js), PNG (pngjs), TIFF (utif)
 * and BMP (bmp.ts). The format is found from the file's magic bytes, not its name.
 *
 * An Image is interleaved rows, `(H, W, C)`: `data[(y * width + x) * channels + c]`,
 * with channels 1 (gray), 3 (RGB) or 4 (RGBA). Gray JPEG and PNG files stay 1
 * channel; to get a fixed channel count use toRgb / toGrayscale (pixels.ts).
 * A corrupt file is an error that names it.
 *
 * Note: jpeg-js is not libjpeg; on lossy JPEGs its pixels can differ by a few
 * levels from what PIL or OpenCV decode from the same file.
 */
import jpeg from 'jpeg-js';
import pngjs from 'pngjs';
import UTIF, { type Ifd } from 'utif';
import { badFile, NormalityError } from '../errors.js';
import { decodeBmp } from './bmp.js';
import { hexBytes, readBytes } from './files.js';

export interface Image {
  width: number;
  height: number;
  channels: 1 | 3 | 4;
  /** (H, W, C) interleaved, row-major. */
  data: Uint8Array;
}

export type ImageFormat = 'jpeg' | 'png' | 'tiff' | 'bmp';

/** The format of image bytes by their signature, or undefined. */
export function imageFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png';
  if (bytes.length >= 4 && ((bytes[0] === 0x49 && bytes[1] === 0x49 && bytes[2] === 0x2a && bytes[3] === 0)
    || (bytes[0] === 0x4d && bytes[1] === 0x4d && bytes[2] === 0 && bytes[3] === 0x2a))) return 'tiff';
  if (bytes.length >= 2 && bytes[0] === 0x42 && bytes[1] === 0x4d) return 'bmp';
  return undefined;
}

/** Decode image bytes; `path` names the file in errors. */
export function decodeImage(bytes: Uint8Array, path: string): Image {
  const format = imageFormat(bytes);
  if (!format) {
    throw badFile(path, `is not a JPEG, PNG, TIFF or BMP image (its first bytes are ${hexBytes(bytes, 8)})`);
  }
  try {
    switch (format) {
      case 'jpeg': return decodeJpeg(bytes);
      case 'png': return decodePng(bytes);
      case 'tiff': return decodeTiff(bytes);
      case 'bmp': return decodeBmp(bytes, path);
    }
  } catch (error) {
    if (error instanceof NormalityError) throw error;
    // pngjs words a file that ends early as a stream error (with a typo): say what it means.
    const reason = /read requests waitn?i?ng on finished stream/.test((error as Error).message) ? 'it ends early: the file is truncated' : (error as Error).message;
    throw badFile(path, `is a corrupt or unsupported ${format.toUpperCase()} image (${reason})`);
  }
}

/** Read and decode an image file. */
export function readImage(path: string): Image {
  return decodeImage(readBytes(path, 'Image file'), path);
}

/**
 * An image file's width and height, from its header where that is quick to read (PNG, JPEG, BMP), else by
 * decoding it.
 */
export function readImageSize(path: string): { width: number; height: number } {
  const bytes = readBytes(path, 'Image file');
  const format = imageFormat(bytes);
  if (format === 'png' && bytes.length >= 24) return { width: readUint32(bytes, 16), height: readUint32(bytes, 20) };
  if (format === 'bmp' && bytes.length >= 26) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return { width: Math.abs(view.getInt32(18, true)), height: Math.abs(view.getInt32(22, true)) };
  }
  const frame = format === 'jpeg' ? jpegFrameHeader(bytes) : undefined;
  if (frame !== undefined && frame + 9 <= bytes.length) return { height: (bytes[frame + 5]! << 8) | bytes[frame + 6]!, width: (bytes[frame + 7]! << 8) | bytes[frame + 8]! };
  const { width, height } = decodeImage(bytes, path);
  return { width, height };
}

const readUint32 = (bytes: Uint8Array, at: number) => ((bytes[at]! << 24) >>> 0) + (bytes[at + 1]! << 16) + (bytes[at + 2]! << 8) + bytes[at + 3]!;

function decodeJpeg(bytes: Uint8Array): Image {
  const components = jpegComponents(bytes);
  // tolerantDecoding off: a truncated or damaged file fails instead of coming back grey.
  const decoded = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, tolerantDecoding: false });
  const { width, height } = decoded;
  if (components !== 1) return { width, height, channels: 3, data: decoded.data };
  // jpeg-js always writes RGB; a gray JPEG has three equal channels: keep one.
  const data = new Uint8Array(width * height);
  const rgb = decoded.data;
  for (let i = 0, j = 0; i < data.length; i++, j += 3) data[i] = rgb[j];
  return { width, height, channels: 1, data };
}

/** The component count in the JPEG frame header (SOFn), or 0 if none is found. */
function jpegComponents(bytes: Uint8Array): number {
  const p = jpegFrameHeader(bytes);
  return p !== undefined && p + 9 < bytes.length ? bytes[p + 9]! : 0;
}

/** Where the JPEG frame header (SOFn marker: then length, precision, height, width, components) starts. */
function jpegFrameHeader(bytes: Uint8Array): number | undefined {
  let p = 2;
  while (p + 4 <= bytes.length) {
    if (bytes[p] !== 0xff) return undefined;
    const marker = bytes[p + 1];
    if (marker === 0xff) { p++; continue; } // fill byte
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) { p += 2; continue; } // no length
    const length = (bytes[p + 2] << 8) | bytes[p + 3];
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) return p;
    if (marker === 0xda) return undefined; // start of scan before any frame header
    p += 2 + length;
  }
  return undefined;
}

function decodePng(bytes: Uint8Array): Image {
  const png = pngjs.PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const { width, height } = png;
  const rgba = png.data;
  // pngjs always gives RGBA; keep the channels the file has (0 gray, 2 RGB, 3 palette, 4 gray+alpha, 6 RGBA).
  const colorType: number = png.colorType;
  const channels: 1 | 3 | 4 = colorType === 0 ? 1 : colorType === 2 || (colorType === 3 && !png.alpha) ? 3 : 4;
  return { width, height, channels, data: fromRgba(rgba, width * height, channels) };
}

function decodeTiff(file: Uint8Array): Image {
  // utif's Deflate path views `bytes.buffer` from the strip's offset, ignoring a view's own byteOffset: give
  // it bytes that start their buffer (an image read out of an archive is a view into the archive).
  const bytes = file.byteOffset === 0 ? file : file.slice();
  const ifds = UTIF.decode(bytes);
  const ifd = ifds.find((candidate) => candidate['t256'] !== undefined);
  if (!ifd) throw new Error('no image in the file');
  const sampleFormat = ifd['t339']?.[0] ?? 1;
  if (sampleFormat !== 1) throw new Error(`sample format ${sampleFormat} (floating point or signed): expected unsigned integers`);
  const photometric = ifd['t262']?.[0] ?? 2;
  if (![0, 1, 2, 3, 5].includes(photometric)) throw new Error(`photometric interpretation ${photometric} is not supported`);
  const compression = ifd['t259']?.[0] ?? 1;
  // 32946 is the old code for Deflate (what ffmpeg writes); its strips are the same zlib streams as code 8.
  if (compression === 32946) ifd['t259'] = [8];
  // utif leaves the pixels of a compression it does not know at zero, without an error: a black image.
  else if (!TIFF_COMPRESSIONS.has(compression)) throw new Error(`compression ${compression} is not supported (supported: none, CCITT, LZW, JPEG, Deflate, PackBits); save it uncompressed or as PNG`);
  const samples = ifd['t277']?.[0] ?? 1;
  UTIF.decodeImage(bytes, ifd, ifds);
  const { width, height } = ifd;
  if (photometric <= 1 && samples === 2) return grayAlphaTiff(ifd, width, height, photometric === 0);
  const rgba = UTIF.toRGBA8(ifd);
  const channels: 1 | 3 | 4 = photometric <= 1 ? 1 : photometric === 2 && samples >= 4 ? 4 : 3;
  return { width, height, channels, data: fromRgba(rgba, width * height, channels) };
}

/** TIFF compression codes that utif decodes (1 none, 2–4 CCITT, 5 LZW, 6–7 JPEG, 8 Deflate, 32773 PackBits). */
const TIFF_COMPRESSIONS = new Set([1, 2, 3, 4, 5, 6, 7, 8, 32773]);

/**
 * Gray + alpha samples, which utif's toRGBA8 reads as gray alone (mixing alpha bytes into the pixels): RGBA
 * with the gray in the three colour channels, as a gray + alpha PNG decodes. 8-bit samples only.
 */
function grayAlphaTiff(ifd: Ifd, width: number, height: number, whiteIsZero: boolean): Image {
  const bits = ifd['t258']?.[0] ?? 1;
  if (bits !== 8) throw new Error(`gray + alpha with ${bits}-bit samples is not supported: expected 8 bits`);
  const pixels = width * height;
  const raw = new Uint8Array(ifd.data.buffer, ifd.data.byteOffset, ifd.data.byteLength);
  if (raw.length < pixels * 2) throw new Error(`its pixel data ends early (${raw.length} bytes for ${width}×${height} gray + alpha)`);
  const data = new Uint8Array(pixels * 4);
  for (let i = 0; i < pixels; i++) {
    const gray = whiteIsZero ? 255 - raw[2 * i] : raw[2 * i];
    data[4 * i] = data[4 * i + 1] = data[4 * i + 2] = gray;
    data[4 * i + 3] = raw[2 * i + 1];
  }
  return { width, height, channels: 4, data };
}

/** Keep the first `channels` of each RGBA pixel (channel 0 for gray). */
function fromRgba(rgba: Uint8Array, pixels: number, channels: 1 | 3 | 4): Uint8Array {
  if (channels === 4) return rgba.length === pixels * 4 ? new Uint8Array(rgba.buffer, rgba.byteOffset, pixels * 4) : rgba.slice(0, pixels * 4);
  const out = new Uint8Array(pixels * channels);
  if (channels === 1) {
    for (let i = 0, j = 0; i < pixels; i++, j += 4) out[i] = rgba[j];
  } else {
    for (let i = 0, j = 0, d = 0; i < pixels; i++, j += 4, d += 3) {
      out[d] = rgba[j]; out[d + 1] = rgba[j + 1]; out[d + 2] = rgba[j + 2];
    }
  }
  return out;
}
