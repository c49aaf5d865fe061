/**
 * The registry from model name to factory. The CLI and the every-model test use only this and the
 * public detector contract, so a model that registers here works everywhere.
 */
import { NormalityError, badFile, invalidArgument } from '../errors.js';
import { checkOptionKeys } from '../config/option-keys.js';
import { closest } from '../config/suggest.js';
import { getJsonMetadata, loadSafetensors } from '../checkpoint/safetensors.js';
import type { Detector } from '../detector/types.js';
import type { VideoEvaluationOptions } from '../detector/video-eval.js';

export interface ModelEntry {
  name: string;
  summary: string;
  /** What the detector's `fit`/`score` take: sample arrays (images, tables) or videos. */
  input: 'samples' | 'video';
  /** Every key its configuration takes (`create` refuses any other). */
  configKeys: readonly string[];
  /** A detector with `config` merged over the model's defaults. */
  create(config?: Record<string, unknown>): Detector<unknown> & { loadWeights(path: string): void };
  /**
   * The settings of a saved configuration that shape this detector, for people to read: a model whose
   * configuration also holds settings of other architectures or variants leaves those out. Default: all.
   */
  settingsInUse?(config: Record<string, unknown>): Record<string, unknown>;
  /** Video models: the fewest frames a video needs to give one training or test item (a clip, a window). */
  framesPerItem?(config: Record<string, unknown>): number;
  /** Video models whose frame scores are min-max normalised within each video already (MNAD's S): evaluated as they are. */
  scoresNormalizedPerVideo?: boolean;
}

const models = new Map<string, ModelEntry>();

export function registerModel(entry: ModelEntry): void {
  checkEntry(entry);
  if (models.has(entry.name)) throw new NormalityError('INVALID_ARGUMENT', `model '${entry.name}' is registered twice`);
  models.set(entry.name, entry);
}

// A record over every key of ModelEntry, so that a field added to the interface must be listed here.
const ENTRY_FIELDS: Record<keyof ModelEntry, true> = { name: true, summary: true, input: true, configKeys: true, create: true, settingsInUse: true, framesPerItem: true, scoresNormalizedPerVideo: true };
const ENTRY_KEYS = Object.keys(ENTRY_FIELDS);

/** A plugin's entry is checked when it registers, not when a user first creates its detector. */
function checkEntry(entry: ModelEntry): void {
  if (!entry || typeof entry !== 'object') throw invalidArgument('registerModel entry', '{ name, summary, input, configKeys, create }', entry);
  checkOptionKeys('registerModel entry', entry, ENTRY_KEYS);
  const name = typeof entry.name === 'string' ? entry.name : '?';
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw invalidArgument('registerModel entry.name', 'lowercase letters, digits and dashes (a CLI name)', entry.name);
  if (typeof entry.summary !== 'string') throw invalidArgument(`model '${name}' summary`, 'a string', entry.summary);
  if (entry.input !== 'samples' && entry.input !== 'video') throw invalidArgument(`model '${name}' input`, "'samples' or 'video'", entry.input);
  if (!Array.isArray(entry.configKeys) || !entry.configKeys.every((k) => typeof k === 'string')) throw invalidArgument(`model '${name}' configKeys`, 'an array of strings', entry.configKeys);
  if (typeof entry.create !== 'function') throw invalidArgument(`model '${name}' create`, 'a function (config) => detector', entry.create);
  for (const key of ['settingsInUse', 'framesPerItem'] as const) {
    if (entry[key] !== undefined && typeof entry[key] !== 'function') throw invalidArgument(`model '${name}' ${key}`, 'a function or undefined', entry[key]);
  }
  if (entry.scoresNormalizedPerVideo !== undefined && typeof entry.scoresNormalizedPerVideo !== 'boolean') {
    throw invalidArgument(`model '${name}' scoresNormalizedPerVideo`, 'true, false or undefined', entry.scoresNormalizedPerVideo);
  }
}

/**
 * The variant a registered model stands for. A config may repeat it (saved configs do), but another
 * variant belongs to another model name: `createDetector('memae', { variant: 'ae' })` would otherwise
 * quietly build a MemAE.
 */
export function modelVariant<V extends string>(model: string, variant: V, given: unknown, modelOf: (variant: string) => string | undefined): V {
  if (given === undefined || given === variant) return variant;
  const other = typeof given === 'string' ? modelOf(given) : undefined;
  const fix = other !== undefined && models.has(other) ? `For that variant create the model '${other}'.` : undefined;
  throw invalidArgument(`${model} variant`, `'${variant}' (or no variant)`, given, fix);
}

