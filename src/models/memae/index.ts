/**
 * MemAE (Gong et al., ICCV 2019) as a detector over sample arrays: images (N, C, H, W) and tables (N, D).
 * Registered as `memae`, `memae-nonspar` and `ae` (same networks, see config.ts).
 */
import { ArrayDetector } from '../../detector/array-detector.js';
import { frozenConfig } from '../../detector/training-settings.js';
import type { AnomalyMaps, FeatureErrors, SampleArray } from '../../detector/types.js';
import type { Module } from '../../nn/module.js';
import { Adam } from '../../optim/adam.js';
import type { Optimizer } from '../../optim/optimizer.js';
import { tensor } from '../../tensor/create.js';
import { keep, tidy } from '../../tensor/memory.js';
import type { Tensor } from '../../tensor/tensor.js';
import { modelVariant, registerModel } from '../registry.js';
import { MEMAE_CONFIG_KEYS, MEMAE_MODEL_NAMES, memaeConfig, memaeSettingsInUse, sampleShapeOf, type MemAEConfig, type MemAEVariant } from './config.js';
import { memaeLoss } from './loss.js';
import { MemAENet } from './model.js';
import { featureError, pixelError, reconstructionError } from './score.js';
import { described, invalidArgument } from '../../errors.js';
import { columnDifference, selectFeatures, type ArrayDataset } from '../../data/arrays.js';

export { memaeConfig, type MemAEConfig } from './config.js';
export { MemAENet, MemoryUnit } from './model.js';
export { readMemory, readFeatureMap, attentionEntropy } from './memory.js';

interface MinMax { min: number[]; max: number[]; features?: string[] }

/** Pixels a hair outside [0, 1] from float arithmetic (a resize, a division) are still pixels. */
const PIXEL_TOLERANCE = 1e-5;

export class MemAEDetector extends ArrayDetector<MemAEConfig> {
  readonly modelName: string;
  #scale: { offset: Tensor; factor: Tensor } | undefined;
  /** A table model built without inputFeatures takes its width from the first fit's table, as PyOD's detectors do. */
  #featuresFromData: boolean;

  constructor(options: Partial<MemAEConfig> = {}) {
    const config = memaeConfig(options);
    super(config);
    this.modelName = MEMAE_MODEL_NAMES[config.variant];
    this.#featuresFromData = config.architecture === 'mlp' && options.inputFeatures === undefined;
  }

  /** The shape of one sample; a table of any width until the first fit fixes it. */
  protected sampleShape(): readonly number[] | undefined {
    return this.#featuresFromData ? undefined : sampleShapeOf(this.config);
  }

  protected buildNetwork(): Module {
    return new MemAENet(this.config);
  }

  protected buildOptimizer(network: Module): Optimizer {
    return new Adam(network.parameters(), { lr: this.config.lr, weightDecay: this.config.weightDecay });
  }

  protected loss(network: Module, batch: Tensor): Tensor {
    return tidy(() => {
      const { reconstruction, attention } = (network as MemAENet).forward(batch);
      return memaeLoss(batch, reconstruction, attention, this.config.variant === 'memae' ? this.config.entropyWeight : 0);
    });
  }

  protected scores(network: Module, batch: Tensor): Tensor {
    return tidy(() => reconstructionError(batch, (network as MemAENet).forward(batch).reconstruction));
  }

  /**
   * Image models: where each image departs from normal, as the squared reconstruction error at each pixel
   * (mean over channels), (N, H, W) at the network's input size. The mean of an image's map is its score.
   */
  async anomalyMaps(data: SampleArray): Promise<AnomalyMaps> {
    if (this.config.architecture === 'mlp') {
      throw invalidArgument('anomalyMaps', 'an image model (architecture mnist, mnist-wide or cifar10)', this.config.architecture, 'A table has no pixels: use score().');
    }
    const [, height, width] = sampleShapeOf(this.config) as [number, number, number];
    const maps = await this.evaluateBatches(data, 'anomaly map data', (n) => new Float32Array(n * height * width),
      (network, batch) => pixelError(batch, (network as MemAENet).forward(batch).reconstruction).to('float32'));
    return { data: maps, shape: [data.shape[0]!, height, width] };
  }

  /**
   * Tables: which features make a row anomalous, as each feature's squared reconstruction error (on the
   * min-max scale the model learned), (N, D). The mean of a row's errors is its score.
   */
  async featureErrors(data: SampleArray): Promise<FeatureErrors> {
    if (this.config.architecture !== 'mlp') {
      throw invalidArgument('featureErrors', 'a table model (architecture mlp)', this.config.architecture, 'For images, anomalyMaps() says where.');
    }
    const features = this.config.inputFeatures;
    const errors = await this.evaluateBatches(data, 'feature error data', (n) => new Float32Array(n * features),
      (network, batch) => featureError(batch, (network as MemAENet).forward(batch).reconstruction).to('float32'));
    const names = this.featureNames;
    return { data: errors, shape: [data.shape[0]!, features], ...(names ? { featureNames: [...names] } : {}) };
  }

