/**
 * MemAE's configurations (SPEC §1). One detector class serves three variants with the same encoder and
 * decoder, so that every comparison is like for like:
 * - `memae`: memory with hard shrinkage and the entropy loss (the paper);
 * - `nonspar`: memory without shrinkage or entropy loss (MemAE-nonSpar);
 * - `ae`: no memory (the plain autoencoder baseline).
 */
import { checkTrainingSettings, type TrainingConfig } from '../../detector/training-settings.js';
import { checkOptionKeys } from '../../config/option-keys.js';
import { invalidArgument } from '../../errors.js';
import type { Addressing } from './memory.js';

export type MemAEVariant = 'memae' | 'nonspar' | 'ae';

/** The networks: the paper's MNIST net, the wider reading of it, CIFAR-10's, and KDDCUP99's MLP. */
export type MemAEArchitecture = 'mnist' | 'mnist-wide' | 'cifar10' | 'mlp';

export interface MemAEConfig extends TrainingConfig {
  /** 'memae' (default), 'nonspar' (no shrinkage or entropy loss) or 'ae' (no memory); each has its own model name. */
  variant: MemAEVariant;
  /** The network: 'mnist' (default; (1, 28, 28) images), 'mnist-wide', 'cifar10' ((3, 32, 32) images) or 'mlp' (table rows). */
  architecture: MemAEArchitecture;
  /** N, the number of memory items. */
  memorySize: number;
  /** λ of the hard shrinkage, in [1/N, 3/N] per the paper. */
  shrinkThreshold: number;
  /** α, the weight of the entropy loss. Default 0.0002. */
  entropyWeight: number;
  /** How a query addresses the memory: 'dot' (softmax over dot products, the authors' code; default) or 'cosine' (the paper's formula). */
  addressing: Addressing;
  /** MLP only: input features and the hidden widths down to the code (the decoder mirrors them). */
  inputFeatures: number;
  hiddenSizes: readonly number[];
  /** Tables: min-max scale each feature with the training data's range before the network. */
  normalize: 'none' | 'minmax';
  /** Adam's L2 weight decay. Default 0. */
  weightDecay: number;
  /** What follows the decoder's last layer: nothing, or a sigmoid for inputs in [0, 1]. */
  outputActivation: OutputActivation;
}

/** SPEC fixes no output activation for images; a sigmoid keeps [0, 1] pixels' reconstructions in range. */
export type OutputActivation = 'none' | 'sigmoid';

const ARCHITECTURE_DEFAULTS: Record<MemAEArchitecture, Partial<MemAEConfig>> = {
  mnist: { memorySize: 100, epochs: 30, batchSize: 64, lr: 1e-3, normalize: 'none' },
  'mnist-wide': { memorySize: 100, epochs: 30, batchSize: 64, lr: 1e-3, normalize: 'none' },
  cifar10: { memorySize: 500, epochs: 30, batchSize: 64, lr: 1e-3, normalize: 'none' },
  mlp: { memorySize: 50, epochs: 10, batchSize: 1024, lr: 1e-3, normalize: 'minmax', inputFeatures: 118, hiddenSizes: [60, 30, 10, 3] },
};

const ARCHITECTURES = Object.keys(ARCHITECTURE_DEFAULTS) as MemAEArchitecture[];
const VARIANTS: MemAEVariant[] = ['memae', 'nonspar', 'ae'];

/** The registered model name of each variant. */
export const MEMAE_MODEL_NAMES: Record<MemAEVariant, string> = { memae: 'memae', nonspar: 'memae-nonspar', ae: 'ae' };

// A record over every key of MemAEConfig, so that a field added to the interface must be listed here.
const KEYS: Record<keyof MemAEConfig, true> = {
  seed: true, device: true, contamination: true, precision: true, epochs: true, batchSize: true, lr: true, variant: true, architecture: true,
  memorySize: true, shrinkThreshold: true, entropyWeight: true, addressing: true, inputFeatures: true, hiddenSizes: true, normalize: true, weightDecay: true,
  outputActivation: true,
};
/** Every key `memaeConfig` takes; any other is refused. */
export const MEMAE_CONFIG_KEYS = Object.keys(KEYS) as (keyof MemAEConfig)[];