export function modelNames(): string[] {
  return [...models.keys()].sort();
}

/** The registered models that read videos. */
export function videoModelNames(): string[] {
  return modelNames().filter((name) => models.get(name)!.input === 'video');
}

/** The frames a video detector reads for one score (a clip for MemAE-3D, 5 or 1 for MNAD); 1 for other models. */
export function framesPerItem(detector: Detector<unknown>): number {
  return getModel(detector.modelName).framesPerItem?.(detector.config as Record<string, unknown>) ?? 1;
}

export function getModel(name: string): ModelEntry {
  const entry = models.get(name);
  if (!entry) {
    const guess = typeof name === 'string' ? closest(name, modelNames()) : undefined;
    throw invalidArgument('model', `one of ${modelNames().join(', ')}`, name, guess && `Did you mean '${guess}'?`);
  }
  return entry;
}

export function createDetector(name: string, config: Record<string, unknown> = {}): Detector<unknown> {
  return build(name, config);
}

/** The registered model's detector for `config`, with everything a user or plugin could get wrong checked. */
function build(name: string, config: unknown): ReturnType<ModelEntry['create']> {
  const entry = getModel(name);
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw invalidArgument(`${name} settings`, 'an object of settings, e.g. { epochs: 10 }, or nothing for the defaults', config);
  }
  checkOptionKeys(name, config, entry.configKeys); // built-in models check again; a plugin's keys are held to its configKeys here
  const detector = entry.create(config as Record<string, unknown>);
  if (typeof detector !== 'object' || detector === null || typeof detector.fit !== 'function') {
    throw invalidArgument(`model '${name}' create(config)`, 'to return a detector (fit, score, predict, save, dispose)', detector, 'The plugin that registered it is broken.');
  }
  return detector;
}

/** The model a checkpoint's metadata names; a file that names none was not saved by a detector. */
export function savedModelName(metadata: Record<string, string>, path: string): string {
  const model = getJsonMetadata(metadata, 'model', path);
  if (typeof model !== 'string') {
    throw new NormalityError('BAD_FILE', `${path}: has no 'model' in its metadata, so it was not saved by a Normality detector. Save detectors with detector.save(path).`);
  }
  return model;
}

/** How a video model's frame scores are evaluated: min-max normalised within each video first, unless they already are. */
export function videoEvaluationOptions(model: string): VideoEvaluationOptions {
  return { normalize: !getModel(model).scoresNormalizedPerVideo };
}

/**
 * Rebuild a detector saved with `save(path)`: its model and configuration come from the file's metadata.
 * `overrides` replace saved settings (device, precision, scoring settings); as a function it gets the model's name.
 */
export function loadDetector(path: string, overrides: Record<string, unknown> | ((model: string) => Record<string, unknown>) = {}): Detector<unknown> {
  const { metadata } = loadSafetensors(path);
  const model = savedModelName(metadata, path);
  // Every saved detector has its settings: without them (or with a null or a list) the model would be
  // rebuilt with default settings, which may fit the weights and still not be the model that was trained.
  const config = getJsonMetadata(metadata, 'config', path);
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw badFile(path, `its metadata 'config' is ${config === undefined ? 'missing' : JSON.stringify(config)}, not the model's settings`, 'The file is damaged or was not written by normality: train again.');
  }
  if (typeof overrides !== 'function' && (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides))) {
    throw invalidArgument('loadDetector overrides', 'an object of settings such as { device: \'cuda\' }, or a function of the model name returning one', overrides);
  }
  const given = typeof overrides === 'function' ? overrides(model) : overrides;
  const detector = build(model, { ...config, ...given });
  try {
    detector.loadWeights(path);
  } catch (error) {
    detector.dispose(); // its network was built for the weights that failed to load
    // An override that reshapes the network (architecture, memorySize) would end in a list of unmatched weights.
    const changed = Object.keys(given).filter((key) => JSON.stringify(given[key]) !== JSON.stringify((config as Record<string, unknown>)[key]));
    if (error instanceof NormalityError && error.code === 'STATE_DICT' && changed.length > 0) {
      throw new NormalityError('INVALID_ARGUMENT', `The weights in ${path} do not fit the ${model} network that the settings given to loadDetector build (${changed.map((key) => `${key} ${JSON.stringify(given[key])}, saved ${JSON.stringify((config as Record<string, unknown>)[key]) ?? 'unset'}`).join('; ')}). `
        + 'Settings given when loading may change how the detector runs (device, precision, scoring), not the shape of its network: leave those out.', { cause: error });
    }
    throw error;
  }
  return detector;
}