  /** Images are taken as pixels in [0, 1]: bytes 0–255 would score every image far above any threshold. */
  protected override checkValues(data: SampleArray, name: string): void {
    if (this.config.architecture === 'mlp') return; // tables are any scale: min-max scaled inside
    const { x } = data;
    const perSample = x.length / data.shape[0]!;
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      if (v < -PIXEL_TOLERANCE || v > 1 + PIXEL_TOLERANCE) {
        throw invalidArgument(name, 'pixels in [0, 1]', described(`${v} in sample ${Math.floor(i / perSample)}, value ${i % perSample} of the sample`),
          `Scale the images to [0, 1] (bytes: divide by 255), as loadImageSet and loadMnist give them.`);
      }
    }
  }

  /**
   * Tables with named columns (`featureNames`, as CSV files and `fromRows` give them) are matched to the
   * columns the model was trained on by name: put in its order when they come in another, refused when
   * some differ, rather than scored by position. Tables without names go by position.
   */
  protected override arrangeSamples(data: SampleArray, name: string): SampleArray {
    const trained = this.featureNames;
    const given = (data as { featureNames?: unknown }).featureNames;
    if (!trained || !Array.isArray(given) || given.join('\0') === trained.join('\0')) return data;
    const difference = columnDifference(given as string[], trained);
    if (difference) {
      throw invalidArgument(`${name}.featureNames`, `the columns the model was trained on (${trained.join(', ')}), in any order`, described(`columns ${difference}`),
        'Give a table with the same columns, or leave featureNames out to go by position.');
    }
    return selectFeatures(data as ArrayDataset, trained);
  }

  /** Tables: learn each feature's training range, so that scaling is part of the saved model. */
  protected override prepare(data: SampleArray): void {
    if (this.#featuresFromData) {
      if (data.shape.length !== 2) throw invalidArgument('fit data', 'a table of shape (N, features) for an mlp model', described(`shape (${data.shape.join(', ')})`));
      // Before the network is built (on first use, after prepare): it is built for this width.
      (this as { config: MemAEConfig }).config = frozenConfig({ ...this.config, inputFeatures: data.shape[1]! });
      this.#featuresFromData = false;
    }
    if (this.config.normalize !== 'minmax') return;
    const features = data.shape[1]!;
    const min = new Array<number>(features).fill(Infinity);
    const max = new Array<number>(features).fill(-Infinity);
    for (let i = 0; i < data.x.length; i++) {
      const f = i % features;
      const v = data.x[i]!;
      if (v < min[f]!) min[f] = v;
      if (v > max[f]!) max[f] = v;
    }
    // The column names, where the data has them, so that a table given later is matched by name.
    const names = (data as { featureNames?: string[] }).featureNames;
    this.normalization = { min, max, ...(names?.length === features ? { features: [...names] } : {}) } satisfies MinMax;
    this.#disposeScale();
  }

  /** The names of the table columns it was trained on, in its input order (tables with named columns only). */
  get featureNames(): string[] | undefined {
    return (this.normalization as MinMax | null)?.features;
  }

  protected override transform(batch: Tensor): Tensor {
    if (this.config.normalize !== 'minmax' || this.normalization === null) return batch;
    if (!this.#scale) {
      const { min, max } = this.normalization as unknown as MinMax;
      const device = this.config.device;
      // A feature constant in training keeps its unit scale (as scikit-learn's MinMaxScaler): it maps to 0 there,
      // and a later departure from that constant (a sensor stuck while the model learnt) still shows in the score.
      const factor = max.map((hi, i) => (hi > min[i]! ? 1 / (hi - min[i]!) : 1));
      this.#scale = { offset: keep(tensor(min, { device })), factor: keep(tensor(factor, { device })) };
    }
    return batch.sub(this.#scale.offset).mul(this.#scale.factor);
  }

  override loadWeights(path: string): void {
    super.loadWeights(path);
    this.#disposeScale();
  }

  override dispose(): void {
    this.#disposeScale();
    super.dispose();
  }

  #disposeScale(): void {
    this.#scale?.offset.dispose();
    this.#scale?.factor.dispose();
    this.#scale = undefined;
  }
}

const VARIANT_SUMMARIES: Record<MemAEVariant, string> = {
  memae: 'MemAE: memory-augmented autoencoder with hard shrinkage and entropy loss (Gong et al., ICCV 2019)',
  nonspar: 'MemAE-nonSpar: the memory without shrinkage or entropy loss (ablation baseline)',
  ae: 'AE: the same encoder and decoder without a memory (baseline)',
};

for (const [variant, summary] of Object.entries(VARIANT_SUMMARIES) as [MemAEVariant, string][]) {
  registerModel({
    name: MEMAE_MODEL_NAMES[variant], summary, input: 'samples', configKeys: MEMAE_CONFIG_KEYS,
    create: (config = {}) => new MemAEDetector({ ...config, variant: modelVariant(MEMAE_MODEL_NAMES[variant], variant, config.variant, (v) => MEMAE_MODEL_NAMES[v as MemAEVariant]) }),
    settingsInUse: memaeSettingsInUse,
  });
}
