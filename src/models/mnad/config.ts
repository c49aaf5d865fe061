/**
 * MNAD's configuration (SPEC §2). Two variants share one encoder and memory:
 * - `pred`: 4 consecutive frames in (4·C channels), the 5th frame out; the decoder has skip connections;
 * - `recon`: one frame in, the same frame out; no skip connections.
 * Defaults are the authors' code; where the paper differs the option says so.
 */
import { checkTrainingSettings } from '../../detector/training-settings.js';
import { checkOptionKeys } from '../../config/option-keys.js';
import { invalidArgument } from '../../errors.js';
import type { CommonConfig } from '../../detector/types.js';

export type MnadVariant = 'pred' | 'recon';

/** What divides the update weight v^{k,m}: its max over all queries (the code) or over the queries assigned to item m (the paper). */
export type UpdateNormalization = 'all' | 'assigned';

/** How the compactness and separateness losses reduce over queries: mean (the code) or sum (the paper's Σ_k). */
export type FeatureLossReduction = 'mean' | 'sum';

export interface MnadConfig extends CommonConfig {
  /** 60 in the paper; the learning rate follows a cosine from `lr` to 0 over them. */
  epochs: number;
  batchSize: number;
  lr: number;
  variant: MnadVariant;
  /** Channels of one frame (3: RGB, as the authors read every dataset). */
  channels: number;
  /** Frame size; a multiple of 8 (the encoder halves it three times). The paper uses 256 × 256. */
  height: number;
  width: number;
  /** N, the number of memory items. */
  memorySize: number;
  /** C, the size of a query and of a memory item (the encoder's last stage). 512 in the paper. */
  featureDim: number;
  /** λ_c and λ_s: prediction 0.1 / 0.1, reconstruction 0.01 / 0.01. */
  compactnessWeight: number;
  separatenessWeight: number;
  /** α of the separateness (triplet) loss. */
  separatenessMargin: number;
  featureLossReduction: FeatureLossReduction;
  updateNormalization: UpdateNormalization;
  /** Update the memory at test time with frames whose weighted regular score is below `updateThreshold`. */
  testUpdate: boolean;
  /** Train on at most this many windows per epoch (a seeded random subset each epoch; 0 = all, as the paper). */
  windowsPerEpoch: number;
  /** γ: prediction 0.01, reconstruction 0.015. */
  updateThreshold: number;
  /** λ of S = λ(1 − g(PSNR)) + (1 − λ) g(D): prediction 0.6, reconstruction 0.7. */
  scoreWeight: number;
}

const VARIANT_DEFAULTS: Record<MnadVariant, Pick<MnadConfig, 'compactnessWeight' | 'separatenessWeight' | 'updateThreshold' | 'scoreWeight'>> = {
  pred: { compactnessWeight: 0.1, separatenessWeight: 0.1, updateThreshold: 0.01, scoreWeight: 0.6 },
  recon: { compactnessWeight: 0.01, separatenessWeight: 0.01, updateThreshold: 0.015, scoreWeight: 0.7 },
};

// A record over every key of MnadConfig, so that a field added to the interface must be listed here.
const KEYS: Record<keyof MnadConfig, true> = {
  seed: true, device: true, contamination: true, precision: true, epochs: true, batchSize: true, lr: true, variant: true, channels: true,
  height: true, width: true, memorySize: true, featureDim: true, compactnessWeight: true, separatenessWeight: true, separatenessMargin: true,
  featureLossReduction: true, updateNormalization: true, testUpdate: true, windowsPerEpoch: true, updateThreshold: true, scoreWeight: true,
};
/** Every key `mnadConfig` takes; any other is refused. */
export const MNAD_CONFIG_KEYS = Object.keys(KEYS) as (keyof MnadConfig)[];

/** Frames the network reads per sample: 4 for prediction, 1 for reconstruction. */
export function inputFrames(variant: MnadVariant): number {
  return variant === 'pred' ? 4 : 1;
}

/** Fill in the defaults of a variant and check every field. */
export function mnadConfig(options: Partial<MnadConfig> = {}): MnadConfig {
  const variant = options.variant ?? 'pred';
  if (variant !== 'pred' && variant !== 'recon') throw invalidArgument('variant', "'pred' or 'recon'", variant);
  checkOptionKeys(`mnad-${variant}`, options, MNAD_CONFIG_KEYS);
  const config: MnadConfig = {
    seed: 1, device: 'cpu', contamination: 0, epochs: 60, batchSize: 4, lr: 2e-4,
    channels: 3, height: 256, width: 256, memorySize: 10, featureDim: 512, separatenessMargin: 1,
    featureLossReduction: 'mean', updateNormalization: 'all', testUpdate: true, windowsPerEpoch: 0,
    ...VARIANT_DEFAULTS[variant],
    ...(Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Partial<MnadConfig>),
    variant,
  };
  const positiveInt = (name: keyof MnadConfig) => {
    const value = config[name];
    if (!Number.isInteger(value) || (value as number) < 1) throw invalidArgument(name, 'a positive integer', value);
  };
  (['channels', 'memorySize', 'featureDim'] as const).forEach(positiveInt);
  for (const key of ['height', 'width'] as const) {
    if (!Number.isInteger(config[key]) || config[key] < 8 || config[key] % 8 !== 0) {
      throw invalidArgument(key, 'a positive multiple of 8 (the encoder halves the frame three times)', config[key], 'The paper uses 256.');
    }
  }
  checkTrainingSettings(config);
  if (config.memorySize < 2) throw invalidArgument('memorySize', 'at least 2 items (the separateness loss needs a second-nearest item)', config.memorySize);
  for (const key of ['compactnessWeight', 'separatenessWeight', 'separatenessMargin', 'updateThreshold'] as const) {
    if (typeof config[key] !== 'number' || !(config[key] >= 0) || !Number.isFinite(config[key])) throw invalidArgument(key, 'a non-negative number', config[key]);
  }
  if (!(typeof config.scoreWeight === 'number' && config.scoreWeight >= 0 && config.scoreWeight <= 1)) throw invalidArgument('scoreWeight', 'a number in [0, 1]', config.scoreWeight);
  if (config.featureLossReduction !== 'mean' && config.featureLossReduction !== 'sum') {
    throw invalidArgument('featureLossReduction', "'mean' (the authors' code) or 'sum' (the paper)", config.featureLossReduction);
  }
  if (config.updateNormalization !== 'all' && config.updateNormalization !== 'assigned') {
    throw invalidArgument('updateNormalization', "'all' (the authors' code) or 'assigned' (the paper)", config.updateNormalization);
  }
  if (typeof config.testUpdate !== 'boolean') throw invalidArgument('testUpdate', 'true or false', config.testUpdate);
  return config;
}
