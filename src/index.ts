/**
 * Normality: unsupervised deep anomaly detection on libtorch. The curated public API; the subpaths
 * (`normality/tensor`, `/nn`, `/optim`, `/checkpoint`, `/metrics`, `/data`, `/data/video`, `/models`,
 * `/models/memae`, `/models/mnad`)
 * hold everything else.
 */
export { Tensor, tensor, zeros, ones, randn, rand, tidy, keep, dispose, liveTensors, noGrad, enableGrad, F, manualSeed, setNumThreads, cudaAvailable } from './tensor/index.js';
export { Module, Parameter } from './nn/index.js';
export { Adam, AdamW, SGD } from './optim/index.js';
export { saveTensors, loadTensors, loadTorch } from './checkpoint/index.js';
export { createDetector, loadDetector, modelNames, getModel, registerModel, videoEvaluationOptions, type ModelEntry } from './models/index.js';
export { importAuthorsWeights, type AuthorsFiles } from './models/index.js';
export { MemAEDetector, memaeConfig, type MemAEConfig } from './models/memae/index.js';
export { MemAE3DDetector, memae3dConfig, type MemAE3DConfig } from './models/memae/video-detector.js';
export { MnadDetector, mnadConfig, combineScores, RunningScore, type MnadConfig, type StreamFrameScore, type StreamCalibration, type StreamSpreads } from './models/mnad/index.js';
export type { Detector, SampleArray, FitOptions, FitReport, AnomalyMaps, LocalizingDetector, FeatureErrors, ExplainingDetector } from './detector/types.js';
export type { VideoSet, FrameVideo, VideoScores } from './detector/video.js';
export { evaluateVideos, evaluateVideoSet, scoresPerVideo, type VideoEvaluation, type VideoEvaluationOptions } from './detector/video-eval.js';
export { rocAuc, averagePrecision, bestF1, thresholdFromContamination, mapsFromBatch, pixelRocAuc, proAuc } from './metrics/index.js';
export { loadMnist, loadCifar10, loadKdd, kddSplit, loadTabular, fromRows, loadImageSet, oneClassSplit, splitNormal } from './data/index.js';
export { loadVideoDataset, toVideoSet } from './data/video/index.js';
export { renderReport, type ReportContent, type ReportImages, type ReportVideo } from './report/html-report.js';
export { NormalityError, type ErrorCode } from './errors.js';
