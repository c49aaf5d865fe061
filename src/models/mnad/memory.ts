/**
 * MNAD's memory (SPEC §2): N items p_m of size C that hold prototypical normal features. They are not
 * learned by backprop: a rule moves each item towards the queries nearest to it, in training and, for
 * frames judged normal, at test time. Queries q_k are the encoder's features at each position,
 * L2-normalised, flattened in (b, h, w) order to (Q, C).
 *
 *   read    w^{k,m} = softmax_m(q_k · p_m),  p̂_k = Σ_m w^{k,m} p_m        (w detached, as in the code)
 *   update  v^{k,m} = softmax_k(q_k · p_m),  p_m ← ‖p_m + Σ_{k∈U_m} (v^{k,m} / max v^{·,m}) q_k‖₂-normalised
 *           U_m: the queries whose nearest item is m; the max runs over all queries (code) or over U_m (paper)
 *   compactness  ‖q_k − p_nearest‖²;  separateness  [‖q_k − p_1st‖ − ‖q_k − p_2nd‖ + α]_+
 */
import { arange, rand } from '../../tensor/create.js';
import { NormalityError } from '../../errors.js';
import * as F from '../../tensor/functional.js';
import { noGrad } from '../../tensor/grad-mode.js';
import { keep, tidy } from '../../tensor/memory.js';
import { Tensor } from '../../tensor/tensor.js';
import { Module } from '../../nn/module.js';
import type { FeatureLossReduction, UpdateNormalization } from './config.js';

/** Feature map (B, C, h, w) → L2-normalised queries (B·h·w, C). */
export function queriesOf(features: Tensor): Tensor {
  return tidy(() => F.normalize(features, { dim: 1 }).permute(0, 2, 3, 1).reshape(-1, features.size(1)));
}

/** Indices (Q, k) of the k items most similar to each query, most similar first. */
function nearestItems(queries: Tensor, items: Tensor, k: number): Tensor {
  return tidy(() => queries.matmul(items.t()).topk(k, 1).indices);
}

/** p̂ (Q, C): the items mixed by each query's softmax over items; the weights carry no gradient (as in the code). */
export function readMemory(queries: Tensor, items: Tensor): Tensor {
  return tidy(() => queries.matmul(items.t()).softmax(1).detach().matmul(items));
}

/**
 * What the decoder receives: concat(q, p̂) as a map (B, 2C, h, w), from the feature map's queries
 * (B·h·w, C) laid out as `shape` = (B, C, h, w).
 */
export function readFeatureMap(queries: Tensor, items: Tensor, shape: readonly number[]): Tensor {
  return tidy(() => {
    const [batch, channels, height, width] = shape as [number, number, number, number];
    const both = Tensor.cat([queries, readMemory(queries, items)], 1);
    return both.reshape(batch, height, width, 2 * channels).permute(0, 3, 1, 2);
  });
}

/** The items after one update with `queries` (Q, C): a new (N, C) tensor without gradient. */
export function updateMemory(queries: Tensor, items: Tensor, normalization: UpdateNormalization = 'all'): Tensor {
  return noGrad(() => tidy(() => {
    const scores = queries.matmul(items.t()); // (Q, N)
    const perQuery = scores.softmax(0);
    const nearest = scores.argmax(1, true); // (Q, 1)
    const itemIndex = arange(0, items.size(0), 1, { device: queries.device }).reshape(1, -1);
    const assigned = nearest.eq(itemIndex).to(perQuery.dtype); // one-hot (Q, N)
    const weights = perQuery.mul(assigned);
    const top = normalization === 'all' ? perQuery.max(0, true) : weights.max(0, true).clampMin(1e-30); // 1e-30: items nobody chose (their weights are 0)
    const step = weights.div(top).t().matmul(queries); // (N, C)
    return F.normalize(items.add(step), { dim: 1 });
  }));
}

/** ‖q − p_nearest‖²: the code's MSE over all elements ('mean') or the paper's sum over queries ('sum'). */
export function compactnessLoss(queries: Tensor, items: Tensor, reduction: FeatureLossReduction = 'mean'): Tensor {
  return tidy(() => {
    const nearest = items.indexSelect(0, nearestItems(queries, items, 1).reshape(-1)).detach();
    return F.mseLoss(queries, nearest, reduction);
  });
}

/** Triplet margin loss with the nearest item as positive and the second-nearest as negative (targets detached). */
export function separatenessLoss(queries: Tensor, items: Tensor, o: { margin?: number; reduction?: FeatureLossReduction } = {}): Tensor {
  return tidy(() => {
    const nearestTwo = nearestItems(queries, items, 2);
    const positive = items.indexSelect(0, nearestTwo.select(1, 0)).detach();
    const negative = items.indexSelect(0, nearestTwo.select(1, 1)).detach();
    return F.tripletMarginLoss(queries, positive, negative, { margin: o.margin ?? 1, reduction: o.reduction ?? 'mean' });
  });
}

/**
 * Test-time feature distance D of each of `batch` samples, (B,): the mean over a sample's queries and
 * channels of (q − p_nearest)², the code's MSE (= mean_k ‖q_k − p_nearest‖² / C; per-video min-max removes the 1/C).
 */
export function featureDistance(queries: Tensor, items: Tensor, batch: number): Tensor {
  return tidy(() => {
    const nearest = items.indexSelect(0, nearestItems(queries, items, 1).reshape(-1));
    return queries.sub(nearest).square().reshape(batch, -1).mean(1);
  });
}

/** N random items in [0, 1)^C, L2-normalised, as the authors initialise them. */
export function initialItems(size: number, features: number): Tensor {
  return tidy(() => F.normalize(rand([size, features]), { dim: 1 }));
}

/**
 * The memory as part of the network, so its items travel in the state dict and the checkpoint
 * (`memory.items`, the authors' `keys.pt`). A buffer, not a parameter: no optimizer touches it.
 */
export class MemoryItems extends Module {
  /** (N, C) */
  items: Tensor;

  constructor(size: number, features: number) {
    super();
    this.items = keep(initialItems(size, features));
  }

  /** Replace the items in place (their Tensor object stays, so the state dict keeps pointing at it). */
  set(newItems: Tensor): void {
    noGrad(() => this.items.copy_(newItems));
  }

  forward(): never {
    throw new NormalityError('INVALID_ARGUMENT', 'MemoryItems has no forward(): read it with readFeatureMap(queries, memory.items, shape) and change it with memory.set(updateMemory(...)).');
  }
}
