/**
 * Options from a JSON or YAML config file, checked against the command's spec.
 *
 * Keys may be written kebab-case (`batch-size`, as on the command line) or
 * camelCase (`batchSize`, as in code); sections are nested mappings. Returns only
 * what the file sets; config/resolve.ts layers it under the flags.
 *
 * One file may serve several commands (train and test share most of it), so a
 * key that this command lacks but one of `sharedWith` takes (`epochs` in the file
 * given to `test`) is left for that command rather than refused.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { NormalityError, badFile, describe, fileNotFound } from '../errors.js';
import { closest } from './suggest.js';
import {
  camelCase, expectedText, fitsType, isSection, expectedInRange,
  type FieldSpec, type OptionSpec, type OptionValues, type Scalar,
} from './spec.js';

export function loadConfig(path: string, spec: readonly OptionSpec[], sharedWith: readonly (readonly OptionSpec[])[] = []): OptionValues {
  const content = parseFile(path, readText(path));
  if (content === null || content === undefined) return {};
  if (!isMapping(content)) {
    throw badFile(path, `must hold a mapping of option names to values, not ${describe(content)}`);
  }
  return checkSection(content, spec, sharedWith, [], path);
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw fileNotFound(path, 'Config file', 'Check the path given to --config.');
    throw badFile(path, `cannot be read (${code ?? String(error)})`);
  }
}

function parseFile(path: string, text: string): unknown {
  const ext = extname(path).toLowerCase();
  if (ext === '.json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw badFile(path, `is not valid JSON (${(error as Error).message})`, 'Fix the syntax or write the config as YAML.');
    }
    // JSON.parse keeps the last of two equal keys without a word; YAML (JSON is YAML) refuses them, as for .yaml files.
    try {
      parseYaml(text);
    } catch (error) {
      const message = (error as Error).message;
      if (/Map keys must be unique/.test(message)) throw badFile(path, `gives a key twice in one object (${message.split('\n')[0]})`, 'Keep one of them.');
    }
    return parsed;
  }
  if (ext === '.yaml' || ext === '.yml') {
    try {
      return parseYaml(text);
    } catch (error) {
      throw badFile(path, `is not valid YAML (${(error as Error).message.split('\n')[0]})`);
    }
  }
  throw badFile(path, `has extension '${ext}'; expected a .json, .yaml or .yml config file`);
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function findOption(spec: readonly OptionSpec[], key: string): OptionSpec | undefined {
  return spec.find((candidate) => candidate.name === key || camelCase(candidate.name) === key);
}

function checkSection(
  content: Record<string, unknown>, spec: readonly OptionSpec[], sharedWith: readonly (readonly OptionSpec[])[],
  path: readonly string[], file: string,
): OptionValues {
  const fail = (message: string) => new NormalityError('BAD_CONFIG', `${file}: ${message}`);
  const result: OptionValues = {};
  const spelledAs = new Map<string, string>();
  for (const [key, value] of Object.entries(content)) {
    const dotted = [...path, key].join('.');
    const option = findOption(spec, key);
    if (!option && sharedWith.some((other) => findOption(other, key) !== undefined)) continue;
    if (!option) {
      const names = spec.map((candidate) => candidate.name);
      // A file shared by commands may hold any of their keys: a near miss of another command's counts too.
      const others = [...new Set(sharedWith.flatMap((other) => other.map((candidate) => candidate.name)))].filter((name) => !names.includes(name));
      const guess = closest(key, [...names, ...others]);
      // 'model.memory-size: 20' is the flag's spelling; a file nests it under the section.
      const [section, ...field] = key.split('.');
      const nested = field.length > 0 && spec.some((candidate) => candidate.name === section && isSection(candidate));
      const hint = nested ? ` Write it nested: '${section}:' on one line, then '  ${field.join('.')}: …' under it.` : guess ? ` Did you mean '${guess}'?` : '';
      const where = path.length ? ` in '${path.join('.')}'` : '';
      const otherKeys = others.length > 0 ? `; and other commands': ${others.join(', ')}` : '';
      throw fail(`unknown key '${dotted}'.${hint} Valid keys${where}: ${names.join(', ')}${otherKeys}.`);
    }
    const camel = camelCase(option.name);
    const earlier = spelledAs.get(camel);
    if (earlier !== undefined) throw fail(`'${[...path, earlier].join('.')}' and '${dotted}' set the same option; keep one.`);
    spelledAs.set(camel, key);
    if (isSection(option)) {
      if (!isMapping(value)) throw fail(`expected a mapping of fields for '${dotted}' but received ${describe(value)}.`);
      const sharedFields = sharedWith.flatMap((other) => {
        const section = findOption(other, key);
        return section && isSection(section) ? [section.fields] : [];
      });
      result[camel] = checkSection(value, option.fields, sharedFields, [...path, key], file);
    } else {
      result[camel] = checkField(option, value, dotted, fail);
    }
  }
  return result;
}

function checkField(field: FieldSpec, value: unknown, dotted: string, fail: (message: string) => NormalityError): Scalar | Scalar[] {
  const items = field.repeated && Array.isArray(value) ? value : [value];
  for (const item of items) {
    if (fitsType(field, item)) continue;
    const list = field.repeated ? ` (or a list of them)` : '';
    const guess = field.type === 'choice' && typeof item === 'string' ? closest(item, field.choices ?? []) : undefined;
    const hint = guess ? ` Did you mean '${guess}'?` : '';
    // A whole number too large to hold exactly (YAML and JSON read 99999999999999999999 as 1e20): out of range, not "no integer".
    if (field.type === 'integer' && Number.isInteger(item)) {
      throw fail(`expected ${expectedInRange(field)}${list} for '${dotted}' but received ${item}, which is out of range.`);
    }
    throw fail(`expected ${expectedText(field)}${list} for '${dotted}' but received ${describe(item)}.${hint}`);
  }
  return field.repeated ? (items as Scalar[]) : (value as Scalar);
}
