/**
 * The base of the learning-rate schedulers (PyTorch's `torch.optim.lr_scheduler._LRScheduler`). A
 * scheduler sets every group's `lr` once at construction and again at each `step()`, which belongs after
 * `optimizer.step()`, usually once per epoch. Subclasses compute the next rates from the current ones
 * (PyTorch's chainable form), so `getLastLr()` matches PyTorch's `get_last_lr()` step for step.
 */
import { NormalityError, invalidArgument } from '../errors.js';
import { renameKeys, toCamel, toSnake } from './names.js';
import { Optimizer } from './optimizer.js';

export interface SchedulerOptions {
  /** The index of the last epoch when resuming a run; −1 (the default) starts afresh. */
  lastEpoch?: number;
}

/** A scheduler's state as plain JSON values (PyTorch's names): store `JSON.stringify(scheduler.stateDict())`. */
export type SchedulerState = Record<string, unknown>;

const isNumberArray = (value: unknown, length: number): value is number[] =>
  Array.isArray(value) && value.length === length && value.every((v) => typeof v === 'number' && Number.isFinite(v));

export abstract class LRScheduler {
  /** The class name, as saved in the state dict and used in error messages ('StepLR'). */
  readonly name: string;
  readonly optimizer: Optimizer;
  /** Each group's `initialLr`: the rates the schedule starts from. */
  baseLrs: number[];
  /** Steps taken so far minus one: 0 after construction (PyTorch's `last_epoch`). */
  lastEpoch: number;
  /** Calls of `step()`, the one in the constructor included (PyTorch's `_step_count`). */
  protected stepCount = 0;
  #lastLr: number[] = [];

  protected constructor(name: string, optimizer: Optimizer, options: SchedulerOptions) {
    this.name = name;
    if (!(optimizer instanceof Optimizer)) throw invalidArgument(`${name} optimizer`, 'an Optimizer (SGD, Adam, AdamW)', optimizer);
    const lastEpoch = options.lastEpoch ?? -1;
    if (!Number.isInteger(lastEpoch) || lastEpoch < -1) throw invalidArgument(`${name} lastEpoch`, 'an integer >= -1', lastEpoch);
    this.optimizer = optimizer;
    for (const [i, group] of optimizer.paramGroups.entries()) {
      if (lastEpoch === -1) group.initialLr ??= group.lr;
      else if (group.initialLr === undefined) {
        throw new NormalityError(
          'INVALID_ARGUMENT',
          `${name} lastEpoch is ${lastEpoch} but the optimizer's paramGroups[${i}] has no initialLr. Load the optimizer's state dict saved with the run first, or leave lastEpoch at -1.`,
        );
      }
    }
    this.baseLrs = optimizer.paramGroups.map((g) => g.initialLr!);
    this.lastEpoch = lastEpoch;
  }

  /** The next rate of every group, for `lastEpoch` (already advanced). */
  protected abstract computeLr(): number[];

  /** The schedule's own settings (camelCase), for the state dict. */
  protected abstract settings(): Record<string, unknown>;

  /** Check and take settings (camelCase) from the constructor or a loaded state. */
  protected abstract applySettings(settings: Record<string, unknown>): void;

  /** Subclasses call this at the end of their constructor: the first step sets the starting rates. */
  protected initialStep(): void {
    this.stepCount = 0;
    this.step();
  }

  /** Advance one epoch and set every group's `lr`. */
  step(): void {
    this.stepCount += 1;
    this.lastEpoch += 1;
    const values = this.computeLr();
    const groups = this.optimizer.paramGroups;
    for (const [i, group] of groups.entries()) group.lr = values[i]!;
    this.#lastLr = groups.map((g) => g.lr);
  }

  /** The rates the last `step()` set, one per group (PyTorch's `get_last_lr()`). */
  getLastLr(): number[] {
    return [...this.#lastLr];
  }

  stateDict(): SchedulerState {
    return { type: this.name, ...renameKeys(this.settings(), toSnake), base_lrs: [...this.baseLrs], last_epoch: this.lastEpoch, _step_count: this.stepCount, _last_lr: this.getLastLr() };
  }

  /** Restore what `stateDict` returned (the optimizer's rates come from the optimizer's own state dict). */
  loadStateDict(state: SchedulerState): void {
    const fail = (text: string) =>
      new NormalityError('STATE_DICT', `Error loading the state dict into ${this.name}: ${text}. Pass what ${this.name}.stateDict() returned for a run over the same parameter groups.`);
    if (typeof state !== 'object' || state === null) throw fail('the state is not an object');
    const { type, base_lrs: baseLrs, last_epoch: lastEpoch, _step_count: stepCount, _last_lr: lastLr, ...settings } = state;
    if (type !== this.name) throw fail(`the state was saved by ${String(type)}`);
    const groups = this.optimizer.paramGroups.length;
    if (!isNumberArray(baseLrs, groups) || !isNumberArray(lastLr, groups)) throw fail(`base_lrs and _last_lr must hold ${groups} numbers, one per parameter group`);
    if (!Number.isInteger(lastEpoch) || !Number.isInteger(stepCount)) throw fail('last_epoch and _step_count must be integers');
    this.applySettings(renameKeys(settings, toCamel));
    this.baseLrs = [...baseLrs];
    this.lastEpoch = lastEpoch as number;
    this.stepCount = stepCount as number;
    this.#lastLr = [...lastLr];
  }
}
