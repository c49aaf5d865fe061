import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bytesOf, fnv1a, fromBase64, patternImage } from './fixtures/helpers.js';
import { references } from './fixtures/references.js';
import { resizeBilinear, resizeBilinearFloat } from './resize.js';

test('uint8 and float32 resizing equal cv2.resize INTER_LINEAR bit for bit', () => {
  for (const ref of references.resize) {
    const { w, h, c, dw, dh } = ref;
    const label = `${w}x${h}x${c} -> ${dw}x${dh}`;
    const source = patternImage(w, h, c);
    const out = resizeBilinear({ width: w, height: h, channels: c, data: source }, dw, dh);
    assert.deepEqual([out.width, out.height, out.channels], [dw, dh, c], label);
    if (ref.b64) assert.deepEqual(Buffer.from(out.data), fromBase64(ref.b64), label);
    assert.equal(fnv1a(out.data), ref.fnv, label);
    const floats = Float32Array.from(source, (v) => v / 7);
    const outFloat = resizeBilinearFloat({ width: w, height: h, channels: c, data: floats }, dw, dh);
    assert.equal(fnv1a(bytesOf(outFloat.data)), ref.floatFnv, `${label} (float)`);
  }
});

test('same size is a copy; bad sizes are named', () => {
  const image = { width: 2, height: 2, channels: 1 as const, data: Uint8Array.from([1, 2, 3, 4]) };
  const same = resizeBilinear(image, 2, 2);
  assert.deepEqual(same, image);
  assert.notEqual(same.data, image.data);
  assert.throws(() => resizeBilinear(image, 0, 2), { message: 'Expected a whole number of pixels >= 1 for width but received 0 of type number.' });
  assert.throws(() => resizeBilinear(image, 2, 2.5), { message: 'Expected a whole number of pixels >= 1 for height but received 2.5 of type number.' });
  assert.throws(() => resizeBilinear({ ...image, data: new Uint8Array(3) }, 1, 1), {
    message: 'Expected 4 values (2x2x1) for image.data but received a Uint8Array of length 3.',
  });
});
