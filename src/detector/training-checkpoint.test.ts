// A training checkpoint restores network, optimizer and scheduler so exactly that the resumed run's next
// step is the uninterrupted run's next step; another run's checkpoint, or a file that is not one, is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { saveTensors } from '../checkpoint/tensors.js';
import { Linear } from '../nn/linear.js';
import { Adam } from '../optim/adam.js';
import { SGD } from '../optim/sgd.js';
import { CosineAnnealingLR } from '../optim/cosine-annealing-lr.js';
import { tensor } from '../tensor/create.js';
import { liveTensors, tidy } from '../tensor/memory.js';
import { manualSeed } from '../tensor/runtime.js';
import type { RunIdentity } from './run-identity.js';
import { resumeTrainingCheckpoint, writeTrainingCheckpoint } from './training-checkpoint.js';

const run: RunIdentity = { model: 'probe', config: { lr: 0.1 }, data: { items: 4, digest: 'abc' } };

function makeTrainer(seed: number) {
  manualSeed(seed);
  const network = new Linear(3, 2);
  const optimizer = new Adam(network.parameters(), { lr: 0.1 });
  const scheduler = new CosineAnnealingLR(optimizer, { tMax: 5 });
  return { network, optimizer, scheduler, dispose: () => { optimizer.dispose(); network.dispose(); } };
}

function trainStep(trainer: ReturnType<typeof makeTrainer>): void {
  tidy(() => {
    trainer.optimizer.zeroGrad();
    trainer.network.forward(tensor([[1, 2, 3], [0, -1, 4]])).square().mean().backward();
    trainer.optimizer.step();
  });
  trainer.scheduler.step();
}

const weightsOf = (trainer: ReturnType<typeof makeTrainer>) => [...trainer.network.stateDict().values()].map((t) => t.toArray());

test('resuming restores weights, optimizer moments and schedule: the next step matches an uninterrupted run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'normality-training-checkpoint-'));
  const before = liveTensors();
  const path = join(dir, 'run.training');
  const original = makeTrainer(1);
  const resumed = makeTrainer(2);
  try {
    trainStep(original);
    trainStep(original);
    writeTrainingCheckpoint(path, original, { epochsDone: 2, losses: [0.5, 0.25] }, { model: '"probe"' }, run);
    assert.notDeepEqual(weightsOf(resumed), weightsOf(original), 'another seed starts elsewhere');
    const progress = resumeTrainingCheckpoint(path, resumed, run, 'cpu', 5);
    assert.deepEqual(progress, { epochsDone: 2, losses: [0.5, 0.25] });
    assert.deepEqual(resumed.scheduler.getLastLr(), original.scheduler.getLastLr());
    trainStep(original);
    trainStep(resumed);
    assert.deepEqual(weightsOf(resumed), weightsOf(original));
  } finally {
    original.dispose();
    resumed.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
  assert.equal(liveTensors(), before);
});

test('another run\'s checkpoint and a file without training state are refused, naming the file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'normality-training-checkpoint-'));
  const before = liveTensors();
  const [path, plain] = [join(dir, 'run.training'), join(dir, 'plain.safetensors')];
  const trainer = makeTrainer(1);
  try {
    writeTrainingCheckpoint(path, trainer, { epochsDone: 1, losses: [1] }, {}, run);
    assert.throws(() => resumeTrainingCheckpoint(path, trainer, { ...run, config: { lr: 0.2 } }, 'cpu', 5), {
      code: 'BAD_FILE',
      message: `${path}: is the training checkpoint of another run (lr 0.1 there, 0.2 here); resuming from it would mix two trainings. ` +
        'Delete it to train afresh, or give this run a checkpoint of its own (train: --out; reproduce: --checkpoint; library: checkpointPath).',
    });
    // Another model differs in every setting: the model alone is named.
    assert.throws(() => resumeTrainingCheckpoint(path, trainer, { ...run, model: 'other', config: { lr: 0.2, width: 3 } }, 'cpu', 5), {
      message: /is the training checkpoint of another run \(model probe there, other here\); resuming/,
    });
    // More epochs done than asked for; a schedule over other epochs (MNAD's cosine spans --epochs); a damaged state.
    assert.throws(() => resumeTrainingCheckpoint(path, trainer, run, 'cpu', 0), {
      message: `${path}: has 1 epochs done, more than the 0 this run asks for, so its model cannot be the 0-epoch one. Ask for 1 epochs or more to go on from it, or delete it to train afresh.`,
    });
    const longer = makeTrainer(1);
    try {
      longer.scheduler.loadStateDict({ ...longer.scheduler.stateDict(), t_max: 9 });
      assert.throws(() => resumeTrainingCheckpoint(path, longer, run, 'cpu', 9), {
        message: /^.*run\.training: was trained with the learning-rate schedule \{"type":"CosineAnnealingLR","t_max":5,"eta_min":0\}, and this run's is \{"type":"CosineAnnealingLR","t_max":9,"eta_min":0\}/,
      });
    } finally {
      longer.dispose();
    }
    writeTrainingCheckpoint(path, trainer, { epochsDone: 2, losses: [1] }, {}, run);
    assert.throws(() => resumeTrainingCheckpoint(path, trainer, run, 'cpu', 5), {
      message: `${path}: holds a damaged training state (epochsDone 2, 1 losses): training wrote one loss, a number, per epoch done. Delete it to train afresh, or give this run a checkpoint of its own (train: --out; reproduce: --checkpoint; library: checkpointPath).`,
    });
    // Optimizer state that does not load back (edited, or another optimizer's): named by file, to be deleted.
    writeTrainingCheckpoint(path, trainer, { epochsDone: 1, losses: [1] }, {}, run);
    const other = { network: trainer.network, optimizer: new SGD(trainer.network.parameters(), { lr: 0.1 }) };
    try {
      assert.throws(() => resumeTrainingCheckpoint(path, other, run, 'cpu', 5), {
        code: 'BAD_FILE', message: new RegExp(`^${path.replace(/[.]/g, '\\.')}: holds a training state that does not load back \\(Error loading the state dict into SGD: .*\\); training writes it atomically, so it was damaged afterwards\\. Delete it to train afresh`),
      });
    } finally {
      other.optimizer.dispose();
    }
    // A file cut short: not "re-save it" (the user cannot), but delete it.
    writeTrainingCheckpoint(path, trainer, { epochsDone: 1, losses: [1] }, {}, run);
    truncateSync(path, statSync(path).size - 10);
    assert.throws(() => resumeTrainingCheckpoint(path, trainer, run, 'cpu', 5), (error: Error) => {
      assert.match(error.message, /Training writes it atomically, so it was damaged afterwards\. Delete it to train afresh/);
      assert.doesNotMatch(error.message, /re-save/);
      return true;
    });
    saveTensors(plain, trainer.network.stateDict(), {});
    assert.throws(() => resumeTrainingCheckpoint(plain, trainer, run, 'cpu', 5), { code: 'BAD_FILE', message: new RegExp(`^${plain.replace(/[.]/g, '\\.')}: is not a training checkpoint`) });
  } finally {
    trainer.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
  assert.equal(liveTensors(), before);
});
