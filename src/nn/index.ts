/** Layers and the Module base (PyTorch's `torch.nn`): `import { Conv2d, Sequential, init } from 'normality/nn'`. */
export { Module, type ModuleTarget } from './module.js';
export { Parameter } from './parameter.js';
export { type StateDict, type LoadResult } from './state-dict.js';
export * as init from './init.js';
export { Linear, type LinearOptions } from './linear.js';
export { ConvNd, type ConvOptions, type ConvTransposeOptions } from './conv-base.js';
export { Conv2d, Conv3d } from './conv.js';
export { ConvTranspose2d, ConvTranspose3d } from './conv-transpose.js';
export { BatchNormNd, BatchNorm1d, BatchNorm2d, BatchNorm3d, type BatchNormOptions } from './batchnorm.js';
export { ReLU, LeakyReLU, Tanh, Sigmoid } from './activation.js';
export { MaxPool2d, type MaxPool2dOptions } from './pooling.js';
export { Upsample, type UpsampleOptions } from './upsample.js';
export { Dropout } from './dropout.js';
export { Identity } from './identity.js';
export { Sequential, ModuleList } from './container.js';
