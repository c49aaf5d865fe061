/**
 * Command-line parsing driven by an option spec (see config/spec.ts).
 *
 * Accepts `--flag value`, `--flag=value`, boolean `--flag` / `--no-flag` /
 * `--flag=false`, repeated flags, dotted section fields (`--train.epochs 10`),
 * `-h` / `--help`, and `--` to end options. Returns only what was given: defaults
 * and config files are layered in afterwards by config/resolve.ts.
 */
import { NormalityError } from '../errors.js';
import { closest } from '../config/suggest.js';
import {
  camelCase, expectedText, isSection, placeholderText, expectedInRange, walkFields,
  type FieldSpec, type OptionSpec, type OptionValues, type Scalar,
} from '../config/spec.js';

export interface ParsedArgs {
  /** Options given on the command line, camelCase keys, sections nested. */
  values: OptionValues;
  positionals: string[];
  /** `-h` or `--help` appeared before `--`; nothing else was checked. */
  help: boolean;
}

interface Flag {
  keys: string[];
  field: FieldSpec;
}

/**
 * Parse `argv` (the words after the command name) against `spec`.
 * `command` names the command in messages, e.g. `normality train`.
 */
export function parseArgs(argv: readonly string[], spec: readonly OptionSpec[], command: string): ParsedArgs {
  const end = argv.indexOf('--');
  const optionWords = end < 0 ? argv : argv.slice(0, end);
  if (optionWords.includes('-h') || optionWords.includes('--help')) return { values: {}, positionals: [], help: true };

  const flags = flagTable(spec);
  const values: OptionValues = {};
  const positionals: string[] = [];
  for (let i = 0; i < optionWords.length; i++) {
    const word = optionWords[i];
    if (!word.startsWith('-') || word === '-' || isNumber(word)) {
      positionals.push(word);
      continue;
    }
    const body = word.startsWith('--') ? word.slice(2) : word.slice(1);
    const eq = body.indexOf('=');
    const name = eq < 0 ? body : body.slice(0, eq);
    const inline = eq < 0 ? undefined : body.slice(eq + 1);
    const flag = flags.get(name);
    // Not a known --flag: either --no-<boolean> or an error that says why not.
    if (!word.startsWith('--') || !flag) {
      const typed = word.startsWith('--') ? `--${name}` : `-${name}`;
      const negated = negatedFlagOrError(typed, inline, flags, spec, command);
      setValue(values, negated.keys, false, negated.field);
      continue;
    }
    if (flag.field.type === 'boolean') {
      setValue(values, flag.keys, inline === undefined ? true : parseBoolean(inline, `--${name}`), flag.field);
      continue;
    }
    let text = inline;
    if (text === undefined) {
      const next = optionWords[i + 1];
      if (next === undefined || next.startsWith('--')) {
        throw new NormalityError('INVALID_ARGUMENT',
          `Option --${name} for '${command}' needs a value: --${name} <${placeholderText(flag.field)}>.`);
      }
      text = next;
      i++;
    }
    setValue(values, flag.keys, convert(flag.field, text, `--${name}`), flag.field);
  }
  if (end >= 0) positionals.push(...argv.slice(end + 1));
  return { values, positionals, help: false };
}

/** Convert one flag's text to its typed value, or say exactly what was wrong. */
export function convert(field: FieldSpec, text: string, flag: string): Scalar {
  const wrong = (hint = '', expected = expectedText(field)) => new NormalityError('INVALID_ARGUMENT',
    `Expected ${expected} for ${flag} but received '${text}'${hint}`);
  switch (field.type) {
    case 'string':
      return text;
    case 'boolean':
      return parseBoolean(text, flag);
    case 'number':
    case 'integer': {
      // Written as decimals: Number() alone would take '0x2', '1e1' for an integer, and ' 1'.
      const pattern = field.type === 'integer' ? /^[+-]?\d+$/ : /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
      const value = pattern.test(text) ? Number(text) : NaN;
      const ok = field.type === 'number' ? Number.isFinite(value) : Number.isSafeInteger(value);
      // Written right but too large to hold: say so, rather than that it is no integer (or number).
      if (!ok && pattern.test(text)) throw wrong(', which is out of range.', expectedInRange(field));
      if (!ok) throw wrong('.');
      return value;
    }
    case 'choice': {
      const choices = field.choices ?? [];
      if (choices.includes(text)) return text;
      const guess = closest(text, choices);
      throw wrong(guess ? `. Did you mean '${guess}'?` : '.');
    }
  }
}

function parseBoolean(text: string, flag: string): boolean {
  if (text === 'true') return true;
  if (text === 'false') return false;
  throw new NormalityError('INVALID_ARGUMENT', `Expected true or false for ${flag} but received '${text}'.`);
}

function isNumber(word: string): boolean {
  return word.trim() !== '' && Number.isFinite(Number(word));
}

/** `train.batch-size` → keys `['train', 'batchSize']`. */
function flagTable(spec: readonly OptionSpec[]): Map<string, Flag> {
  const table = new Map<string, Flag>();
  for (const [path, field] of walkFields(spec)) table.set(path.join('.'), { keys: path.map(camelCase), field });
  return table;
}

/**
 * A word that is not a known flag: `--no-<boolean>`, or one of the errors that
 * explain why not (unknown, not a boolean, a section name, a short flag).
 */
function negatedFlagOrError(typed: string, inline: string | undefined, flags: Map<string, Flag>, spec: readonly OptionSpec[], command: string): Flag {
  const fail = (message: string) => new NormalityError('INVALID_ARGUMENT', message);
  const name = typed.replace(/^--?/, '');
  const positive = typed.startsWith('--no-') ? flags.get(name.slice(3)) : undefined;
  if (positive) {
    const base = `--${name.slice(3)}`;
    if (positive.field.type !== 'boolean') {
      throw fail(`Option ${typed} for '${command}' is not valid: only boolean options have a --no- form, and ${base} expects ${expectedText(positive.field)}.`);
    }
    if (inline !== undefined) throw fail(`Option ${typed} for '${command}' takes no value; write ${typed} or ${base}=false.`);
    return positive;
  }
  const section = spec.find((option) => option.name === name && isSection(option));
  if (section && typed.startsWith('--')) {
    const fields = [...flags.keys()].filter((key) => key.startsWith(`${name}.`)).map((key) => `--${key}`);
    throw fail(`Option ${typed} for '${command}' is a section; set its fields instead: ${fields.join(', ')}.`);
  }
  const known = [...flags.keys()];
  const meant = [...flags.entries()].find(([, flag]) => flag.field.suggestedFor?.includes(name))?.[0];
  const guess = flags.has(name) ? name : meant ?? closest(name, known);
  const hint = guess ? ` Did you mean --${guess}?` : '';
  throw fail(`Unknown option ${typed} for '${command}'.${hint} Valid options: ${[...known.map((key) => `--${key}`), '--help'].join(', ')}.`);
}

function setValue(values: OptionValues, keys: readonly string[], value: Scalar, field: FieldSpec): void {
  let target = values;
  for (const key of keys.slice(0, -1)) target = (target[key] ??= {}) as OptionValues;
  const last = keys[keys.length - 1];
  if (!field.repeated) {
    target[last] = value;
    return;
  }
  const list = (target[last] ??= []) as Scalar[];
  list.push(value);
}
