/**
 * Evaluation metrics as pure functions on plain or typed arrays (no tensors, no
 * native code). Scores: higher = more anomalous. Labels: 1 = anomaly, 0 = normal.
 * Each ranking metric matches scikit-learn; see scripts/metrics-reference.py.
 */
export { rocAuc, rocCurve, type RocCurve } from './roc.js';
export { averagePrecision, prAuc, precisionRecallCurve, type PrecisionRecallCurve } from './precision-recall.js';
export { bestF1, precisionRecallF1, precisionRecallF1AtThreshold, type BestF1, type PrecisionRecallF1 } from './f1.js';
export { percentile, thresholdFromContamination } from './percentile.js';
export { meanPerVideoAuc, microAuc, minMaxNormalize, perVideoMinMax, type PerVideoAuc } from './video.js';
export { mapsFromBatch, type ImageMap } from './image-maps.js';
export { pixelRocAuc } from './pixel-roc.js';
export { proAuc, proCurve, type ProAucOptions, type ProCurve } from './pro.js';
export { connectedComponents, type Regions } from './connected-components.js';
export { trapezoidArea } from './trapezoid.js';
