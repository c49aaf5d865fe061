/**
 * Resumable training checkpoints, one format for every trainer: the network's weights under `model.*`, the
 * optimizer's tensors under `optimizer.*`, and in the metadata the run's identity and a `training` entry
 * (epochs done, the loss of each, the optimizer's settings, the scheduler's state where there is one).
 * Whatever else the caller puts in the metadata (model, configuration) is kept beside them.
 */
import { getJsonMetadata, setJsonMetadata } from '../checkpoint/safetensors.js';
import { loadTensors, saveTensors } from '../checkpoint/tensors.js';
import { badFile, NormalityError } from '../errors.js';
import type { Module } from '../nn/module.js';
import type { LRScheduler, SchedulerState } from '../optim/lr-scheduler.js';
import type { Optimizer } from '../optim/optimizer.js';
import { dispose } from '../tensor/memory.js';
import type { Device, Tensor } from '../tensor/tensor.js';
import { AFRESH, checkSameRun, type RunIdentity } from './run-identity.js';

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
 * by this same run (data, configuration, seed) of at least the epochs it has done; returns the epochs done
 * and the losses so far.
 */
export function resumeTrainingCheckpoint(path: string, trainer: Trainer, run: RunIdentity, device: Device, epochs: number): TrainingProgress {
  const { tensors, metadata } = loadCheckpoint(path, device);
  try {
    checkTrainingCheckpoint(path, metadata);
    checkSameRun(path, getJsonMetadata(metadata, 'run', path) as RunIdentity | undefined, run);
    const training = getJsonMetadata(metadata, 'training', path) as TrainingState;
    checkProgress(path, training, epochs);
    if (trainer.scheduler) checkSameSchedule(path, training.scheduler, trainer.scheduler);
    const model = new Map<string, Tensor>();
    const optimizerTensors = new Map<string, Tensor>();
    for (const [key, value] of tensors) {
      if (key.startsWith('model.')) model.set(key.slice('model.'.length), value);
      else if (key.startsWith('optimizer.')) optimizerTensors.set(key.slice('optimizer.'.length), value);
    }
    trainer.network.loadStateDict(model);
    trainer.optimizer.loadStateDict({ tensors: optimizerTensors, meta: training.optimizer });
    if (trainer.scheduler) trainer.scheduler.loadStateDict(training.scheduler!);
    return { epochsDone: training.epochsDone, losses: [...training.losses] };
  } catch (error) {
    throw asDamaged(path, error);
  } finally {
    dispose(tensors);
  }
}


function loadCheckpoint(path: string, device: Device): ReturnType<typeof loadTensors> {
  try {
    return loadTensors(path, { device });
  } catch (error) {
    throw asDamaged(path, error);
  }
}

/**
 * A checkpoint that does not read or load back is damaged: training wrote it whole, atomically. The readers'
 * own advice ("re-save it", "pass what stateDict() returned") is for files a user writes; this one is training's.
 */
function asDamaged(path: string, error: unknown): unknown {
  if (!(error instanceof NormalityError)) return error;
  if (error.code === 'BAD_FILE' && /re-save it\.$/.test(error.message)) {
    return new NormalityError('BAD_FILE', `${error.message.replace(/ [^.]*re-save it\.$/, '')} Training writes it atomically, so it was damaged afterwards. ${AFRESH}`, { cause: error });
  }
  if (error.code === 'STATE_DICT') {
    return badFile(path, `holds a training state that does not load back (${error.message.replace(/\. Pass .*$/, '')}); training writes it atomically, so it was damaged afterwards`, AFRESH);
  }
  return error;
}

/** Epochs done and their losses as training wrote them, and no more epochs than this run asks for. */
function checkProgress(path: string, training: TrainingState, epochs: number): void {
  const { epochsDone, losses } = training;
  if (!Number.isInteger(epochsDone) || epochsDone < 0 || !Array.isArray(losses) || losses.length !== epochsDone || !losses.every((l) => typeof l === 'number')) {
    const lossesText = !Array.isArray(losses) ? 'no losses' : `${losses.length} losses${losses.every((l) => typeof l === 'number') ? '' : ', not all numbers'}`;
    throw badFile(path, `holds a damaged training state (epochsDone ${JSON.stringify(epochsDone)}, ${lossesText}): training wrote one loss, a number, per epoch done`, AFRESH);
  }
  if (epochsDone > epochs) {
    throw badFile(path, `has ${epochsDone} epochs done, more than the ${epochs} this run asks for, so its model cannot be the ${epochs}-epoch one`,
      `Ask for ${epochsDone} epochs or more to go on from it, or delete it to train afresh.`);
  }
}

/**
 * A learning-rate schedule set for the whole run (MNAD's cosine over its epochs) cannot change between its
 * parts: going on with another would follow neither, and anneal the rate to 0 before the new end.
 */
function checkSameSchedule(path: string, saved: SchedulerState | undefined, scheduler: LRScheduler): void {
  const settings = (state: SchedulerState) => {
    const { type, base_lrs: _base, last_epoch: _last, _step_count: _count, _last_lr: _lr, ...rest } = state;
    return JSON.stringify({ type, ...rest });
  };
  const [there, here] = [saved ? settings(saved) : 'none', settings(scheduler.stateDict())];
  if (there !== here) {
    throw badFile(path, `was trained with the learning-rate schedule ${there}, and this run's is ${here} (a cosine schedule spans the epochs asked for)`,
      'Resume with the epochs it was started with, or delete it to train afresh.');
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