/** The sample shape each architecture takes (the MLP's comes from `inputFeatures`). */
export function sampleShapeOf(config: Pick<MemAEConfig, 'architecture' | 'inputFeatures'>): number[] {
  switch (config.architecture) {
    case 'mnist':
    case 'mnist-wide': return [1, 28, 28];
    case 'cifar10': return [3, 32, 32];
    case 'mlp': return [config.inputFeatures];
  }
}

/** Fill in the defaults of an architecture and check every field. */
export function memaeConfig(options: Partial<MemAEConfig> = {}): MemAEConfig {
  const architecture = options.architecture ?? 'mnist';
  if (!ARCHITECTURES.includes(architecture)) throw invalidArgument('architecture', `one of ${ARCHITECTURES.join(', ')}`, architecture);
  const variant = options.variant ?? 'memae';
  if (!VARIANTS.includes(variant)) throw invalidArgument('variant', `one of ${VARIANTS.join(', ')}`, variant);
  checkOptionKeys(MEMAE_MODEL_NAMES[variant], options, MEMAE_CONFIG_KEYS);
  const base = ARCHITECTURE_DEFAULTS[architecture];
  const memorySize = options.memorySize ?? base.memorySize!;
  // λ in [1/N, 3/N] (paper). The MLP's 3-d codes give flat attention over 50 items: above 1/N every
  // weight can fall under λ at once, the read returns zeros and training stalls there for good.
  const memoryDefaults: MemorySettings = { memorySize: base.memorySize!, addressing: 'dot', entropyWeight: 0.0002, shrinkThreshold: (architecture === 'mlp' ? 1 : 2) / memorySize };
  const config: MemAEConfig = {
    seed: 1, device: 'cpu', contamination: 0, epochs: 30, batchSize: 64, lr: 1e-3, weightDecay: 0,
    ...MLP_DEFAULTS, outputActivation: 'none',
    ...memoryDefaults,
    ...base,
    ...stripUndefined(options),
    architecture, variant, memorySize,
  };
  checkMemoryAndTraining(config);
  refuseMlpSettingsOnImages(options, architecture);
  refuseUnusedMemorySettings(options, variant, MEMAE_MODEL_NAMES[variant], memoryDefaults);
  if (config.outputActivation !== 'none' && config.outputActivation !== 'sigmoid') throw invalidArgument('outputActivation', "'none' or 'sigmoid'", config.outputActivation);
  if (!(typeof config.weightDecay === 'number' && config.weightDecay >= 0)) throw invalidArgument('weightDecay', 'a number >= 0', config.weightDecay);
  if (config.normalize !== 'none' && config.normalize !== 'minmax') throw invalidArgument('normalize', "'none' or 'minmax'", config.normalize);
  if (!Number.isInteger(config.inputFeatures) || config.inputFeatures < 1) throw invalidArgument('inputFeatures', 'a positive integer', config.inputFeatures);
  if (!Array.isArray(config.hiddenSizes) || config.hiddenSizes.length === 0 || !config.hiddenSizes.every((h) => Number.isInteger(h) && h > 0)) {
    throw invalidArgument('hiddenSizes', 'a non-empty list of positive integers', config.hiddenSizes);
  }
  return config;
}

