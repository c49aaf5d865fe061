import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './load.js';
import type { OptionSpec } from './spec.js';

const spec = [
  { name: 'model', type: 'choice', choices: ['memae', 'mnad'], description: 'Model.' },
  { name: 'seed', type: 'integer', description: 'Seed.' },
  { name: 'tag', type: 'string', repeated: true, description: 'Tags.' },
  {
    name: 'train', type: 'section', description: 'Training.', fields: [
      { name: 'epochs', type: 'integer', description: 'Epochs.' },
      { name: 'lr', type: 'number', description: 'Learning rate.' },
      { name: 'batch-size', type: 'integer', description: 'Batch.' },
      { name: 'shuffle', type: 'boolean', description: 'Shuffle.' },
    ],
  },
] as const satisfies readonly OptionSpec[];

const folder = mkdtempSync(join(tmpdir(), 'normality-config-'));
after(() => rmSync(folder, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(folder, name);
  writeFileSync(path, text);
  return path;
}

test('YAML with a nested section, kebab or camel keys, lists', () => {
  const path = file('ok.yaml', 'model: mnad\ntag: [a, b]\ntrain:\n  epochs: 3\n  lr: 1e-4\n  batch-size: 8\n  shuffle: false\n');
  assert.deepEqual(loadConfig(path, spec), { model: 'mnad', tag: ['a', 'b'], train: { epochs: 3, lr: 1e-4, batchSize: 8, shuffle: false } });
});

test('JSON, camelCase keys, a single value for a repeated option', () => {
  const path = file('ok.json', JSON.stringify({ seed: 7, tag: 'x', train: { batchSize: 16 } }));
  assert.deepEqual(loadConfig(path, spec), { seed: 7, tag: ['x'], train: { batchSize: 16 } });
});

test('an empty YAML file sets nothing', () => {
  assert.deepEqual(loadConfig(file('empty.yml', '# nothing yet\n'), spec), {});
});

test('unknown keys name the file, the key, a suggestion and the valid keys', () => {
  const top = file('top.yaml', 'modle: memae\n');
  assert.throws(() => loadConfig(top, spec), {
    code: 'BAD_CONFIG',
    message: `${top}: unknown key 'modle'. Did you mean 'model'? Valid keys: model, seed, tag, train.`,
  });
  const nested = file('nested.json', JSON.stringify({ train: { epoch: 3 } }));
  assert.throws(() => loadConfig(nested, spec), {
    message: `${nested}: unknown key 'train.epoch'. Did you mean 'epochs'? Valid keys in 'train': epochs, lr, batch-size, shuffle.`,
  });
  const far = file('far.yaml', 'gpu: 1\n');
  assert.throws(() => loadConfig(far, spec), { message: `${far}: unknown key 'gpu'. Valid keys: model, seed, tag, train.` });
  const dottedKey = file('dotted.yaml', 'train.epochs: 3\n');
  assert.throws(() => loadConfig(dottedKey, spec), { message: `${dottedKey}: unknown key 'train.epochs'. Write it nested: 'train:' on one line, then '  epochs: …' under it. Valid keys: model, seed, tag, train.` });
});

test('a key that only another command takes is left to that command; a key no command takes is still refused', () => {
  const other = [
    { name: 'threshold', type: 'number', description: 'Threshold.' },
    { name: 'train', type: 'section', description: 'Training.', fields: [{ name: 'patience', type: 'integer', description: 'Patience.' }] },
  ] as const satisfies readonly OptionSpec[];
  const shared = file('shared.yaml', 'seed: 3\nthreshold: 0.5\ntrain:\n  epochs: 2\n  patience: 4\n');
  assert.deepEqual(loadConfig(shared, spec, [other]), { seed: 3, train: { epochs: 2 } });
  assert.throws(() => loadConfig(shared, spec), { message: /unknown key 'threshold'/ });
  const typo = file('typo.yaml', 'train:\n  patients: 4\n');
  assert.throws(() => loadConfig(typo, spec, [other]), { message: /unknown key 'train.patients'/ });
  // A near miss of another command's key is suggested too, and that command's keys are listed apart.
  const otherTypo = file('other-typo.yaml', 'threshhold: 0.5\n');
  assert.throws(() => loadConfig(otherTypo, spec, [other]), {
    message: `${otherTypo}: unknown key 'threshhold'. Did you mean 'threshold'? Valid keys: model, seed, tag, train; and other commands': threshold.`,
  });
});

test('wrong types name the file, the key, what was expected and what was received', () => {
  const cases: [string, string][] = [
    ['train:\n  epochs: ten\n', "expected an integer for 'train.epochs' but received 'ten' of type string."],
    ['train:\n  epochs: 2.5\n', "expected an integer for 'train.epochs' but received 2.5 of type number."],
    ['train:\n  lr: "0.1"\n', "expected a number for 'train.lr' but received '0.1' of type string."],
    ['train:\n  shuffle: 1\n', "expected true or false for 'train.shuffle' but received 1 of type number."],
    ['train:\n  epochs:\n', "expected an integer for 'train.epochs' but received null."],
    ['model: memea\n', "expected one of memae, mnad for 'model' but received 'memea' of type string. Did you mean 'memae'?"],
    ['seed: [1, 2]\n', "expected an integer for 'seed' but received an array of length 2."],
    // A whole number beyond 2^53 − 1 is one, but out of range: said so, with the range.
    ['seed: 99999999999999999999\n', "expected an integer from -9007199254740991 to 9007199254740991 (2^53 − 1, the largest held exactly) for 'seed' but received 100000000000000000000, which is out of range."],
    ['tag: [a, 3]\n', "expected a string (or a list of them) for 'tag' but received 3 of type number."],
    ['train: 5\n', "expected a mapping of fields for 'train' but received 5 of type number."],
    ['seed: 1\nSeed: 2\n', "unknown key 'Seed'. Did you mean 'seed'? Valid keys: model, seed, tag, train."],
    ['train:\n  batch-size: 1\n  batchSize: 2\n', "'train.batch-size' and 'train.batchSize' set the same option; keep one."],
  ];
  for (const [text, problem] of cases) {
    const path = file('bad.yaml', text);
    assert.throws(() => loadConfig(path, spec), { code: 'BAD_CONFIG', message: `${path}: ${problem}` });
  }
});

test('missing, unparsable and wrongly shaped files', () => {
  const missing = join(folder, 'nope.yaml');
  assert.throws(() => loadConfig(missing, spec), {
    code: 'FILE_NOT_FOUND', message: `Config file not found at ${missing}. Check the path given to --config.`,
  });
  const json = file('broken.json', '{ "seed": 1, }');
  assert.throws(() => loadConfig(json, spec), { code: 'BAD_FILE', message: new RegExp(`^${json}: is not valid JSON \\(.+\\)\\. Fix the syntax or write the config as YAML\\.$`) });
  const twice = file('twice.json', '{ "seed": 1, "train": { "epochs": 1, "epochs": 2 } }');
  assert.throws(() => loadConfig(twice, spec), { code: 'BAD_FILE', message: new RegExp(`^${twice}: gives a key twice in one object \\(Map keys must be unique.*\\)\\. Keep one of them\\.$`) });
  const yaml = file('broken.yaml', 'seed: [1, 2\n');
  assert.throws(() => loadConfig(yaml, spec), { code: 'BAD_FILE', message: new RegExp(`^${yaml}: is not valid YAML \\(.+\\)\\.$`) });
  const list = file('list.yaml', '- seed: 1\n');
  assert.throws(() => loadConfig(list, spec), { message: `${list}: must hold a mapping of option names to values, not an array of length 1.` });
  const toml = file('config.toml', 'seed = 1\n');
  assert.throws(() => loadConfig(toml, spec), { message: `${toml}: has extension '.toml'; expected a .json, .yaml or .yml config file.` });
});
