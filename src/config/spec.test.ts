import { test } from 'node:test';
import assert from 'node:assert/strict';
import { camelCase, checkSpec, kebabCase, walkFields, type OptionSpec, type OptionsOf } from './spec.js';

test('name conversions', () => {
  assert.equal(camelCase('batch-size'), 'batchSize');
  assert.equal(camelCase('top-k-2'), 'topK2');
  assert.equal(kebabCase('batchSize'), 'batch-size');
});

test('walkFields yields dotted paths depth first', () => {
  const spec: OptionSpec[] = [
    { name: 'a', type: 'string', description: '' },
    { name: 's', type: 'section', description: '', fields: [{ name: 'b-c', type: 'integer', description: '' }] },
  ];
  assert.deepEqual([...walkFields(spec)].map(([path]) => path.join('.')), ['a', 's.b-c']);
});

test('checkSpec rejects specs a user could not use', () => {
  const bad: [OptionSpec[], string][] = [
    [[{ name: 'batchSize', type: 'integer', description: '' }], "Invalid option 'batchSize' of command 'x': names must be kebab-case like batch-size."],
    [[{ name: 'a', type: 'string', description: '' }, { name: 'a', type: 'number', description: '' }], "Invalid option 'a' of command 'x': the name is used twice."],
    [[{ name: 'm', type: 'choice', description: '' }], "Invalid option 'm' of command 'x': a choice needs a non-empty choices list."],
    [[{ name: 'm', type: 'string', choices: ['a'], description: '' }], "Invalid option 'm' of command 'x': choices only apply to type 'choice', not 'string'."],
    [[{ name: 'n', type: 'integer', default: 1.5, description: '' }], "Invalid option 'n' of command 'x': default 1.5 is not an integer."],
    [[{ name: 't', type: 'string', repeated: true, default: 'a', description: '' }], "Invalid option 't' of command 'x': a repeated option needs an array default."],
    [[{ name: 's', type: 'section', description: '', fields: [] }], "Invalid option 's' of command 'x': a section needs at least one field."],
    [[{ name: 's', type: 'section', description: '', fields: [{ name: 'm', type: 'choice', choices: ['a'], default: 'b', description: '' }] }],
      "Invalid option 'm' of section 's' of command 'x': default \"b\" is not one of a."],
  ];
  for (const [spec, message] of bad) assert.throws(() => checkSpec(spec, "command 'x'"), { code: 'INVALID_ARGUMENT', message });
  assert.doesNotThrow(() => checkSpec([{ name: 't', type: 'integer', repeated: true, default: [1, 2], description: '' }], "command 'x'"));
});

test('OptionsOf infers camelCase keys, value types and optionality', () => {
  const spec = [
    { name: 'model', type: 'choice', choices: ['memae', 'mnad'], required: true, description: '' },
    { name: 'batch-size', type: 'integer', default: 32, description: '' },
    { name: 'out', type: 'string', description: '' },
    { name: 'quiet', type: 'boolean', description: '' },
    { name: 'tag', type: 'string', repeated: true, description: '' },
    { name: 'train', type: 'section', description: '', fields: [{ name: 'lr', type: 'number', default: 1e-4, description: '' }] },
  ] as const satisfies readonly OptionSpec[];
  const opts: OptionsOf<typeof spec> = { model: 'mnad', batchSize: 1, out: undefined, quiet: false, tag: ['a'], train: { lr: 0.1 } };
  // Compile-time checks: these assignments only type-check if the inference is right.
  const model: 'memae' | 'mnad' = opts.model;
  const batch: number = opts.batchSize;
  const out: string | undefined = opts.out;
  const tags: string[] = opts.tag;
  const lr: number = opts.train.lr;
  // @ts-expect-error an optional string may be undefined
  const mustBeString: string = opts.out;
  assert.deepEqual([model, batch, out, tags, lr, mustBeString], ['mnad', 1, undefined, ['a'], 0.1, undefined]);
});
