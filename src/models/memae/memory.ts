/**
 * MemAE's memory (SPEC §1): every feature-map position is a query q of size C; it is rebuilt as a
 * sparse convex combination of N learned memory items, so the decoder only ever sees "normal" codes.
 *
 *   w = softmax(d(q, M))                       d: dot product (authors' code) or cosine (paper)
 *   ŵ = relu(w − λ) · w / (|w − λ| + ε)        hard shrinkage, differentiable form, ε = 1e-12
 *   ŵ ← ŵ / ‖ŵ‖₁                              L1 re-normalisation
 *   ẑ = ŵ M
 */
import { Tensor } from '../../tensor/tensor.js';
import * as F from '../../tensor/functional.js';
import { tidy } from '../../tensor/memory.js';

export type Addressing = 'dot' | 'cosine';

export interface MemoryReadOptions {
  /** λ; 0 turns shrinkage off (MemAE-nonSpar). */
  shrinkThreshold: number;
  addressing: Addressing;
}

const SHRINK_EPS = 1e-12;

/** Address the memory `items` (N, C) with `queries` (Q, C): attention ŵ (Q, N) and output ẑ (Q, C). */
export function readMemory(queries: Tensor, items: Tensor, options: MemoryReadOptions): { output: Tensor; attention: Tensor } {
  return tidy(() => {
    const similarity = options.addressing === 'cosine'
      ? F.linear(F.normalize(queries, { dim: 1 }), F.normalize(items, { dim: 1 }))
      : F.linear(queries, items);
    let attention = similarity.softmax(1);
    if (options.shrinkThreshold > 0) {
      const shifted = attention.sub(options.shrinkThreshold);
      attention = shifted.relu().mul(attention).div(shifted.abs().add(SHRINK_EPS));
      attention = F.normalize(attention, { p: 1, dim: 1 });
    }
    return { output: attention.matmul(items), attention };
  });
}

/** Mean over queries of the entropy Σᵢ −ŵᵢ log(ŵᵢ + 1e-12) of the attention (Q, N). */
export function attentionEntropy(attention: Tensor): Tensor {
  return tidy(() => attention.mul(attention.add(1e-12).log()).sum(1).mean().neg());
}

/**
 * Read a feature map (B, C, ...spatial) position by position: returns ẑ with the same shape and the
 * attention (B·Π spatial, N).
 */
export function readFeatureMap(z: Tensor, items: Tensor, options: MemoryReadOptions): { output: Tensor; attention: Tensor } {
  return tidy(() => {
    const [batch, channels, ...spatial] = z.shape as number[];
    const dims = z.ndim;
    // (B, C, S...) -> (B, S..., C) -> (B·S, C)
    const channelsLast = z.permute(0, ...Array.from({ length: dims - 2 }, (_, i) => i + 2), 1);
    const queries = channelsLast.reshape(-1, channels!);
    const { output, attention } = readMemory(queries, items, options);
    const restored = output.reshape(batch!, ...spatial, channels!).permute(0, dims - 1, ...Array.from({ length: dims - 2 }, (_, i) => i + 1));
    return { output: restored, attention };
  });
}
