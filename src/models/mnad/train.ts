/**
 * MNAD's training (SPEC §2, the authors' Train.py): every window of every training video, shuffled each
 * epoch with the seeded generator, batches of 4 with the last partial batch dropped; Adam over the
 * encoder and decoder at lr 2e-4 with cosine annealing to 0 over the epochs (stepped once per epoch).
 * Each step reads the memory, computes L = L_rec + λ_c L_compact + λ_s L_separate against the memory as it
 * was, and then moves the items towards this batch's queries. Optional resumable checkpoints hold the
 * weights, the memory, the optimizer and the schedule.
 */
import { existsSync } from 'node:fs';
import { Rng } from '../../data/random.js';
import { predictionWindows, singleFrames } from '../../data/video/clips.js';
import { shuffledIndices } from '../../detector/batches.js';
import { inPrecision } from '../../detector/precision.js';
import { EpochStops } from '../../detector/time-budget.js';
import { EventLoopTurns } from '../../detector/event-loop-turns.js';
import type { RunIdentity } from '../../detector/run-identity.js';
import { resumeTrainingCheckpoint, writeTrainingCheckpoint } from '../../detector/training-checkpoint.js';
import type { FitOptions, FitReport } from '../../detector/types.js';
import type { VideoSet } from '../../detector/video.js';
import { Adam } from '../../optim/adam.js';
import { CosineAnnealingLR } from '../../optim/cosine-annealing-lr.js';
import { tidy } from '../../tensor/memory.js';
import type { MnadConfig } from './config.js';
import { mnadLoss } from './loss.js';
import { updateMemory } from './memory.js';
import type { MnadNet } from './model.js';
import { gatherWindows, windowLength } from './windows.js';
import { badValueInClips } from '../../detector/video-frames.js';
import { divergedError, throwIfAborted } from '../../detector/training-run.js';
import { epochsAndBatchSize } from '../../detector/training-settings.js';

/** Train `network` in place on `data` (already checked). `metadata` and the run `identify` gives are written into training checkpoints. */
export async function trainMnad(
  network: MnadNet, data: VideoSet, config: MnadConfig, options: FitOptions, metadata: Record<string, string>, identify: () => RunIdentity,
): Promise<FitReport> {
  throwIfAborted(options.signal);
  const { epochs, batchSize } = epochsAndBatchSize(options, config);
  const started = performance.now();
  const stops = new EpochStops(options);
  const counts = data.videos.map((v) => v.length);
  const windows = config.variant === 'pred' ? predictionWindows(counts) : singleFrames(counts);
  const n = windows.count;
  // drop_last as in the authors' loader, but never an empty epoch.
  const perEpoch = config.windowsPerEpoch > 0 ? Math.min(n, config.windowsPerEpoch) : n;
  const stepsPerEpoch = Math.max(1, Math.floor(perEpoch / batchSize));
  const optimizer = new Adam(network.parameters(), { lr: config.lr });
  const scheduler = new CosineAnnealingLR(optimizer, { tMax: Math.max(1, epochs) });
  const rng = new Rng(config.seed);
  const losses: number[] = [];
  const trainer = { network, optimizer, scheduler };
  let firstEpoch = 0;
  let epochsDone = 0;
  const turns = new EventLoopTurns(8);
  // Hashing every frame takes a moment: only a checkpoint needs to know the run.
  const run = options.checkpointPath ? identify() : undefined;
  try {
    if (options.checkpointPath && existsSync(options.checkpointPath)) {
      const resumed = resumeTrainingCheckpoint(options.checkpointPath, trainer, run!, config.device, epochs);
      firstEpoch = resumed.epochsDone;
      losses.push(...resumed.losses);
      for (let e = 0; e < firstEpoch; e++) shuffledIndices(n, rng); // the same shuffles as an uninterrupted run
    }
    epochsDone = firstEpoch;
    for (let epoch = firstEpoch; epoch < epochs; epoch++) {
      const epochStart = performance.now();
      network.train();
      const order = shuffledIndices(n, rng);
      let total = 0;
      let seen = 0;
      for (let step = 0; step < stepsPerEpoch; step++) {
        throwIfAborted(options.signal, { epoch, step });
        const start = step * batchSize;
        const end = Math.min(n, start + batchSize);
        const picks = Array.from(order.subarray(start, end), (i) => [windows.video[i]!, windows.start[i]!] as const);
        const loss = tidy(() => {
          const { input, target } = gatherWindows(data, picks, { ...config });
          optimizer.zeroGrad();
          const items = network.memory.items;
          const { value, queries } = inPrecision(config, () => {
            const forward = network.forward(input);
            return { value: mnadLoss(forward.output, target, forward.queries, items, config).total, queries: forward.queries };
          });
          value.backward();
          optimizer.step();
          // After backward: the graph saved the items for the gradient of q·p, so they change only now.
          // The items stay float32 whatever precision the queries were computed in.
          network.memory.set(updateMemory(queries.detach().to('float32'), items, config.updateNormalization));
          return value.item();
        });
        if (!Number.isFinite(loss)) throw divergedError(loss, { epoch, step }, config.lr, badValueInClips(picks.map(([v, start]) => [data.videos[v]!, start] as const), windowLength(config.variant)));
        total += loss * (end - start);
        seen += end - start;
        options.onStep?.({ epoch, epochs, step, stepsPerEpoch, loss, samples: end - start });
        if (turns.due()) await turns.take(); // let progress output, timers and signals through
      }
      scheduler.step();
      const epochSeconds = (performance.now() - epochStart) / 1000;
      losses.push(total / seen);
      await options.onEpoch?.({ epoch, epochs, loss: total / seen, seconds: epochSeconds });
      if (options.checkpointPath) writeTrainingCheckpoint(options.checkpointPath, trainer, { epochsDone: epoch + 1, losses }, metadata, run!);
      epochsDone = epoch + 1;
      if (stops.after(epochsDone, epochs, epochStart)) break;
    }
  } finally {
    optimizer.dispose();
  }
  return { epochs, epochsDone, ...stops.outcome(epochsDone, epochs), losses, seconds: (performance.now() - started) / 1000, resumedFromEpoch: firstEpoch };
}
