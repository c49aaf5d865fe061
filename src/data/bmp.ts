/**
 * A small reader for uncompressed Windows BMP files: 8-bit (palette), 24-bit and
 * 32-bit (BI_RGB, or BI_BITFIELDS with 8-bit masks), bottom-up or top-down.
 * 8-bit files with a gray palette give 1 channel; 32-bit files give 4 channels only
 * when they declare an alpha mask (a BI_RGB 32-bit file's fourth byte is unused).
 */
import { badFile } from '../errors.js';
import type { Image } from './images.js';

const BI_RGB = 0;
const BI_BITFIELDS = 3;
const BI_ALPHABITFIELDS = 6;

/** Decode BMP bytes; `path` names the file in errors. */
export function decodeBmp(bytes: Uint8Array, path: string): Image {
  if (bytes.length < 54 || bytes[0] !== 0x42 || bytes[1] !== 0x4d) {
    throw badFile(path, 'is not a BMP file: expected the signature BM and a header of at least 54 bytes');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const pixelOffset = view.getUint32(10, true);
  const headerSize = view.getUint32(14, true);
  if (headerSize < 40) {
    throw badFile(path, `has a ${headerSize}-byte BMP info header (OS/2 format): expected a Windows header of 40 bytes or more`, 'Convert it to PNG.');
  }
  const width = view.getInt32(18, true);
  const rawHeight = view.getInt32(22, true);
  const bitsPerPixel = view.getUint16(28, true);
  const compression = view.getUint32(30, true);
  const colorsUsed = view.getUint32(46, true);
  const topDown = rawHeight < 0;
  const height = Math.abs(rawHeight);
  if (width <= 0 || height === 0) throw badFile(path, `has an invalid BMP size ${width}x${rawHeight}`);
  if (bitsPerPixel !== 8 && bitsPerPixel !== 24 && bitsPerPixel !== 32) {
    throw badFile(path, `is a ${bitsPerPixel}-bit BMP: expected 8, 24 or 32 bits per pixel`, 'Convert it to PNG.');
  }
  const bitfields = compression === BI_BITFIELDS || compression === BI_ALPHABITFIELDS;
  if (!(compression === BI_RGB || (bitfields && bitsPerPixel === 32))) {
    throw badFile(path, `uses BMP compression ${compression}: expected 0 (uncompressed) or, for 32-bit files, 3 (bit fields)`, 'Convert it to PNG.');
  }
  const stride = Math.floor((bitsPerPixel * width + 31) / 32) * 4;
  if (pixelOffset + stride * height > bytes.length) {
    throw badFile(path, `is truncated: ${width}x${height} pixels at ${bitsPerPixel} bits need ${pixelOffset + stride * height} bytes but the file has ${bytes.length}`);
  }
  const rowStart = (y: number): number => pixelOffset + (topDown ? y : height - 1 - y) * stride;

  if (bitsPerPixel === 8) return decodePalette(bytes, path, width, height, 14 + headerSize, colorsUsed, rowStart);
  if (bitsPerPixel === 24) {
    const data = new Uint8Array(width * height * 3);
    for (let y = 0; y < height; y++) {
      let s = rowStart(y);
      let d = y * width * 3;
      for (let x = 0; x < width; x++, s += 3, d += 3) {
        data[d] = bytes[s + 2]; data[d + 1] = bytes[s + 1]; data[d + 2] = bytes[s];
      }
    }
    return { width, height, channels: 3, data };
  }
  // 32-bit: BGRX by default, or the channel positions given by the bit masks.
  let masks = [0x00ff0000, 0x0000ff00, 0x000000ff, 0];
  if (bitfields) {
    const maskAt = headerSize >= 52 ? 54 : 14 + headerSize;
    const count = compression === BI_ALPHABITFIELDS || headerSize >= 56 ? 4 : 3;
    masks = [0, 1, 2, 3].map((k) => (k < count ? view.getUint32(maskAt + 4 * k, true) : 0));
  }
  const shifts = masks.map((mask, k) => {
    if (mask === 0) return -1;
    const shift = Math.log2(mask & -mask);
    if (mask >>> shift !== 0xff) throw badFile(path, `has a BMP bit mask 0x${(mask >>> 0).toString(16)} for channel ${'RGBA'[k]}: expected 8 contiguous bits`);
    return shift;
  });
  if (shifts.slice(0, 3).includes(-1)) throw badFile(path, 'has a BMP without red, green and blue bit masks');
  const channels = shifts[3] >= 0 ? 4 : 3;
  const data = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    let s = rowStart(y);
    let d = y * width * channels;
    for (let x = 0; x < width; x++, s += 4) {
      const pixel = view.getUint32(s, true);
      for (let k = 0; k < channels; k++) data[d++] = (pixel >>> shifts[k]) & 0xff;
    }
  }
  return { width, height, channels, data };
}

function decodePalette(bytes: Uint8Array, path: string, width: number, height: number, paletteAt: number,
  colorsUsed: number, rowStart: (y: number) => number): Image {
  const count = colorsUsed || 256;
  if (count > 256 || paletteAt + 4 * count > bytes.length) throw badFile(path, `has a BMP palette of ${count} colours that does not fit the file`);
  const palette = new Uint8Array(count * 3);
  let gray = true;
  for (let i = 0; i < count; i++) {
    const b = bytes[paletteAt + 4 * i], g = bytes[paletteAt + 4 * i + 1], r = bytes[paletteAt + 4 * i + 2];
    palette[3 * i] = r; palette[3 * i + 1] = g; palette[3 * i + 2] = b;
    if (r !== g || g !== b) gray = false;
  }
  const channels = gray ? 1 : 3;
  const data = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    const s = rowStart(y);
    for (let x = 0; x < width; x++) {
      const index = bytes[s + x];
      if (index >= count) throw badFile(path, `has pixel (${x}, ${y}) with palette index ${index} but the palette has ${count} colours`);
      if (gray) {
        data[y * width + x] = palette[3 * index];
      } else {
        const d = (y * width + x) * 3;
        data[d] = palette[3 * index]; data[d + 1] = palette[3 * index + 1]; data[d + 2] = palette[3 * index + 2];
      }
    }
  }
  return { width, height, channels, data };
}
