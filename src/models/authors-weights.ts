/**
 * Weights trained with the authors' own code, made into a Normality detector, so that their published models
 * score through this toolkit's data, metrics and reports:
 * - MemAE's video network (donggong1/memae-anomaly-detection): a state dict, `torch.save(model.state_dict())`.
 *   Its keys are ours except the memory, `mem_rep.memory.weight` there and `memory.weight` here.
 * - MNAD (cvlab-yonsei/MNAD): the whole model, `torch.save(model)`, and the memory items saved alone
 *   (`keys.pt`, N × C). The network's keys are ours; the items become `memory.items`.
 * A `module.` prefix on every key (a model wrapped in DataParallel) is dropped. The memory's size and width
 * come from the files, so the configuration names only what the files cannot say (frame size, device, …).
 */
import { loadTorch } from '../checkpoint/torch-load.js';
import type { Detector } from '../detector/types.js';
import { badFile, invalidArgument, NormalityError } from '../errors.js';
import { dispose } from '../tensor/memory.js';
import type { Tensor } from '../tensor/tensor.js';
import { createDetector } from './registry.js';
import { STATE_DICT_FIX } from '../nn/state-dict.js';

/** The models whose authors' weights can be imported. */
export const AUTHORS_MODELS = ['memae-video', 'ae-video', 'mnad-pred', 'mnad-recon'] as const;
export type AuthorsModel = (typeof AUTHORS_MODELS)[number];

export interface AuthorsFiles {
  /** The network: a state dict (MemAE) or a whole saved model (MNAD), as torch.save wrote it. */
  weights: string;
  /** MNAD: the memory items, a tensor saved alone (the authors' `keys.pt`). */
  memory?: string;
}

/** A detector holding the authors' weights, ready to score or to `save` as a Normality checkpoint. */
export function importAuthorsWeights(model: string, files: AuthorsFiles, config: Record<string, unknown> = {}): Detector<unknown> {
  checkAuthorsModel(model);
  const isMnad = model.startsWith('mnad-');
  if (isMnad && files.memory === undefined) {
    throw invalidArgument('memory', "the authors' memory items file (keys.pt) for an MNAD model", files.memory,
      'MNAD saves its items apart from the network: name that file too (normality import: --memory keys.pt).');
  }
  if (!isMnad && files.memory !== undefined) {
    throw invalidArgument('memory', `no file for ${model}, whose memory is among its weights`, files.memory);
  }
  const state = loadTorch(files.weights);
  let items: Tensor | undefined;
  try {
    items = isMnad ? memoryItems(files.memory!) : undefined;
    return detectorFromAuthorsState(model, state, items, config);
  } catch (error) {
    if (error instanceof NormalityError && error.code === 'STATE_DICT') {
      const mismatch = error.message.replace(` ${STATE_DICT_FIX}`, '').replace(/\.$/, '');
      throw badFile(files.weights, `does not hold ${model}'s network as the authors' code builds it: ${mismatch}`, `Give the model.pth that the authors' ${model} code saved.`);
    }
    throw error;
  } finally {
    dispose([state, items]);
  }
}

/**
 * The same from tensors already loaded, by the authors' keys (`items`: MNAD's memory). The tensors stay the
 * caller's: the detector holds copies.
 */
export function detectorFromAuthorsState(model: string, authorsState: Map<string, Tensor>, items: Tensor | undefined, config: Record<string, unknown> = {}): Detector<unknown> {
  checkAuthorsModel(model);
  const state = withoutDataParallelPrefix(authorsState);
  let derived: Record<string, unknown> = {};
  if (items !== undefined) {
    state.set('memory.items', items);
    derived = { memorySize: items.shape[0], featureDim: items.shape[1] };
  }
  const memory = state.get('mem_rep.memory.weight');
  if (memory !== undefined) {
    state.delete('mem_rep.memory.weight');
    state.set('memory.weight', memory);
    derived = { memorySize: memory.shape[0] };
  }
  const detector = createDetector(model, { ...derived, ...config });
  try {
    (detector as unknown as { loadStateDict(state: Map<string, Tensor>): void }).loadStateDict(state);
  } catch (error) {
    detector.dispose();
    throw error;
  }
  return detector;
}

function checkAuthorsModel(model: string): void {
  if (!(AUTHORS_MODELS as readonly string[]).includes(model)) {
    throw invalidArgument('model', `one of ${AUTHORS_MODELS.join(', ')} (the models whose authors published their code)`, model);
  }
}

/** A new Map (the caller's stays as it was), without DataParallel's `module.` when every key has it. */
function withoutDataParallelPrefix(state: Map<string, Tensor>): Map<string, Tensor> {
  const keys = [...state.keys()];
  const wrapped = keys.length > 0 && keys.every((key) => key.startsWith('module.'));
  return new Map([...state].map(([key, tensor]) => [wrapped ? key.slice('module.'.length) : key, tensor]));
}

/** The one (N, C) tensor of an MNAD items file. */
function memoryItems(path: string): Tensor {
  const tensors = loadTorch(path);
  const [only, ...others] = tensors.values();
  if (only === undefined || others.length > 0 || only.ndim !== 2) {
    const held = `${tensors.size} tensor(s)${only ? ` (the first of shape [${only.shape.join(', ')}])` : ''}`;
    dispose(tensors);
    throw badFile(path, `holds ${held} where MNAD's memory items are one tensor of shape (items, features)`, "Name the authors' keys.pt, written by torch.save(m_items, path).");
  }
  return only;
}
