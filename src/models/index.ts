/** Every model, registered by importing it, and `createDetector` typed for each built-in name. */
import './memae/index.js';
import './memae/video-detector.js';
import './mnad/index.js';
import { createDetector as createRegistered } from './registry.js';
import type { Detector } from '../detector/types.js';
import type { MemAEConfig, MemAEDetector } from './memae/index.js';
import type { MemAE3DConfig, MemAE3DDetector } from './memae/video-detector.js';
import type { MnadConfig } from './mnad/config.js';
import type { MnadDetector } from './mnad/index.js';

export { registerModel, getModel, modelNames, loadDetector, videoEvaluationOptions, type ModelEntry } from './registry.js';
export { importAuthorsWeights, detectorFromAuthorsState, AUTHORS_MODELS, type AuthorsModel, type AuthorsFiles } from './authors-weights.js';

/** The built-in models by name: the configuration each takes and the detector it makes. */
export interface BuiltInModels {
  memae: { config: MemAEConfig; detector: MemAEDetector };
  'memae-nonspar': { config: MemAEConfig; detector: MemAEDetector };
  ae: { config: MemAEConfig; detector: MemAEDetector };
  'memae-video': { config: MemAE3DConfig; detector: MemAE3DDetector };
  'ae-video': { config: MemAE3DConfig; detector: MemAE3DDetector };
  'mnad-pred': { config: MnadConfig; detector: MnadDetector };
  'mnad-recon': { config: MnadConfig; detector: MnadDetector };
}
export type BuiltInModelName = keyof BuiltInModels;

/** What `createDetector` takes for a built-in model: any of its settings (the name fixes the variant). */
export type ModelOptions<N extends BuiltInModelName> = Partial<Omit<BuiltInModels[N]['config'], 'variant'>>;

/**
 * A detector of the named model with `config` over its defaults. For a built-in name the settings are
 * type-checked (`memorySise` does not compile) and the detector is typed (`fit` takes what the model
 * reads); a model registered at run time takes any settings and checks them itself.
 */
export function createDetector<N extends BuiltInModelName>(name: N, config?: ModelOptions<N>): BuiltInModels[N]['detector'];
export function createDetector<S extends string>(name: S extends BuiltInModelName ? never : S, config?: Record<string, unknown>): Detector<unknown>;
export function createDetector(name: string, config: Record<string, unknown> = {}): Detector<unknown> {
  return createRegistered(name, config);
}
