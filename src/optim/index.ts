/** Optimizers and learning-rate schedulers with PyTorch's semantics and state dicts. */
export { Optimizer, type BaseOptions, type ParamGroup, type Params, type ParamState } from './optimizer.js';
export type { OptimizerStateDict } from './state-dict.js';
export { SGD, type SGDOptions } from './sgd.js';
export { Adam, type AdamOptions } from './adam.js';
export { AdamW } from './adamw.js';
export { LRScheduler, type SchedulerOptions, type SchedulerState } from './lr-scheduler.js';
export { StepLR, type StepLROptions } from './step-lr.js';
export { MultiStepLR, type MultiStepLROptions } from './multi-step-lr.js';
export { CosineAnnealingLR, type CosineAnnealingLROptions } from './cosine-annealing-lr.js';
