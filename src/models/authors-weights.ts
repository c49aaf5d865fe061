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
import { didYouMean } from '../config/suggest.js';
import { dispose } from '../tensor/memory.js';
import type { Tensor } from '../tensor/tensor.js';
import { createDetector } from './registry.js';
import { SHAPE_FIX, STATE_DICT_FIX } from '../nn/state-dict.js';

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
  const give = isMnad
    ? `Give the model.pth that the authors' ${model} code saved (a whole model, torch.save(model)).`
    : `Give the state dict that the authors' ${model} code saved (torch.save(model.state_dict())); the memory's size is read from it.`;
  try {
    checkStateDict(files.weights, state, give);
    items = isMnad ? memoryItems(files.memory!) : undefined;
    return detectorFromAuthorsState(model, state, items, config);
  } catch (error) {
    if (error instanceof NormalityError && error.code === 'STATE_DICT') {
      // The library's fix (build the model otherwise, strict: false) has no counterpart here: the sizes the files can say are read from them.
      const mismatch = error.message.replace(` ${STATE_DICT_FIX}`, '').replace(` ${SHAPE_FIX}`, '').replace(/\.$/, '');
      throw badFile(files.weights, `does not hold ${model}'s network as the authors' code builds it: ${mismatch}`, give);
    }
    throw error;
  } finally {
    dispose([state, items]);
  }
}

/**
 * A state dict names its tensors: torch.save of one tensor alone comes back under the key '', a list's under
 * '0', '1', …, and a file of no tensors (a list of numbers) comes back empty. Said as such, rather than as
 * every key of the network missing.
 */
function checkStateDict(path: string, state: Map<string, Tensor>, give: string): void {
  const keys = [...state.keys()];
  const only = state.get('');
  if (keys.length === 0) throw badFile(path, 'holds no tensors, where a state dict holds the network\'s tensors by name', give);
  if (keys.length === 1 && only !== undefined) {
    throw badFile(path, `holds a single tensor (of shape [${only.shape.join(', ')}]), not a state dict (the network's tensors by name)`, give);
  }
  if (keys.every((key) => /^\d+(\.|$)/.test(key))) {
    throw badFile(path, `holds a list of ${new Set(keys.map((key) => key.split('.')[0])).size} items, not a state dict (the network's tensors by name)`, give);
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
  // The authors name MemAE's memory mem_rep.memory.weight; a file already in our names keeps memory.weight.
  const authorsNames = !state.has('memory.weight');
  const memory = state.get('mem_rep.memory.weight') ?? state.get('memory.weight');
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
    // The load names our key; the file holds (or lacks) the authors'.
    if (authorsNames && error instanceof NormalityError && error.code === 'STATE_DICT') {
      throw new NormalityError('STATE_DICT', error.message.replaceAll("'memory.weight'", "'mem_rep.memory.weight'"), { cause: error });
    }
    throw error;
  }
  return detector;
}

/** Throw unless `model` is one whose authors' weights can be imported; `name` is how the caller's user gave it (the CLI's `<model>`). */
export function checkAuthorsModel(model: string, name = 'model'): void {
  if (!(AUTHORS_MODELS as readonly string[]).includes(model)) {
    throw invalidArgument(name, `one of ${AUTHORS_MODELS.join(', ')} (the models whose authors published their code)`, model, didYouMean(model, AUTHORS_MODELS));
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
