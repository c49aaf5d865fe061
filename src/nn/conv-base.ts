/**
 * What every convolution shares (PyTorch's `_ConvNd`): argument checks, the weight and bias, and
 * the default initialisation. Weights are (out, in/groups, k...) for a convolution and
 * (in, out/groups, k...) for a transposed one.
 */
import { empty } from '../tensor/create.js';
import { resetLinearOrConv_ } from './init.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';
import { boolean, checkOptions, intTuple, positiveInt } from './validate.js';
import { invalidArgument } from '../errors.js';

export interface ConvOptions {
  /** default 1 */
  stride?: number | readonly number[];
  /** Zeros added on both sides of each spatial dim; default 0. */
  padding?: number | readonly number[];
  /** default 1 */
  dilation?: number | readonly number[];
  /** Split channels into independent groups; must divide inChannels and outChannels. Default 1. */
  groups?: number;
  /** default true */
  bias?: boolean;
}

export interface ConvTransposeOptions extends ConvOptions {
  /** Extra size added to one side of each output dim (to pick among the sizes a stride allows); default 0. */
  outputPadding?: number | readonly number[];
}

const CONV_OPTIONS = ['stride', 'padding', 'dilation', 'groups', 'bias'];

export abstract class ConvNd extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: readonly number[];
  readonly stride: readonly number[];
  readonly padding: readonly number[];
  readonly dilation: readonly number[];
  readonly groups: number;
  /** Only for transposed convolutions (all zeros otherwise). */
  readonly outputPadding: readonly number[];
  weight: Parameter;
  bias: Parameter | null;

  protected constructor(
    layer: string, dims: number, transposed: boolean,
    inChannels: number, outChannels: number, kernelSize: number | readonly number[], options: ConvTransposeOptions,
  ) {
    super();
    checkOptions(layer, options, transposed ? [...CONV_OPTIONS, 'outputPadding'] : CONV_OPTIONS);
    this.inChannels = positiveInt(layer, 'inChannels', inChannels);
    this.outChannels = positiveInt(layer, 'outChannels', outChannels);
    this.kernelSize = intTuple(layer, 'kernelSize', kernelSize, dims, 1);
    this.stride = intTuple(layer, 'stride', options.stride ?? 1, dims, 1);
    this.padding = intTuple(layer, 'padding', options.padding ?? 0, dims, 0);
    this.dilation = intTuple(layer, 'dilation', options.dilation ?? 1, dims, 1);
    this.groups = positiveInt(layer, 'groups', options.groups ?? 1);
    if (inChannels % this.groups !== 0 || outChannels % this.groups !== 0) {
      throw invalidArgument(`${layer} groups`, `a divisor of inChannels (${inChannels}) and outChannels (${outChannels})`, this.groups);
    }
    this.outputPadding = intTuple(layer, 'outputPadding', options.outputPadding ?? 0, dims, 0);
    if (this.outputPadding.some((p, i) => p >= this.stride[i]! && p >= this.dilation[i]!)) {
      throw invalidArgument(
        `${layer} outputPadding`, `values smaller than stride [${this.stride.join(', ')}] or dilation [${this.dilation.join(', ')}] in each dim`,
        options.outputPadding,
      );
    }
    const bias = boolean(layer, 'bias', options.bias ?? true);
    const weightShape = transposed
      ? [inChannels, outChannels / this.groups, ...this.kernelSize]
      : [outChannels, inChannels / this.groups, ...this.kernelSize];
    this.weight = Parameter.from(empty(weightShape));
    this.bias = bias ? Parameter.from(empty([outChannels])) : null;
    this.resetParameters();
  }

  /**
   * PyTorch's default: weight ~ kaiming_uniform(a = √5), bias ~ U(±1/√fan_in), with fan_in taken
   * from weight dim 1 (so from out/groups for a transposed convolution, as PyTorch does).
   */
  resetParameters(): void {
    resetLinearOrConv_(this.weight, this.bias);
  }
}
