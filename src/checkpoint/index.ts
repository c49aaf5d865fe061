export * from './safetensors.js';
export { writeFileAtomic } from './atomic.js';
export { toRaw, fromRaw, saveTensors, loadTensors, type TensorMap } from './tensors.js';
export { loadTorch } from './torch-load.js';
