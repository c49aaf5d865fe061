// `normality reproduce` end to end on MNIST (embedded data): the quick pipeline, its results file, and a
// many-run reproduction that goes on from its --checkpoint ledger after an interruption.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../cli/main.js';
import { liveTensors } from '../tensor/memory.js';
import { sharedDataRoot } from '../cli/datasets.js';
import { captureOutput as capture } from '../cli/test-output.js';
import { Rng } from '../data/random.js';
import { writeFramesLayout } from '../data/video/test-fixtures.js';
import { runVideoBenchmark } from './video.js';
import { getBenchmark } from './benchmarks.js';

const dir = mkdtempSync(join(tmpdir(), 'normality-reproduce-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('reproduce memae-mnist --quick resumes from its ledger: finished runs are reused, the rest retrained to the same numbers', async () => {
  const before = liveTensors();
  const ledger = join(dir, 'mnist.ckpt');
  const args = (out: string, ...more: string[]) => ['reproduce', 'memae-mnist', '--quick', '--epochs', '1', '--quiet', '--checkpoint', ledger, '--out', out, ...more];
  const results = (out: string) => JSON.parse(readFileSync(out, 'utf8')).results;

  assert.equal(await main(args(join(dir, 'first.json')), { stdout: capture(), stderr: capture() }), 0);
  const uninterrupted = results(join(dir, 'first.json'));
  assert.equal(uninterrupted.perClass.length, 10, 'ten classes (the mean is in mean)');
  assert.deepEqual([uninterrupted.epochs, uninterrupted.batchSize, uninterrupted.lr, uninterrupted.runsFromCheckpoint], [1, 16, 1e-3, 0]);
  assert.match(uninterrupted.protocol, /1 epoch, batch 16, Adam lr 0\.001, seed 1/);
  assert.deepEqual(uninterrupted.modelSettings, {});

  // As if killed during class 9: its runs are missing from the ledger.
  const file = JSON.parse(readFileSync(ledger, 'utf8'));
  for (const model of ['memae', 'memae-nonspar', 'ae']) delete file.runs[`class-9-${model}`];
  writeFileSync(ledger, JSON.stringify(file));
  assert.equal(await main(args(join(dir, 'resumed.json')), { stdout: capture(), stderr: capture() }), 0);
  const resumed = results(join(dir, 'resumed.json'));
  assert.equal(resumed.runsFromCheckpoint, 27);
  assert.deepEqual(resumed.perClass, uninterrupted.perClass, 'class 9 retrained with the same seed gives the same AUCs');

  for (const [flag, value, change] of [['--epochs', '2', 'epochs 1 → 2'], ['--batch-size', '32', 'batchSize 16 → 32'], ['--lr', '0.0001', 'lr 0.001 → 0.0001']]) {
    const other = capture();
    assert.equal(await main(args(join(dir, 'other.json'), flag!, value!), { stdout: capture(), stderr: other }), 2);
    assert.match(other.text(), new RegExp(`mnist\\.ckpt: holds runs made with other settings \\(${change}\\)`));
  }
  const otherModel = capture();
  assert.equal(await main(args(join(dir, 'other.json'), '--model.memory-size', '20'), { stdout: capture(), stderr: otherModel }), 2);
  assert.match(otherModel.text(), /mnist\.ckpt: holds runs made with other settings \(modelSettings undefined → "\{\\"memorySize\\":20\}"\)/);
  const notTaken = capture();
  assert.equal(await main(args(join(dir, 'other.json'), '--model.score-weight', '0.5'), { stdout: capture(), stderr: notTaken }), 2);
  assert.match(notTaken.text(), /--model\.score-weight does not apply to memae; it takes --model\.memory-size, /);
  const negative = capture();
  assert.equal(await main(args(join(dir, 'other.json'), '--batch-size', '-8'), { stdout: capture(), stderr: negative }), 2);
  assert.match(negative.text(), /Expected a positive integer, or 0 for the default for --batch-size but received -8/);
  assert.equal(liveTensors(), before);
});

/** What a command that must succeed wrote through console.error, line by line. */
async function noted(args: string[]): Promise<string[]> {
  const lines: string[] = [];
  const original = console.error;
  console.error = (...parts: unknown[]) => void lines.push(parts.join(' '));
  try {
    assert.equal(await main(args, { stdout: capture(), stderr: capture() }), 0);
  } finally {
    console.error = original;
  }
  return lines;
}

