import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { after, test } from 'node:test';
import jpeg from 'jpeg-js';
import pngjs from 'pngjs';
import { decodeBmp } from './bmp.js';
import { fromBase64, tempDir } from './fixtures/helpers.js';
import { references } from './fixtures/references.js';
import { decodeImage, imageFormat, readImage, readImageSize } from './images.js';

const tmp = tempDir('images');
after(tmp.remove);

test('PNG, BMP and TIFF files written by OpenCV decode to exactly its pixels', () => {
  for (const name of ['png_rgb', 'png_gray', 'png_rgba', 'bmp_rgb', 'bmp_gray', 'tiff_rgb']) {
    const ref = references.images[name];
    const image = decodeImage(fromBase64(ref.b64), name);
    assert.equal(image.width, ref.width, name);
    assert.equal(image.height, ref.height, name);
    assert.equal(image.channels, ref.channels, name);
    assert.deepEqual(Buffer.from(image.data), fromBase64(ref.pixels), name);
  }
});

test('JPEG: colour and gray files, within a few levels of libjpeg (OpenCV)', () => {
  for (const name of ['jpeg_rgb', 'jpeg_gray']) {
    const ref = references.images[name];
    const image = decodeImage(fromBase64(ref.b64), name);
    assert.equal(image.channels, ref.channels, name);
    assert.deepEqual([image.width, image.height], [ref.width, ref.height]);
    const expected = fromBase64(ref.pixels);
    let worst = 0, total = 0;
    for (let i = 0; i < expected.length; i++) {
      const d = Math.abs(image.data[i] - expected[i]);
      worst = Math.max(worst, d);
      total += d;
    }
    // Luma matches libjpeg within rounding. jpeg-js repeats subsampled chroma where libjpeg
    // interpolates it, so a colour test pattern of sharp edges differs a lot in places.
    if (name === 'jpeg_gray') assert.ok(worst <= 1, `${name}: largest difference ${worst}`);
    else assert.ok(total / expected.length < 16, `${name}: mean difference ${total / expected.length}`);
  }
  // A round trip through jpeg-js's encoder at high quality.
  const rgba = new Uint8Array(8 * 8 * 4).fill(200);
  const encoded = jpeg.encode({ width: 8, height: 8, data: rgba }, 95).data;
  const image = decodeImage(encoded, 'e.jpg');
  assert.equal(image.channels, 3);
  assert.ok(image.data.every((v) => Math.abs(v - 200) <= 2));
});

test('the format comes from the magic bytes; corrupt files are errors that name them', () => {
  assert.equal(imageFormat(fromBase64(references.images.png_rgb.b64)), 'png');
  assert.equal(imageFormat(fromBase64(references.images.jpeg_rgb.b64)), 'jpeg');
  assert.equal(imageFormat(fromBase64(references.images.tiff_rgb.b64)), 'tiff');
  assert.equal(imageFormat(fromBase64(references.images.bmp_rgb.b64)), 'bmp');
  assert.throws(() => decodeImage(Buffer.from('GIF89a......'), 'a.gif'), {
    message: 'a.gif: is not a JPEG, PNG, TIFF or BMP image (its first bytes are 47 49 46 38 39 61 2e 2e).',
  });
  const jpg = fromBase64(references.images.jpeg_rgb.b64);
  assert.throws(() => decodeImage(jpg.subarray(0, 200), 'cut.jpg'), { message: /^cut\.jpg: is a corrupt or unsupported JPEG image \(.+\)\.$/ });
  const png = fromBase64(references.images.png_rgb.b64);
  assert.throws(() => decodeImage(png.subarray(0, 60), 'cut.png'), { message: 'cut.png: is a corrupt or unsupported PNG image (it ends early: the file is truncated).' });
  const crc = Buffer.from(png);
  crc[40] ^= 0xff;
  assert.throws(() => decodeImage(crc, 'crc.png'), { message: /^crc\.png: is a corrupt or unsupported PNG image \(.+\)\.$/ });
  assert.throws(() => readImage(join(tmp.dir, 'none.png')), { message: `Image file not found at ${join(tmp.dir, 'none.png')}.` });
  const path = join(tmp.dir, 'ok.png');
  const png2 = new pngjs.PNG({ width: 2, height: 1 });
  png2.data.set([1, 2, 3, 255, 4, 5, 6, 255]);
  writeFileSync(path, pngjs.PNG.sync.write(png2, { colorType: 2 }));
  assert.deepEqual(readImage(path), { width: 2, height: 1, channels: 3, data: Uint8Array.from([1, 2, 3, 4, 5, 6]) });
});

