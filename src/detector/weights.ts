/** Loading a detector file's weights into its network, strictly, and reading its metadata. */
import { getJsonMetadata } from '../checkpoint/safetensors.js';
import { loadTensors } from '../checkpoint/tensors.js';
import type { Module } from '../nn/module.js';
import { badFile } from '../errors.js';
import { dispose, tidy } from '../tensor/memory.js';
import type { Device } from '../tensor/tensor.js';
import type { DType } from '../tensor/dtype.js';

export interface LoadedDetectorFile {
  threshold: number | undefined;
  /** A JSON metadata entry by key (undefined when absent). */
  meta(key: string): unknown;
}

export function loadWeightsInto(network: Module, path: string, device: Device): LoadedDetectorFile {
  const { tensors, metadata } = loadTensors(path, { device });
  try {
    if (metadata.training !== undefined) {
      throw badFile(path, 'is a training checkpoint (what fit writes to its checkpointPath, the CLI to <out>.training), not a saved model',
        'Load the model that detector.save() wrote (the CLI\'s --out), or resume training from this file with fit(data, { checkpointPath }).');
    }
    // A NaN weight would make every score NaN, and every sample "normal" through the threshold.
    const broken = [...tensors].find(([, t]) => FLOATS.has(t.dtype) && t.numel > 0 && !Number.isFinite(tidy(() => t.abs().max().item())));
    if (broken) {
      throw badFile(path, `its weight '${broken[0]}' holds NaN or infinite values`, 'The file is damaged, or the training that wrote it diverged: train again, or use an earlier checkpoint.');
    }
    network.loadStateDict(tensors);
  } finally {
    dispose(tensors);
  }
  const threshold = getJsonMetadata(metadata, 'threshold', path);
  if (threshold != null && typeof threshold !== 'number') throw badFile(path, `its metadata 'threshold' is ${JSON.stringify(threshold)}, not a number or null`, CORRUPT_HINT);
  return { threshold: threshold ?? undefined, meta: (key) => getJsonMetadata(metadata, key, path) };
}

const FLOATS = new Set<DType>(['float16', 'bfloat16', 'float32', 'float64']);
const CORRUPT_HINT = 'The file is damaged or was not written by normality: train again.';
