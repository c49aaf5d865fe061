/**
 * The declarative option spec shared by the argument parser and the config loader.
 *
 * A command lists its options once; the same list drives `--flags`, config files,
 * defaults, validation and `--help`. Names are kebab-case (`batch-size`); parsed
 * values are keyed in camelCase (`batchSize`). A `section` groups fields into a
 * nested object: `--train.epochs 10` on the command line, `train: { epochs: 10 }`
 * in a config file, `opts.train.epochs` in code.
 */
import { NormalityError } from '../errors.js';

export type ValueType = 'string' | 'number' | 'integer' | 'boolean' | 'choice';
export type Scalar = string | number | boolean;

export interface FieldSpec {
  readonly name: string;
  readonly type: ValueType;
  /** Allowed values of a `choice`. */
  readonly choices?: readonly string[];
  readonly default?: Scalar | readonly Scalar[];
  readonly description: string;
  /** The flag may be given several times; the value is an array (default []). */
  readonly repeated?: boolean;
  /** Names a user may reach for that mean this option (another command's flag): refused, with this one suggested. */
  readonly suggestedFor?: readonly string[];
  /** Must come from a flag, the config file or a default. */
  readonly required?: boolean;
  /** What the value is, for help and messages: `--out <path>`. Default: the type. */
  readonly placeholder?: string;
}

export interface SectionSpec {
  readonly name: string;
  readonly type: 'section';
  readonly description: string;
  readonly fields: readonly OptionSpec[];
}

export type OptionSpec = FieldSpec | SectionSpec;

/** Values keyed by camelCase name; sections nest. */
export interface OptionValues {
  [key: string]: Scalar | Scalar[] | OptionValues | undefined;
}

export function isSection(option: OptionSpec): option is SectionSpec {
  return option.type === 'section';
}

/** `batch-size` → `batchSize`. */
export function camelCase(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** `batchSize` → `batch-size` (config files may use either spelling). */
export function kebabCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** What a field expects, for error messages and help: `an integer`, `one of memae, mnad`. */
export function expectedText(field: FieldSpec): string {
  switch (field.type) {
    case 'string': return 'a string';
    case 'number': return 'a number';
    case 'integer': return 'an integer';
    case 'boolean': return 'true or false';
    case 'choice': return `one of ${(field.choices ?? []).join(', ')}`;
  }
}

/** What a number or integer option holds, said to a value written right but too large: JavaScript's numbers, whose integers are exact up to 2^53 − 1. */
export function expectedInRange(field: FieldSpec): string {
  return field.type === 'integer'
    ? `an integer from ${-Number.MAX_SAFE_INTEGER} to ${Number.MAX_SAFE_INTEGER} (2^53 − 1, the largest held exactly)`
    : 'a number from about -1.8e308 to 1.8e308';
}

/** `path`, `integer`, `memae|mnad`: the `<...>` after a flag in help and messages. */
export function placeholderText(field: FieldSpec): string {
  if (field.placeholder) return field.placeholder;
  return field.type === 'choice' ? (field.choices ?? []).join('|') : field.type;
}

/** Whether one (non-array) value fits a field's type. */
export function fitsType(field: FieldSpec, value: unknown): value is Scalar {
  switch (field.type) {
    case 'string': return typeof value === 'string';
    case 'number': return typeof value === 'number' && Number.isFinite(value);
    case 'integer': return typeof value === 'number' && Number.isSafeInteger(value);
    case 'boolean': return typeof value === 'boolean';
    case 'choice': return typeof value === 'string' && (field.choices ?? []).includes(value);
  }
}

/** Every field with its dotted path, depth first: `['train', 'batch-size']`. */
export function* walkFields(spec: readonly OptionSpec[], prefix: readonly string[] = []): Generator<[string[], FieldSpec]> {
  for (const option of spec) {
    const path = [...prefix, option.name];
    if (isSection(option)) yield* walkFields(option.fields, path);
    else yield [path, option];
  }
}

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/**
 * Catch mistakes in a command's spec when it is defined, not when a user trips on
 * them: bad names, duplicates, a choice without choices, a default of the wrong type.
 */
export function checkSpec(spec: readonly OptionSpec[], owner: string): void {
  const seen = new Set<string>();
  for (const option of spec) {
    const where = `option '${option.name}' of ${owner}`;
    const fail = (problem: string) => new NormalityError('INVALID_ARGUMENT', `Invalid ${where}: ${problem}.`);
    if (!KEBAB.test(option.name)) throw fail('names must be kebab-case like batch-size');
    if (seen.has(camelCase(option.name))) throw fail('the name is used twice');
    seen.add(camelCase(option.name));
    if (isSection(option)) {
      if (option.fields.length === 0) throw fail('a section needs at least one field');
      checkSpec(option.fields, `section '${option.name}' of ${owner}`);
      continue;
    }
    if (option.type === 'choice' && !option.choices?.length) throw fail('a choice needs a non-empty choices list');
    if (option.type !== 'choice' && option.choices) throw fail(`choices only apply to type 'choice', not '${option.type}'`);
    if (option.default === undefined) continue;
    const defaults = option.repeated ? option.default : [option.default];
    if (!Array.isArray(defaults)) throw fail('a repeated option needs an array default');
    for (const value of defaults) {
      if (!fitsType(option, value)) throw fail(`default ${JSON.stringify(value)} is not ${expectedText(option)}`);
    }
  }
}

// ---- Static types: the options object a command receives, inferred from its spec.

type Camel<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<Camel<Tail>>}` : S;

type ScalarOf<F> =
  F extends { type: 'boolean' } ? boolean
  : F extends { type: 'number' | 'integer' } ? number
  : F extends { type: 'choice'; choices: readonly (infer C extends string)[] } ? C
  : string;

/** Booleans default to false and repeated options to []; others may be absent. */
type ValueOf<F> =
  F extends { type: 'section'; fields: infer Fields extends readonly OptionSpec[] } ? OptionsOf<Fields>
  : F extends { repeated: true } ? ScalarOf<F>[]
  : F extends { type: 'boolean' } | { default: Scalar } | { required: true } ? ScalarOf<F>
  : ScalarOf<F> | undefined;

/** `OptionsOf<typeof spec>`: `{ batchSize: number; train: { epochs: number } ... }`. */
export type OptionsOf<S extends readonly OptionSpec[]> = {
  [F in S[number] as Camel<F['name']>]: ValueOf<F>;
};
