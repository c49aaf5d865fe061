// A saved model and a training checkpoint are both safetensors files with a detector's metadata; each
// given where the other belongs is refused, saying which it is and where it goes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemAEDetector } from '../models/memae/index.js';
import { loadDetector } from '../models/registry.js';
import { MnadDetector } from '../models/mnad/index.js';
import { liveTensors } from '../tensor/memory.js';
import type { SampleArray } from './types.js';

const table: SampleArray = { x: Float32Array.from({ length: 32 * 8 }, (_, i) => Math.cos(i)), shape: [32, 8] };
const mlp = { architecture: 'mlp' as const, inputFeatures: 8, hiddenSizes: [4, 2], memorySize: 5, epochs: 1, batchSize: 16 };

test('loadDetector refuses a training checkpoint, and fit refuses a saved model as its checkpointPath (which it would overwrite)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'normality-kinds-'));
  const before = liveTensors();
  const [trainingPath, modelPath] = [join(dir, 'run.training'), join(dir, 'model.safetensors')];
  const trained = new MemAEDetector(mlp);
  try {
    await trained.fit(table, { checkpointPath: trainingPath });
    trained.save(modelPath);
    assert.throws(() => loadDetector(trainingPath), {
      code: 'BAD_FILE',
      message: `${trainingPath}: is a training checkpoint (what fit writes to its checkpointPath, the CLI to <out>.training), not a saved model. ` +
        'Load the model that detector.save() wrote (the CLI\'s --out), or resume training from this file with fit(data, { checkpointPath }).',
    });
    const saved = readFileSync(modelPath);
    for (const detector of [new MemAEDetector(mlp), new MnadDetector({ height: 16, width: 16, memorySize: 2, featureDim: 8 })]) {
      try {
        const data = detector instanceof MemAEDetector ? table : { videos: [{ name: 'v', length: 6, frames: (_s: number, n: number) => new Float32Array(n * 3 * 16 * 16) }], channels: 3, height: 16, width: 16 };
        await assert.rejects((detector as MemAEDetector).fit(data as SampleArray, { checkpointPath: modelPath }),
          { code: 'BAD_FILE', message: new RegExp(`^${modelPath.replace(/[.]/g, '\\.')}: is not a training checkpoint: it holds no training state \\(epochs done, optimizer\\), so training cannot go on from it, and would overwrite it\\.`) });
      } finally {
        detector.dispose();
      }
    }
    assert.deepEqual(readFileSync(modelPath), saved, 'the saved model is left as it was');
    loadDetector(modelPath).dispose();
  } finally {
    trained.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
  assert.equal(liveTensors(), before);
});
