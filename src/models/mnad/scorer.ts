/**
 * Test time (SPEC §2): frames are scored one after another against a private copy of the trained memory;
 * after a frame whose weighted regular score is below γ, that copy is updated with the frame's queries,
 * so the memory follows the scene. The memory used for a frame's scores is the one before its own update,
 * and the copy carries over from one video to the next, as in the authors' evaluation.
 */
import { inPrecision } from '../../detector/precision.js';
import type { CommonConfig } from '../../detector/types.js';
import { NormalityError } from '../../errors.js';
import { noGrad } from '../../tensor/grad-mode.js';
import { keep, tidy } from '../../tensor/memory.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { UpdateNormalization } from './config.js';
import { featureDistance, updateMemory } from './memory.js';
import type { MnadNet } from './model.js';
import { frameMse, psnr, regularScore } from './score.js';

/** The raw scores of one frame; the per-video anomaly score combines PSNR and distance (see `combineScores`). */
export interface FrameScore {
  /** 10 log10(1 / mse) on [0, 1] images: lower = more anomalous. */
  psnr: number;
  /** D: the mean squared distance of the frame's queries to their nearest items: higher = more anomalous. */
  distance: number;
  /** Σ W e / Σ W, compared with γ to decide the memory update. */
  regularScore: number;
  /** Whether this frame updated the test-time memory. */
  updated: boolean;
}

export interface TestTimeOptions extends Pick<CommonConfig, 'device' | 'precision'> {
  testUpdate: boolean;
  updateThreshold: number;
  updateNormalization: UpdateNormalization;
}

export class TestTimeScorer implements Disposable {
  readonly #network: MnadNet;
  readonly #options: TestTimeOptions;
  readonly #items: Tensor;

  constructor(network: MnadNet, options: TestTimeOptions) {
    this.#network = network;
    this.#options = options;
    this.#items = keep(noGrad(() => network.memory.items.clone()));
  }

  /** The test-time memory (N, C) as it is now (a live tensor: clone it to keep it). */
  get items(): Tensor {
    return this.#items;
  }

  /**
   * Score windows: `input` (B, in, H, W), `target` (B, C, H, W). With test-time updates each frame may
   * change the memory for the next, so B must be 1.
   */
  score(input: Tensor, target: Tensor): FrameScore[] {
    const batch = input.size(0);
    if (this.#options.testUpdate && batch !== 1) {
      throw new NormalityError('INVALID_ARGUMENT', `With testUpdate MNAD scores one frame at a time but received a batch of ${batch}. Score frame by frame, or set testUpdate: false.`);
    }
    return noGrad(() => tidy(() => {
      // Mixed precision covers the network; the scores and the memory update are computed in float32.
      const forward = inPrecision(this.#options, () => this.#network.forward(input, this.#items));
      const output = forward.output.to('float32');
      const queries = forward.queries.to('float32');
      const mse = frameMse(output, target).to('float64').data('float64');
      const distance = featureDistance(queries, this.#items, batch).to('float64').data('float64');
      const regular = regularScore(output, target).to('float64').data('float64');
      const scores = Array.from(mse, (m, b): FrameScore => ({ psnr: psnr(m), distance: distance[b]!, regularScore: regular[b]!, updated: false }));
      if (this.#options.testUpdate && scores[0]!.regularScore < this.#options.updateThreshold) {
        this.#items.copy_(updateMemory(queries, this.#items, this.#options.updateNormalization));
        scores[0]!.updated = true;
      }
      return scores;
    }));
  }

  dispose(): void {
    this.#items.dispose();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }
}
