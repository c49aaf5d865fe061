import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArgs } from './args.js';
import type { OptionSpec } from '../config/spec.js';

const spec = [
  { name: 'model', type: 'choice', choices: ['memae', 'mnad', 'students'], description: 'Model.' },
  { name: 'epochs', type: 'integer', default: 10, description: 'Epochs.' },
  { name: 'lr', type: 'number', description: 'Learning rate.' },
  { name: 'out', type: 'string', description: 'Output file.' },
  { name: 'verbose', type: 'boolean', description: 'Chatty.' },
  { name: 'tag', type: 'string', repeated: true, description: 'Tags.' },
  {
    name: 'train', type: 'section', description: 'Training.', fields: [
      { name: 'batch-size', type: 'integer', description: 'Batch.' },
      { name: 'shuffle', type: 'boolean', description: 'Shuffle.' },
    ],
  },
] as const satisfies readonly OptionSpec[];

const VALID = 'Valid options: --model, --epochs, --lr, --out, --verbose, --tag, --train.batch-size, --train.shuffle, --help.';
const parse = (...argv: string[]) => parseArgs(argv, spec, 'normality train');

test('values as separate words, after =, and positionals in between', () => {
  const parsed = parse('data/', '--epochs', '5', '--lr=1e-4', '--model', 'mnad', 'more', '--out=a=b.json');
  assert.deepEqual(parsed, {
    values: { epochs: 5, lr: 1e-4, model: 'mnad', out: 'a=b.json' },
    positionals: ['data/', 'more'],
    help: false,
  });
});

test('booleans: bare, --no-, =true / =false; they never take the next word', () => {
  assert.deepEqual(parse('--verbose', 'x').values, { verbose: true });
  assert.deepEqual(parse('--verbose', 'x').positionals, ['x']);
  assert.deepEqual(parse('--no-verbose').values, { verbose: false });
  assert.deepEqual(parse('--verbose=false').values, { verbose: false });
  assert.deepEqual(parse('--verbose=true').values, { verbose: true });
});

test('repeated flags collect; other flags keep the last value', () => {
  assert.deepEqual(parse('--tag', 'a', '--tag=b', '--epochs', '1', '--epochs', '2').values, { tag: ['a', 'b'], epochs: 2 });
});

test('section fields use dotted kebab flags and nest in camelCase', () => {
  assert.deepEqual(parse('--train.batch-size', '64', '--no-train.shuffle').values, { train: { batchSize: 64, shuffle: false } });
});

test('negative numbers are values and positionals; -- ends options', () => {
  assert.deepEqual(parse('--lr', '-0.5', '-3', '--', '--epochs', '-h').values, { lr: -0.5 });
  assert.deepEqual(parse('--lr', '-0.5', '-3', '--', '--epochs', '-h').positionals, ['-3', '--epochs', '-h']);
  assert.deepEqual(parse('-').positionals, ['-']);
});

test('-h and --help win over everything else, even bad flags', () => {
  assert.deepEqual(parse('--epochs', 'ten', '-h'), { values: {}, positionals: [], help: true });
  assert.equal(parse('--bogus', '--help').help, true);
});

test('unknown option: suggestion by edit distance, then the valid options', () => {
  assert.throws(() => parse('--foo'), { message: `Unknown option --foo for 'normality train'. ${VALID}` });
  assert.throws(() => parse('--epoch', '3'), { message: `Unknown option --epoch for 'normality train'. Did you mean --epochs? ${VALID}` });
  assert.throws(() => parse('--train.bach-size=3'), { message: `Unknown option --train.bach-size for 'normality train'. Did you mean --train.batch-size? ${VALID}` });
  assert.throws(() => parse('-epochs'), { message: `Unknown option -epochs for 'normality train'. Did you mean --epochs? ${VALID}` });
  assert.throws(() => parse('-x'), { message: `Unknown option -x for 'normality train'. ${VALID}` });
});

test('wrong types name the flag, the expected type and the text', () => {
  assert.throws(() => parse('--epochs', 'ten'), { code: 'INVALID_ARGUMENT', message: "Expected an integer for --epochs but received 'ten'." });
  assert.throws(() => parse('--epochs=2.5'), { message: "Expected an integer for --epochs but received '2.5'." });
  assert.throws(() => parse('--epochs='), { message: "Expected an integer for --epochs but received ''." });
  // Decimals only: Number() would read these as 10, 2 and 1.
  for (const text of ['1e1', '0x2', ' 1']) assert.throws(() => parse('--epochs', text), { message: `Expected an integer for --epochs but received '${text}'.` });
  // Written right but too large to hold exactly: out of range, with the range, rather than "not an integer".
  assert.throws(() => parse('--epochs', '99999999999999999999'), {
    message: "Expected an integer from -9007199254740991 to 9007199254740991 (2^53 − 1, the largest held exactly) for --epochs but received '99999999999999999999', which is out of range.",
  });
  assert.throws(() => parse('--lr', '1e400'), { message: "Expected a number from about -1.8e308 to 1.8e308 for --lr but received '1e400', which is out of range." });
  assert.throws(() => parse('--lr', 'fast'), { message: "Expected a number for --lr but received 'fast'." });
  assert.throws(() => parse('--lr', 'Infinity'), { message: "Expected a number for --lr but received 'Infinity'." });
  assert.throws(() => parse('--model', 'memea'), { message: "Expected one of memae, mnad, students for --model but received 'memea'. Did you mean 'memae'?" });
  assert.throws(() => parse('--model', 'pca'), { message: "Expected one of memae, mnad, students for --model but received 'pca'." });
  assert.throws(() => parse('--verbose=yes'), { message: "Expected true or false for --verbose but received 'yes'." });
});

test('missing values, misused --no-, and section names', () => {
  assert.throws(() => parse('--epochs'), { message: "Option --epochs for 'normality train' needs a value: --epochs <integer>." });
  assert.throws(() => parse('--model', '--epochs', '3'), { message: "Option --model for 'normality train' needs a value: --model <memae|mnad|students>." });
  assert.throws(() => parse('--no-epochs'), {
    message: "Option --no-epochs for 'normality train' is not valid: only boolean options have a --no- form, and --epochs expects an integer.",
  });
  assert.throws(() => parse('--no-verbose=true'), { message: "Option --no-verbose for 'normality train' takes no value; write --no-verbose or --verbose=false." });
  assert.throws(() => parse('--train', '3'), {
    message: "Option --train for 'normality train' is a section; set its fields instead: --train.batch-size, --train.shuffle.",
  });
});
