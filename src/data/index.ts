/**
 * Dataset readers and protocols as plain typed arrays (no tensors).
 * Subpath export: `normality/data`.
 */
export {
  numel, sampleSize, toFloat32, toInt32Labels, takeSamples, selectFeatures, columnDifference, checkDataset,
  type ArrayDataset, type NumericArray, type DType, type TypedArray,
} from './arrays.js';
export { Rng } from './random.js';

// File formats
export { parseIdx, readIdx, loadMnist, defaultMnistRoot, type MnistOptions } from './idx.js';
export { parseNpy, readNpy, encodeNpy, writeNpy, isNpy } from './npy.js';
export { parseNpz, readNpz, npzKeys } from './npz.js';
export { parseMat, readMat, type MatValue, type MatCell } from './mat.js';
export { parseCsv, readCsv, type CsvOptions } from './csv.js';

// Images
export { decodeImage, readImage, imageFormat, type Image, type ImageFormat } from './images.js';
export { toGrayscale, toRgb, toChwFloat32, toChwBytes, type GrayscaleOptions } from './pixels.js';
export { resizeBilinear, resizeBilinearFloat, type FloatImage } from './resize.js';
export { readImageFolder, listImageFolder, naturalCompare, type ImageFolderOptions, type ImageBlock } from './folders.js';
export { loadImageSet, fitImage, type ImageSet, type ImageSetOptions, type ImageSetPart } from './image-set.js';
export { cacheRoot, extractArchive } from './cache.js';

// Datasets and protocols
export { loadTabular, fromArrays, type TabularOptions } from './tabular.js';
export { fromRows, type FromRowsOptions, type TableRow } from './rows.js';
export { splitNormal, type NormalSplitOptions, type Split } from './split.js';
export { loadKdd, loadKddRaw, loadKddNpz, kddSplit, KDD_COLUMNS, type KddOptions } from './kdd.js';
export { loadCifar10, parseCifar10Batch, CIFAR10_CLASSES, type Cifar10Options } from './cifar10.js';
export { oneClassSplit, ONE_CLASS_PROTOCOLS, type OneClassOptions, type OneClassProtocol, type OneClassSplit } from './oneclass.js';