/** A BMP with a BITMAPINFOHEADER (or V4 header with masks); rows bottom-up unless topDown. */
function bmp(width: number, height: number, bits: 8 | 24 | 32, rows: (y: number) => number[], options: { topDown?: boolean; palette?: number[][]; masks?: number[] } = {}): Buffer {
  const stride = Math.floor((bits * width + 31) / 32) * 4;
  const headerSize = options.masks ? 108 : 40;
  const paletteBytes = (options.palette?.length ?? 0) * 4;
  const offset = 14 + headerSize + paletteBytes;
  const out = Buffer.alloc(offset + stride * height);
  out.write('BM', 0, 'latin1');
  out.writeUInt32LE(out.length, 2);
  out.writeUInt32LE(offset, 10);
  out.writeUInt32LE(headerSize, 14);
  out.writeInt32LE(width, 18);
  out.writeInt32LE(options.topDown ? -height : height, 22);
  out.writeUInt16LE(1, 26);
  out.writeUInt16LE(bits, 28);
  out.writeUInt32LE(options.masks ? 3 : 0, 30);
  out.writeUInt32LE(options.palette?.length ?? 0, 46);
  options.masks?.forEach((mask, k) => out.writeUInt32LE(mask >>> 0, 54 + 4 * k));
  options.palette?.forEach(([r, g, b], i) => { out[14 + headerSize + 4 * i] = b; out[15 + headerSize + 4 * i] = g; out[16 + headerSize + 4 * i] = r; });
  for (let y = 0; y < height; y++) {
    const fileRow = options.topDown ? y : height - 1 - y;
    Buffer.from(rows(y)).copy(out, offset + fileRow * stride);
  }
  return out;
}

test('BMP: 24-bit with row padding, top-down, palettes, 32-bit with an alpha mask', () => {
  // 24-bit BGR, width 3 (9 bytes + 3 padding per row), bottom-up.
  const rgb = decodeBmp(bmp(3, 2, 24, (y) => [0, 0, 10 + y, 0, 20, 0, 30, 0, 0]), 'a.bmp');
  assert.deepEqual(rgb, { width: 3, height: 2, channels: 3, data: Uint8Array.from([10, 0, 0, 0, 20, 0, 0, 0, 30, 11, 0, 0, 0, 20, 0, 0, 0, 30]) });
  const top = decodeBmp(bmp(1, 2, 24, (y) => [y, y, y], { topDown: true }), 'b.bmp');
  assert.deepEqual([...top.data], [0, 0, 0, 1, 1, 1]);
  const gray = decodeBmp(bmp(2, 1, 8, () => [1, 0], { palette: [[0, 0, 0], [200, 200, 200]] }), 'g.bmp');
  assert.deepEqual(gray, { width: 2, height: 1, channels: 1, data: Uint8Array.from([200, 0]) });
  const colour = decodeBmp(bmp(2, 1, 8, () => [1, 0], { palette: [[1, 2, 3], [4, 5, 6]] }), 'c.bmp');
  assert.deepEqual([...colour.data], [4, 5, 6, 1, 2, 3]);
  const rgba = decodeBmp(bmp(1, 1, 32, () => [30, 20, 10, 128], { masks: [0x00ff0000, 0x0000ff00, 0x000000ff, 0xff000000] }), 'd.bmp');
  assert.deepEqual(rgba, { width: 1, height: 1, channels: 4, data: Uint8Array.from([10, 20, 30, 128]) });
  const bgrx = decodeBmp(bmp(1, 1, 32, () => [30, 20, 10, 0]), 'e.bmp');
  assert.deepEqual(bgrx, { width: 1, height: 1, channels: 3, data: Uint8Array.from([10, 20, 30]) });
  assert.throws(() => decodeBmp(bmp(3, 2, 24, () => []).subarray(0, 60), 't.bmp'), {
    message: 't.bmp: is truncated: 3x2 pixels at 24 bits need 78 bytes but the file has 60.',
  });
  const rle = bmp(1, 1, 24, () => [0, 0, 0]);
  rle.writeUInt32LE(1, 30);
  assert.throws(() => decodeBmp(rle, 'r.bmp'), { message: 'r.bmp: uses BMP compression 1: expected 0 (uncompressed) or, for 32-bit files, 3 (bit fields). Convert it to PNG.' });
  const four = bmp(1, 1, 24, () => [0, 0, 0]);
  four.writeUInt16LE(4, 28);
  assert.throws(() => decodeImage(four, 'f.bmp'), { message: 'f.bmp: is a 4-bit BMP: expected 8, 24 or 32 bits per pixel. Convert it to PNG.' });
});