test('reproduce --jobs 2 trains the runs in two worker processes to the numbers of one process, and goes on from the workers\' ledgers', async () => {
  const before = liveTensors();
  const args = (out: string, ...more: string[]) => ['reproduce', 'memae-mnist', '--quick', '--epochs', '1', '--quiet', '--threads', '1', '--out', out, ...more];
  const results = (out: string) => JSON.parse(readFileSync(out, 'utf8')).results;
  assert.equal(await main(args(join(dir, 'one-process.json')), { stdout: capture(), stderr: capture() }), 0);
  // The workers' lines come through the command's console.error, each marked with its worker.
  const notes = await noted(args(join(dir, 'two-jobs.json'), '--jobs', '2'));
  const [one, two] = [results(join(dir, 'one-process.json')), results(join(dir, 'two-jobs.json'))];
  assert.deepEqual(two.perClass, one.perClass, 'each run is seeded on its own, so the split does not change a number');
  assert.deepEqual([two.jobs, two.threadsPerJob, two.runsFromCheckpoint], [2, 1, 0]);
  assert.match(two.protocol, /; trained in 2 worker processes of 1 thread each;/);
  assert.ok(notes.some((line) => /^\[job 0\] class 0 memae: auc 0\.\d{4}$/.test(line)), notes.join('\n'));
  assert.ok(notes.some((line) => /^\[job 1\] class 0 memae-nonspar: auc 0\.\d{4}$/.test(line)));
  const trained = notes.map((line) => /^\[job \d\] (class \d [a-z-]+): auc/.exec(line)?.[1]).filter(Boolean);
  assert.deepEqual([trained.length, new Set(trained).size], [30, 30], 'every run trained once, by one worker');

  // As if killed: worker 1's ledger holds two of its runs, and nothing was merged yet. A rerun merges them and trains the rest.
  const ledger = join(dir, 'jobs.ckpt');
  assert.equal(await main(args(join(dir, 'seed-ledger.json'), '--checkpoint', ledger), { stdout: capture(), stderr: capture() }), 0);
  const full = JSON.parse(readFileSync(ledger, 'utf8'));
  writeFileSync(`${ledger}.job-1`, JSON.stringify({ settings: full.settings, runs: { 'class-0-memae-nonspar': full.runs['class-0-memae-nonspar'], 'class-1-memae': full.runs['class-1-memae'] } }));
  rmSync(ledger);
  const resumedNotes = await noted(args(join(dir, 'resumed-jobs.json'), '--checkpoint', ledger, '--jobs', '2'));
  assert.ok(resumedNotes.some((line) => /jobs\.ckpt: 2 runs already finished; going on$/.test(line)));
  const resumed = results(join(dir, 'resumed-jobs.json'));
  assert.equal(resumed.runsFromCheckpoint, 2);
  assert.deepEqual(resumed.perClass, one.perClass);
  assert.ok(!existsSync(`${ledger}.job-0`) && !existsSync(`${ledger}.job-1`) && !existsSync(`${ledger}.jobs.json`), 'the workers\' files are merged and removed');

  const video = capture();
  assert.equal(await main(['reproduce', 'memae-ped2', '--jobs', '2'], { stdout: capture(), stderr: video }), 2);
  assert.match(video.text(), /--jobs applies to the benchmarks of many short runs \(memae-mnist, memae-cifar10, memae-kdd\); memae-ped2 trains one long run/);
  const zero = capture();
  assert.equal(await main(['reproduce', 'memae-mnist', '--jobs', '0'], { stdout: capture(), stderr: zero }), 2);
  assert.match(zero.text(), /Expected a positive number of worker processes for --jobs but received 0/);
  assert.equal(liveTensors(), before);
});

const kdd = join(sharedDataRoot(), 'kddcup99', 'kdd_cup.npz');
test('reproduce memae-kdd --quick: a rerun with its --checkpoint reuses every finished run and prints the same numbers', {
  skip: existsSync(kdd) ? false : `${kdd} is absent (the shared datasets, ../shared/data, are not beside this checkout)`,
}, async () => {
  const ledger = join(dir, 'kdd.ckpt');
  const args = (out: string) => ['reproduce', 'memae-kdd', '--quick', '--quiet', '--checkpoint', ledger, '--out', out];
  const results = (out: string) => JSON.parse(readFileSync(out, 'utf8')).results;
  assert.equal(await main(args(join(dir, 'kdd1.json')), { stdout: capture(), stderr: capture() }), 0);
  assert.equal(await main(args(join(dir, 'kdd2.json')), { stdout: capture(), stderr: capture() }), 0);
  const [first, again] = [results(join(dir, 'kdd1.json')), results(join(dir, 'kdd2.json'))];
  assert.deepEqual([first.runsFromCheckpoint, again.runsFromCheckpoint], [0, 4], 'two runs of MemAE and AE');
  assert.deepEqual(again.runs, first.runs);
  assert.ok(first.mean.memae.f1 > 0.5, `quick MemAE F1 ${first.mean.memae.f1} shows it learned something`);
});

