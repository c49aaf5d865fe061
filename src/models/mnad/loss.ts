/**
 * MNAD's training loss (SPEC §2): L = L_rec + λ_c L_compact + λ_s L_separate, with L_rec the mean squared
 * error between the output and the target frame. The feature losses compare the queries with the memory
 * as it was before this step's update (the code computes them first).
 */
import * as F from '../../tensor/functional.js';
import { tidy } from '../../tensor/memory.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { FeatureLossReduction } from './config.js';
import { compactnessLoss, separatenessLoss } from './memory.js';

export interface MnadLossOptions {
  compactnessWeight: number;
  separatenessWeight: number;
  separatenessMargin: number;
  featureLossReduction: FeatureLossReduction;
}

export interface MnadLoss {
  total: Tensor;
  reconstruction: Tensor;
  compactness: Tensor;
  separateness: Tensor;
}

/** output, target (B, C, H, W); queries (Q, C); items (N, C). */
export function mnadLoss(output: Tensor, target: Tensor, queries: Tensor, items: Tensor, o: MnadLossOptions): MnadLoss {
  return tidy(() => {
    const reconstruction = F.mseLoss(output, target);
    const compactness = compactnessLoss(queries, items, o.featureLossReduction);
    const separateness = separatenessLoss(queries, items, { margin: o.separatenessMargin, reduction: o.featureLossReduction });
    const total = reconstruction.add(compactness.mul(o.compactnessWeight)).add(separateness.mul(o.separatenessWeight));
    return { total, reconstruction, compactness, separateness };
  });
}
