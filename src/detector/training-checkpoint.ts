/**
 * Resumable training checkpoints, one format for every trainer: the network's weights under `model.*`, the
 * optimizer's tensors under `optimizer.*`, and in the metadata the run's identity and a `training` entry
 * (epochs done, the loss of each, the optimizer's settings, the scheduler's state where there is one).
 * Whatever else the caller puts in the metadata (model, configuration) is kept beside them.
 */
import { getJsonMetadata, setJsonMetadata } from '../checkpoint/safetensors.js';
import { loadTensors, saveTensors } from '../checkpoint/tensors.js';
import { badFile } from '../errors.js';
import type { Module } from '../nn/module.js';
import type { LRScheduler, SchedulerState } from '../optim/lr-scheduler.js';
import type { Optimizer } from '../optim/optimizer.js';
import { dispose } from '../tensor/memory.js';
import type { Device, Tensor } from '../tensor/tensor.js';
import { checkSameRun, type RunIdentity } from './run-identity.js';

/** What training goes on with: restored in place on resume. */
export interface Trainer {
  network: Module;
  optimizer: Optimizer;
  scheduler?: LRScheduler;
}

export interface TrainingProgress {
  epochsDone: number;
  /** The mean loss of each epoch done. */
  losses: number[];
}

interface TrainingState extends TrainingProgress {
  optimizer: string;
  scheduler?: SchedulerState;
}

/** Write the checkpoint atomically (saveTensors does), so a kill mid-write leaves the previous one. */
export function writeTrainingCheckpoint(
  path: string, trainer: Trainer, progress: TrainingProgress, metadata: Record<string, string>, run: RunIdentity,
): void {
  const tensors = new Map<string, Tensor>();
  for (const [key, value] of trainer.network.stateDict()) tensors.set(`model.${key}`, value);
  const optimizerState = trainer.optimizer.stateDict();
  for (const [key, value] of optimizerState.tensors) tensors.set(`optimizer.${key}`, value);
  const meta = { ...metadata };
  const training: TrainingState = { ...progress, optimizer: optimizerState.meta };
  if (trainer.scheduler) training.scheduler = trainer.scheduler.stateDict();
  setJsonMetadata(meta, 'training', training);
  setJsonMetadata(meta, 'run', run);
  try {
    saveTensors(path, tensors, meta);
  } finally {
    dispose([...optimizerState.tensors.values()].filter((t) => !t.kept));
  }
}

/**
 * Restore the trainer from the checkpoint at `path`, after checking that it is one and that it was written
 * by this same run (data, configuration, seed); returns the epochs done and the losses so far.
 */
export function resumeTrainingCheckpoint(path: string, trainer: Trainer, run: RunIdentity, device: Device): TrainingProgress {
  const { tensors, metadata } = loadTensors(path, { device });
  try {
    checkTrainingCheckpoint(path, metadata);
    checkSameRun(path, getJsonMetadata(metadata, 'run', path) as RunIdentity | undefined, run);
    const model = new Map<string, Tensor>();
    const optimizerTensors = new Map<string, Tensor>();
    for (const [key, value] of tensors) {
      if (key.startsWith('model.')) model.set(key.slice('model.'.length), value);
      else if (key.startsWith('optimizer.')) optimizerTensors.set(key.slice('optimizer.'.length), value);
    }
    trainer.network.loadStateDict(model);
    const training = getJsonMetadata(metadata, 'training', path) as TrainingState;
    trainer.optimizer.loadStateDict({ tensors: optimizerTensors, meta: training.optimizer });
    if (trainer.scheduler) trainer.scheduler.loadStateDict(training.scheduler!);
    return { epochsDone: training.epochsDone, losses: [...training.losses] };
  } finally {
    dispose(tensors);
  }
}

/**
 * Throw unless `metadata` (of the file at `path`, given as a checkpointPath) is a training checkpoint's: a
 * saved model has weights but no optimizer or epoch count to go on from, and training would overwrite it.
 */
function checkTrainingCheckpoint(path: string, metadata: Record<string, string>): void {
  if (metadata.training === undefined) {
    throw badFile(path, 'is not a training checkpoint: it holds no training state (epochs done, optimizer), so training cannot go on from it, and would overwrite it',
      'Give checkpointPath a file of its own (it is created at the first epoch); a saved model loads with loadDetector(path).');
  }
}
