/** Loading a detector file's weights into its network, strictly, and reading its metadata. */
import { getJsonMetadata } from '../checkpoint/safetensors.js';
import { loadTensors } from '../checkpoint/tensors.js';
import type { Module } from '../nn/module.js';
import { dispose } from '../tensor/memory.js';
import type { Device } from '../tensor/tensor.js';

export interface LoadedDetectorFile {
  threshold: number | undefined;
  /** A JSON metadata entry by key (undefined when absent). */
  meta(key: string): unknown;
}

export function loadWeightsInto(network: Module, path: string, device: Device): LoadedDetectorFile {
  const { tensors, metadata } = loadTensors(path, { device });
  try {
    network.loadStateDict(tensors);
  } finally {
    dispose(tensors);
  }
  const threshold = getJsonMetadata(metadata, 'threshold', path);
  return { threshold: typeof threshold === 'number' ? threshold : undefined, meta: (key) => getJsonMetadata(metadata, key, path) };
}