test('reproduce reads its dataset from --data; without it, a dataset missing from the data folder says where it looked and how to point elsewhere', async () => {
  // A raw KDD file of 300 rows: two attack types (the normal class of the protocol) and 'normal.' rows (its anomalies).
  const rng = new Rng(5);
  const row = (label: string, v: number) => [Math.round(rng.next() * 10), rng.next() < 0.5 ? 'tcp' : 'udp', 'http', 'SF', ...Array.from({ length: 37 }, () => v + rng.next()), label].join(',');
  const raw = join(dir, 'kddcup.data_10_percent');
  writeFileSync(raw, `${Array.from({ length: 300 }, (_, i) => (i % 5 === 0 ? row('normal.', 5) : row(i % 2 ? 'smurf.' : 'neptune.', 0))).join('\n')}\n`);
  const out = join(dir, 'kdd-data.json');
  assert.equal(await main(['reproduce', 'memae-kdd', '--quick', '--epochs', '1', '--quiet', '--data', raw, '--out', out], { stdout: capture(), stderr: capture() }), 0);
  const results = JSON.parse(readFileSync(out, 'utf8')).results;
  assert.match(results.protocol, new RegExp(`^KDDCUP99 10% \\(${raw}\\), DAGMM protocol`));
  assert.match(results.protocol, /MLP 42-60-30-10-3/, 'one-hot tcp, udp; http; SF; then 38 numeric columns');
  assert.equal(results.runs.length, 4, 'two runs of MemAE and AE');

  const empty = join(dir, 'no-data');
  const saved = process.env.NORMALITY_DATA;
  process.env.NORMALITY_DATA = empty;
  try {
    const stderr = capture();
    assert.equal(await main(['reproduce', 'memae-kdd', '--quick', '--quiet'], { stdout: capture(), stderr }), 2);
    assert.match(stderr.text(), new RegExp(`not found at ${join(empty, 'kddcup99', 'kdd_cup.npz')}\\. memae-kdd reads DAGMM's kdd_cup.npz, or UCI's kddcup\\.data_10_percent\\[\\.gz\\] ` +
      `preprocessed here \\(default: kddcup99/kdd_cup\\.npz in the data folder\\); the data folder is ${empty} \\(\\.\\./shared/data, or \\$NORMALITY_DATA\\)\\. Pass --data <path>`));
    const withData = capture();
    assert.equal(await main(['reproduce', 'memae-cifar10', '--quick', '--quiet', '--data', empty], { stdout: capture(), stderr: withData }), 2);
    assert.match(withData.text(), new RegExp(`CIFAR-10 folder not found at ${empty}\\. Expected data_batch_1\\.bin`), 'with --data, the loader\'s own message alone');
    assert.match(withData.text(), /as root \(--data on the command line\)\.\n$/, 'the flag named as typed');
    // The data folder's hint is said once: the loaders' own hint for a default copy would repeat it.
    for (const [benchmark, missing] of [['memae-cifar10', 'CIFAR-10 archive'], ['memae-ped2', 'UCSD Ped2, the default video dataset,']]) {
      const stderr = capture();
      assert.equal(await main(['reproduce', benchmark!, '--quick', '--quiet'], { stdout: capture(), stderr }), 2);
      assert.match(stderr.text(), new RegExp(`^normality: ${missing} not found at ${empty}/[^ ]+\\. ${benchmark} reads `));
      assert.equal(stderr.text().split('the data folder is').length, 2, stderr.text());
      assert.doesNotMatch(stderr.text(), /Without --data/);
    }
    // A KDD file named with --data that is not there: both files the benchmark reads are named.
    const kddFile = capture();
    assert.equal(await main(['reproduce', 'memae-kdd', '--quick', '--quiet', '--data', join(empty, 'kdd.npz')], { stdout: capture(), stderr: kddFile }), 2);
    assert.match(kddFile.text(), new RegExp(`KDDCUP99 file not found at ${join(empty, 'kdd.npz')}\\. Expected DAGMM's kdd_cup\\.npz or UCI's kddcup\\.data_10_percent\\[\\.gz\\]`));
  } finally {
    if (saved === undefined) delete process.env.NORMALITY_DATA;
    else process.env.NORMALITY_DATA = saved;
  }
});

