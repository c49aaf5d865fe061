/**
 * `normality help` and `normality <command> --help`, written from the registry
 * and the option specs so they never drift from what the parser accepts.
 */
import { isSection, placeholderText, type FieldSpec, type OptionSpec } from '../config/spec.js';
import type { AnyCommand } from './command.js';

export function generalHelp(commands: readonly AnyCommand[], version: string): string {
  const width = Math.max(0, ...commands.map((command) => command.name.length));
  const list = commands.length
    ? commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`)
    : ['  (none registered)'];
  return [
    `normality ${version}: unsupervised deep anomaly detection`,
    '',
    'Usage: normality <command> [options]',
    '',
    'Commands:',
    ...list,
    '',
    "Run 'normality <command> --help' (or 'normality help <command>') for a command's options.",
    'Other: normality --version',
    '',
  ].join('\n');
}

export function commandHelp(command: AnyCommand): string {
  const usage = ['Usage: normality', command.name, command.usage, '[options]'].filter(Boolean).join(' ');
  const rows = optionRows(command.options, []);
  rows.push(['-h, --help', 'Show this help.']);
  // A section's heading row spans the line, so it does not set the column width.
  const width = Math.max(...rows.filter(([, right]) => right).map(([left]) => left.length));
  const lines = [usage, '', command.summary];
  if (command.details) lines.push('', command.details);
  lines.push('', 'Options:', ...rows.map(([left, right]) => (right ? `  ${left.padEnd(width)}  ${right}` : `  ${left}`)), '');
  return lines.join('\n');
}

/** `[left column, description]`; a section contributes a heading row and its fields. */
function optionRows(spec: readonly OptionSpec[], path: readonly string[]): [string, string][] {
  const rows: [string, string][] = [];
  for (const option of spec) {
    const dotted = [...path, option.name].join('.');
    if (isSection(option)) {
      rows.push([`${dotted}: ${option.description}`, '']);
      rows.push(...optionRows(option.fields, [...path, option.name]));
    } else {
      rows.push([flagText(option, dotted), describeField(option)]);
    }
  }
  return rows;
}

function flagText(field: FieldSpec, dotted: string): string {
  if (field.type === 'boolean') return `--[no-]${dotted}`;
  return `--${dotted} <${placeholderText(field)}>`;
}

function describeField(field: FieldSpec): string {
  const notes: string[] = [];
  if (field.required) notes.push('required');
  if (field.default !== undefined) notes.push(`default: ${Array.isArray(field.default) ? field.default.join(', ') : String(field.default)}`);
  if (field.repeated) notes.push('repeatable');
  return notes.length ? `${field.description} (${notes.join('; ')})` : field.description;
}
