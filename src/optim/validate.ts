/** Checks of optimizer and scheduler options; each throws `invalidArgument` naming the option. */
import { invalidArgument } from '../errors.js';

const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** lr, eps, weightDecay, momentum: PyTorch rejects negative values. */
export function checkNonNegative(value: unknown, name: string): void {
  if (!isNumber(value) || value < 0) throw invalidArgument(name, 'a number >= 0', value);
}

export function checkFinite(value: unknown, name: string): void {
  if (!isNumber(value)) throw invalidArgument(name, 'a finite number', value);
}

/** Adam's betas: each in [0, 1). */
export function checkUnitInterval(value: unknown, name: string): void {
  if (!isNumber(value) || value < 0 || value >= 1) throw invalidArgument(name, 'a number in [0, 1)', value);
}

export function checkBoolean(value: unknown, name: string): void {
  if (typeof value !== 'boolean') throw invalidArgument(name, 'true or false', value);
}

export function checkPositiveInteger(value: unknown, name: string): void {
  if (!Number.isInteger(value) || (value as number) < 1) throw invalidArgument(name, 'a positive integer', value);
}

export function checkPositive(value: unknown, name: string): void {
  if (!isNumber(value) || value <= 0) throw invalidArgument(name, 'a number > 0', value);
}

/** Adam's `betas`: a pair of numbers in [0, 1). */
export function checkBetas(value: unknown, owner: string): void {
  if (!Array.isArray(value) || value.length !== 2) {
    throw invalidArgument(`${owner} betas`, 'a pair [beta1, beta2] of numbers in [0, 1)', value, 'Pass betas such as [0.9, 0.999].');
  }
  checkUnitInterval(value[0], `${owner} betas[0]`);
  checkUnitInterval(value[1], `${owner} betas[1]`);
}