/** The memory's settings and the training's common ones, checked alike for MemAE on samples and on video. */
export function checkMemoryAndTraining(config: TrainingConfig & Pick<MemAEConfig, 'memorySize' | 'shrinkThreshold' | 'entropyWeight' | 'addressing'>): void {
  if (!Number.isInteger(config.memorySize) || config.memorySize < 1) throw invalidArgument('memorySize', 'a positive integer', config.memorySize);
  if (!(typeof config.shrinkThreshold === 'number' && config.shrinkThreshold >= 0 && config.shrinkThreshold < 1)) throw invalidArgument('shrinkThreshold', 'a number in [0, 1)', config.shrinkThreshold);
  if (!(typeof config.entropyWeight === 'number' && config.entropyWeight >= 0)) throw invalidArgument('entropyWeight', 'a non-negative number', config.entropyWeight);
  if (config.addressing !== 'dot' && config.addressing !== 'cosine') throw invalidArgument('addressing', "'dot' or 'cosine'", config.addressing);
  checkTrainingSettings(config);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

// Settings a MemAE configuration always carries, though only some networks and variants use them.
const MLP_ONLY: (keyof MemAEConfig)[] = ['inputFeatures', 'hiddenSizes', 'normalize'];
const MEMORY_ONLY: (keyof MemAEConfig)[] = ['memorySize', 'addressing', 'shrinkThreshold', 'entropyWeight'];
const SPARSITY_ONLY: (keyof MemAEConfig)[] = ['shrinkThreshold', 'entropyWeight'];

/** The table network's settings as every saved configuration holds them (unused by the image networks). */
const MLP_DEFAULTS: Pick<MemAEConfig, 'inputFeatures' | 'hiddenSizes' | 'normalize'> = { inputFeatures: 118, hiddenSizes: [60, 30, 10, 3], normalize: 'none' };

/** An image network would build without them: a hidden size given for one is a slip, not a setting. */
function refuseMlpSettingsOnImages(options: Partial<MemAEConfig>, architecture: MemAEArchitecture): void {
  if (architecture === 'mlp') return;
  for (const key of MLP_ONLY) {
    const value = options[key];
    if (value !== undefined && JSON.stringify(value) !== JSON.stringify(MLP_DEFAULTS[key as keyof typeof MLP_DEFAULTS])) {
      throw invalidArgument(key, `no ${key} for the ${architecture} network: it sets the table network (architecture 'mlp') only`, value,
        "Leave it out for images, or choose architecture: 'mlp' for table rows.");
    }
  }
}

type MemorySettings = Pick<MemAEConfig, 'memorySize' | 'addressing' | 'shrinkThreshold' | 'entropyWeight'>;

/**
 * AE has no memory and MemAE-nonSpar no shrinkage or entropy loss, yet their configurations carry those settings
 * at their defaults (one configuration type serves all three): another value given for one would be dropped
 * without a word, so it is refused.
 */
export function refuseUnusedMemorySettings(options: Partial<MemorySettings>, variant: MemAEVariant, model: string, defaults: MemorySettings): void {
  const unused = variant === 'ae' ? MEMORY_ONLY : variant === 'nonspar' ? SPARSITY_ONLY : [];
  for (const key of unused as (keyof MemorySettings)[]) {
    const value = options[key];
    if (value !== undefined && value !== defaults[key]) {
      throw invalidArgument(key, `no ${key} (${model} has ${variant === 'ae' ? 'no memory' : 'no shrinkage and no entropy loss'})`, value,
        variant === 'ae' ? 'Leave it out, or train a model with a memory (memae, memae-nonspar).' : 'Leave it out, or train memae, which has both.');
    }
  }
}

/**
 * Settings given to each of MemAE, MemAE-nonSpar and AE (a benchmark trains all three), less those `model` has
 * none of: no memory on AE (`ae`, `ae-video`), no sparsity on nonSpar.
 */
export function memorySettingsFor(model: string, settings: Record<string, unknown>): Record<string, unknown> {
  const unused = new Set<string>(model === 'ae' || model === 'ae-video' ? MEMORY_ONLY : model.endsWith('nonspar') ? SPARSITY_ONLY : []);
  return Object.fromEntries(Object.entries(settings).filter(([key]) => !unused.has(key)));
}

/** A saved configuration (images, tables or video) less what its network and variant ignore: no MLP sizes on a conv net, no memory on AE. */
export function memaeSettingsInUse(config: Record<string, unknown>): Record<string, unknown> {
  const unused = new Set<string>([
    ...(config.architecture === 'mlp' ? [] : MLP_ONLY),
    ...(config.variant === 'ae' ? MEMORY_ONLY : config.variant === 'nonspar' ? SPARSITY_ONLY : []),
  ]);
  return Object.fromEntries(Object.entries(config).filter(([key]) => !unused.has(key)));
}