test('a benchmark name that is not one is quoted as typed, with the names that hold its words; the video banners name the size a --quick run reads', async () => {
  const refused = async (name: string) => {
    const stderr = capture();
    assert.equal(await main(['reproduce', name], { stdout: capture(), stderr }), 2);
    return stderr.text();
  };
  assert.match(await refused('memae-mnst'), /for <benchmark> but received 'memae-mnst'\. Did you mean 'memae-mnist'\?/);
  assert.match(await refused('mnad-ped2'), /received 'mnad-ped2'\. Did you mean 'mnad-pred-ped2' or 'mnad-recon-ped2'\?/);
  // The closing line prints the paper's number as a number (0.97): the banner spells it the same.
  assert.match(getBenchmark('mnad-pred-ped2').description, /the 5th at 256×256 \(64×64 with --quick; paper: frame AUC 0\.97\)$/);
  assert.match(getBenchmark('memae-ped2').description, /gray clips at 256×256 \(64×64 with --quick; paper: frame AUC 0\.941\)$/);
});

test('reproduce takes model settings for every model it trains, names them in its protocol line and results', async () => {
  const out = join(dir, 'settings.json');
  const args = ['reproduce', 'memae-mnist', '--quick', '--epochs', '1', '--quiet', '--out', out, '--model.memory-size', '20', '--model.addressing', 'cosine'];
  assert.equal(await main(args, { stdout: capture(), stderr: capture() }), 0);
  const results = JSON.parse(readFileSync(out, 'utf8')).results;
  assert.deepEqual(results.modelSettings, { memorySize: 20, addressing: 'cosine' });
  assert.match(results.protocol, /seed 1, model settings: memorySize 20, addressing cosine; last split/);
});

