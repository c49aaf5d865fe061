/** MemAE's training loss (SPEC §1): mean squared reconstruction error + α · mean attention entropy. */
import * as F from '../../tensor/functional.js';
import type { Tensor } from '../../tensor/tensor.js';
import { attentionEntropy } from './memory.js';

export function memaeLoss(input: Tensor, reconstruction: Tensor, attention: Tensor | null, entropyWeight: number): Tensor {
  const reconstructionLoss = F.mseLoss(reconstruction, input);
  if (attention === null || entropyWeight === 0) return reconstructionLoss;
  const entropy = attentionEntropy(attention);
  const total = reconstructionLoss.add(entropy.mul(entropyWeight));
  entropy.dispose();
  reconstructionLoss.dispose();
  return total;
}
