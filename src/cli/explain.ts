/** Table detectors' per-feature errors on the command line: `score --explain N` and the reports' rows. */
import type { Detector, ExplainingDetector, FeatureErrors } from '../detector/types.js';
import { described, invalidArgument } from '../errors.js';
import { topFeatures } from '../report/top-features.js';
import { csvField } from '../data/csv.js';

/** Whether the detector says which features make a row anomalous: a table's detector. */
export function canExplain(detector: Detector<unknown>): detector is ExplainingDetector {
  return typeof (detector as Partial<ExplainingDetector>).featureErrors === 'function' && (detector.config as { architecture?: string }).architecture === 'mlp';
}

/** `--explain N`, checked before any work: how many features to name per row (0 = none), at most the model's number of features. */
export function explainOption(detector: Detector<unknown>, count: number): number {
  if (!Number.isInteger(count) || count < 0) throw invalidArgument('--explain', 'a number of features per row, or 0 for none', count);
  if (count > 0 && !canExplain(detector)) {
    const architecture = (detector.config as { architecture?: string }).architecture;
    throw invalidArgument('--explain', 'a detector of table rows (memae, memae-nonspar or ae with architecture mlp)', described(`${detector.modelName}${architecture ? ` (architecture ${architecture})` : ''}`),
      'For images, --maps shows where each image departs from normal.');
  }
  // A row has only the model's features to name: a header of more feature/share pairs than the rows hold makes a ragged CSV.
  const features = (detector.config as { inputFeatures?: number }).inputFeatures;
  if (features !== undefined && count > features) {
    console.error(`note: --explain ${count} is more than the model's ${features === 1 ? '1 feature: each row names it' : `${features} features: each row names all ${features}`}`);
    return features;
  }
  return count;
}

/** The CSV header and each row's cells for `count` features: feature_1,share_1,… (largest error first). */
export function explainColumns(errors: FeatureErrors, count: number, names: readonly string[] | undefined): { header: string; cells: (row: number) => string } {
  const header = Array.from({ length: count }, (_, k) => `feature_${k + 1},share_${k + 1}`).join(',');
  const name = (f: number) => names?.[f] ?? String(f);
  return { header, cells: (row) => topFeatures(errors, row, count).map(({ feature, share }) => `${csvField(name(feature))},${share.toFixed(4)}`).join(',') };
}