test('reproduce memae-mnist --seeds 2 reports the mean and spread over seeds, and its second seed is the run with --seed 2', async () => {
  const ledger = join(dir, 'seeds.ckpt');
  const run = async (out: string, ...more: string[]) => {
    assert.equal(await main(['reproduce', 'memae-mnist', '--quick', '--epochs', '1', '--quiet', '--out', out, ...more], { stdout: capture(), stderr: capture() }), 0);
    return JSON.parse(readFileSync(out, 'utf8')).results;
  };
  const both = await run(join(dir, 'seeds.json'), '--seeds', '2', '--checkpoint', ledger);
  const second = await run(join(dir, 'seed2.json'), '--seed', '2');
  assert.deepEqual(both.seeds, [1, 2]);
  assert.deepEqual(both.perSeed[1], { seed: 2, ...second.mean }, 'the second seed is exactly the run with --seed 2');
  assert.notEqual(both.perSeed[0].memae, both.perSeed[1].memae, 'the seeds differ');
  for (const model of ['memae', 'memae-nonspar', 'ae']) {
    const [a, b] = [both.perSeed[0][model], both.perSeed[1][model]];
    assert.ok(Math.abs(both.mean[model] - (a + b) / 2) < 1e-12, `${model}: the mean is the mean over seeds`);
    assert.ok(Math.abs(both.std[model] - Math.abs(a - b) / Math.SQRT2) < 1e-12, `${model}: the sample standard deviation over seeds`);
  }
  assert.equal(both.perClass.length, 10, 'ten classes (the mean is in mean)');
  assert.match(both.protocol, /seeds 1–2 \(each class's AUC the mean over seeds\)/);

  const fail = async (expected: RegExp, ...args: string[]) => {
    const stderr = capture();
    assert.equal(await main(['reproduce', ...args], { stdout: capture(), stderr }), 2);
    assert.match(stderr.text(), expected);
  };
  await fail(/seeds\.ckpt: holds runs made with other settings \(seeds 2 → 3\)/, 'memae-mnist', '--quick', '--epochs', '1', '--quiet', '--seeds', '3', '--checkpoint', ledger);
  await fail(/--seeds applies to memae-mnist, memae-cifar10; memae-kdd already varies the seed over its runs/, 'memae-kdd', '--quick', '--seeds', '2');
  await fail(/--seeds applies to memae-mnist, memae-cifar10; memae-ped2 trains one long run/, 'memae-ped2', '--quick', '--seeds', '2');
  await fail(/Expected a positive integer for --seeds but received 0/, 'memae-mnist', '--quick', '--seeds', '0');
  // A choice the benchmark does not have is refused, not recorded in its results as if it had been made.
  await fail(/--protocol paper applies to the one-class benchmarks \(memae-mnist, memae-cifar10\); memae-kdd has a protocol of its own/, 'memae-kdd', '--quick', '--protocol', 'paper');
  await fail(/--kdd-threshold test applies to memae-kdd alone; memae-mnist sets no percentile threshold/, 'memae-mnist', '--quick', '--kdd-threshold', 'test');
});

test('reproduce <video benchmark> --report writes the test videos\' frame scores over their ground truth; other benchmarks refuse it', async () => {
  const saved = process.env.NORMALITY_CACHE;
  process.env.NORMALITY_CACHE = join(dir, 'cache');
  try {
    const root = writeFramesLayout(join(dir, 'frames'), 12).root;
    const report = join(dir, 'mnad-report.html');
    // The Ped2 benchmarks' own pipeline, at a size and length a test can afford (their --quick takes 40 s here).
    const settings = { benchmark: 'mnad-recon-ped2', model: 'mnad-recon', channels: 3 as const, size: 32, epochs: 1, target: 0.902, config: {}, quick: { videos: 2, size: 32, epochs: 1, config: { windowsPerEpoch: 8 } } };
    const result = await runVideoBenchmark(settings, {
      quick: true, seed: 1, seeds: 1, device: 'cpu', precision: 'fp32', quiet: true, data: root, training: {}, model: {}, report, kddThreshold: 'combined', oneClassProtocol: 'standard',
    });
    const html = readFileSync(report, 'utf8');
    const shown = Number(/<th>microAuc<\/th><td class="number">([\d.]+)<\/td>/.exec(html)?.[1]);
    assert.ok(Math.abs(shown - result.value) <= 5e-5, `the report's micro AUC ${shown} is the benchmark's ${result.value}`);
    for (const video of ['01', '02']) assert.match(html, new RegExp(`font-weight="bold">${video}( \\(AUC [\\d.]+\\))?</text>`), `a plot of test video ${video}`);
    assert.doesNotMatch(html, /font-weight="bold">10( \(AUC [\d.]+\))?<\/text>/, 'quick mode takes the first 2 test videos, not the third');

    // With --checkpoint, a rerun after training finished only scores, and says so; info names the command that goes on from it.
    const checkpoint = join(dir, 'mnad.ckpt');
    const options = { quick: true, seed: 1, seeds: 1, device: 'cpu', precision: 'fp32' as const, quiet: true, data: root, training: {}, model: {}, checkpoint, kddThreshold: 'combined' as const, oneClassProtocol: 'standard' as const };
    const said = async (channel: 'log' | 'error', work: () => Promise<unknown>) => {
      const lines: string[] = [];
      const original = console[channel];
      console[channel] = (...parts: unknown[]) => void lines.push(parts.join(' '));
      try {
        await work();
      } finally {
        console[channel] = original;
      }
      return lines;
    };
    const notes = () => said('error', () => runVideoBenchmark(settings, options));
    const finished = /^mnad-recon: training already finished in .*mnad\.ckpt \(1 of 1 epoch\); scoring its model only$/;
    assert.ok(!(await notes()).some((line) => finished.test(line)), 'the first run trains');
    const again = await notes();
    assert.ok(again.some((line) => finished.test(line)), again.join('\n'));
    const info = (await said('log', () => main(['info', checkpoint], { stdout: capture(), stderr: capture() }))).join('\n');
    assert.match(info, /\nresumable {3}training state after 1 epoch .*: every epoch asked for is done, so the same normality reproduce mnad-recon-ped2 command \(with this --checkpoint\) scores its model without training again$/m);
  } finally {
    if (saved === undefined) delete process.env.NORMALITY_CACHE;
    else process.env.NORMALITY_CACHE = saved;
  }
  const refused = capture();
  assert.equal(await main(['reproduce', 'memae-kdd', '--quick', '--report', join(dir, 'kdd.html')], { stdout: capture(), stderr: refused }), 2);
  assert.match(refused.text(), /Expected a video benchmark \(memae-ped2, mnad-pred-ped2, mnad-recon-ped2\) for --report but received 'memae-kdd'/);
});
