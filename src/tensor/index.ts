export { Tensor, type Device, type Dims } from './tensor.js';
export * from './create.js';
export * as F from './functional.js';
export { tidy, keep, dispose, liveTensors } from './memory.js';
export { noGrad, enableGrad, isGradEnabled } from './grad-mode.js';
export { type DType, DTYPES, isFloatingPoint } from './dtype.js';
export { op, Op } from './op.js';
export { manualSeed, setNumThreads, getNumThreads, cudaAvailable, cudaDeviceCount, setCudaFlags, libtorchVersion } from './runtime.js';
export { autocast, type AutocastOptions } from './autocast.js';