/** A little-endian TIFF of one strip: 8-bit gray (one sample) or gray + alpha (two), the strip as given. */
function tiff(width: number, height: number, samples: 1 | 2, compression: number, strip: Uint8Array): Buffer {
  const tags: [tag: number, type: 3 | 4, value: number][] = [
    [256, 4, width], [257, 4, height], [258, 3, 8], [259, 3, compression], [262, 3, 1], [273, 4, 0],
    [277, 3, samples], [278, 4, height], [279, 4, strip.length], ...(samples === 2 ? [[338, 3, 2] as [number, 3, number]] : []),
  ];
  const ifdSize = 2 + tags.length * 12 + 4;
  const out = Buffer.alloc(8 + ifdSize + strip.length);
  out.write('II', 0, 'latin1');
  out.writeUInt16LE(42, 2);
  out.writeUInt32LE(8, 4);
  out.writeUInt16LE(tags.length, 8);
  tags.forEach(([tag, type, value], i) => {
    const at = 10 + 12 * i;
    out.writeUInt16LE(tag, at);
    out.writeUInt16LE(type, at + 2);
    // BitsPerSample holds one value per sample: two 16-bit values fit in the entry itself.
    const count = tag === 258 ? samples : 1;
    out.writeUInt32LE(count, at + 4);
    if (tag === 273) out.writeUInt32LE(8 + ifdSize, at + 8);
    else if (type === 3) for (let k = 0; k < count; k++) out.writeUInt16LE(value, at + 8 + 2 * k);
    else out.writeUInt32LE(value, at + 8);
  });
  out.set(strip, 8 + ifdSize);
  return out;
}

test('TIFF: Deflate strips under both of its codes, gray + alpha, and an unknown compression refused', () => {
  const gray = Uint8Array.from([0, 15, 19, 200, 255, 7]);
  for (const code of [8, 32946]) {
    // Inside a larger buffer, as an image read out of an archive is: utif must not read past the view.
    const file = tiff(3, 2, 1, code, deflateSync(gray));
    const padded = new Uint8Array(7 + file.length);
    padded.set(file, 7);
    const view = padded.subarray(7);
    for (const bytes of [file, view]) {
      assert.deepEqual(decodeImage(bytes, 'd.tif'), { width: 3, height: 2, channels: 1, data: gray }, `Deflate code ${code}`);
    }
  }
  const grayAlpha = Uint8Array.from([15, 255, 19, 128]);
  assert.deepEqual(decodeImage(tiff(2, 1, 2, 1, grayAlpha), 'ya.tif'), { width: 2, height: 1, channels: 4, data: Uint8Array.from([15, 15, 15, 255, 19, 19, 19, 128]) });
  assert.throws(() => decodeImage(tiff(3, 2, 1, 50000, gray), 'z.tif'), {
    message: 'z.tif: is a corrupt or unsupported TIFF image (compression 50000 is not supported (supported: none, CCITT, LZW, JPEG, Deflate, PackBits); save it uncompressed or as PNG).',
  });
});

test('readImageSize reads the size from the header (PNG, JPEG, BMP) or by decoding (TIFF), as the decoder gives it', () => {
  for (const name of ['png_rgb', 'png_gray', 'jpeg_rgb', 'jpeg_gray', 'bmp_rgb', 'tiff_rgb']) {
    const path = join(tmp.dir, `size-${name}`);
    writeFileSync(path, fromBase64(references.images[name].b64));
    const { width, height } = readImage(path);
    assert.deepEqual(readImageSize(path), { width, height }, name);
  }
  const wide = join(tmp.dir, 'wide.png');
  const png = new pngjs.PNG({ width: 300, height: 2 });
  writeFileSync(wide, pngjs.PNG.sync.write(png));
  assert.deepEqual(readImageSize(wide), { width: 300, height: 2 });
});
