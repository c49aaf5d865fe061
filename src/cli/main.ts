/**
 * The `normality` entry point: find the command, parse its flags, layer them over
 * its config file and defaults, run it, and turn errors into exit codes.
 *
 * Exit codes: 0 success, 2 a NormalityError (bad input; the message says how to
 * fix it, no stack unless NORMALITY_DEBUG=1), 1 anything else (a bug: full stack).
 */
import { NormalityError } from '../errors.js';
import { loadConfig } from '../config/load.js';
import { resolveOptions } from '../config/resolve.js';
import { closest } from '../config/suggest.js';
import type { FieldSpec, OptionSpec } from '../config/spec.js';
import { libraryVersion } from '../report/version.js';
import { parseArgs } from './args.js';
import { isCommand, type AnyCommand } from './command.js';
import { commandHelp, generalHelp } from './help.js';
import * as registered from './commands/index.js';

/** Every command takes `--config`; commands must not define their own. */
const CONFIG_OPTION: FieldSpec = {
  name: 'config',
  type: 'string',
  repeated: true,
  placeholder: 'path',
  description: 'JSON or YAML file of options (same names; sections as nested mappings). Several are layered in order, a later file\'s keys replacing an earlier\'s; flags override them all.',
};

interface Output {
  write(text: string): unknown;
}

export interface MainContext {
  stdout?: Output;
  stderr?: Output;
  env?: Record<string, string | undefined>;
  /** Replaces the registry (tests). */
  commands?: readonly AnyCommand[];
}

/** Run one command line (without `node` and the script) and return the exit code. */
export async function main(argv: string[], context: MainContext = {}): Promise<number> {
  const stdout = context.stdout ?? process.stdout;
  const stderr = context.stderr ?? process.stderr;
  const env = context.env ?? process.env;
  try {
    const commands = checkRegistry(context.commands ?? Object.values(registered).filter(isCommand));
    return await dispatch(argv, commands, stdout, stderr);
  } catch (error) {
    if (error instanceof NormalityError) {
      stderr.write(`normality: ${error.message}\n`);
      if (env.NORMALITY_DEBUG === '1') stderr.write(`${stackWithCauses(error)}\n`);
      return 2;
    }
    stderr.write(`${stackWithCauses(error)}\n`);
    return 1;
  }
}

function stackWithCauses(error: unknown): string {
  const text = error instanceof Error ? (error.stack ?? String(error)) : String(error);
  return error instanceof Error && error.cause !== undefined ? `${text}\nCaused by: ${stackWithCauses(error.cause)}` : text;
}

async function dispatch(argv: string[], commands: readonly AnyCommand[], stdout: Output, stderr: Output): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    stderr.write(generalHelp(commands, libraryVersion()));
    return 2;
  }
  if (name === '-h' || name === '--help') {
    stdout.write(generalHelp(commands, libraryVersion()));
    return 0;
  }
  if (name === '--version' || name === '-V') {
    stdout.write(`${libraryVersion()}\n`);
    return 0;
  }
  if (name === 'help') {
    stdout.write(rest.length ? commandHelp(findCommand(rest[0], commands)) : generalHelp(commands, libraryVersion()));
    return 0;
  }
  const command = findCommand(name, commands);
  const label = `normality ${command.name}`;
  const spec: OptionSpec[] = [...command.options, CONFIG_OPTION];
  const parsed = parseArgs(rest, spec, label);
  if (parsed.help) {
    stdout.write(commandHelp({ ...command, options: spec }));
    return 0;
  }
  // A stray word (a flag's value given twice, a misplaced path) must not be dropped without a word.
  const expected = command.usage?.match(/<[^>]+>/g) ?? [];
  if (parsed.positionals.length > expected.length) {
    const extra = parsed.positionals.slice(expected.length);
    throw new NormalityError('INVALID_ARGUMENT', `${label} takes ${expected.length === 0 ? 'no arguments besides options' : expected.join(' ')}, but was also given ${extra.map((word) => `'${word}'`).join(' ')}. Usage: ${label}${command.usage ? ` ${command.usage}` : ''} [options].`);
  }
  const { config, ...flags } = parsed.values;
  const otherCommands = commands.filter((other) => other !== command).map((other) => other.options);
  const fromFiles = ((config ?? []) as string[]).map((file) => loadConfig(file, command.options, otherCommands));
  const options = resolveOptions(command.options, [...fromFiles, flags], label);
  return (await command.run(options, parsed.positionals, typedNames(flags))) ?? 0;
}

function findCommand(name: string, commands: readonly AnyCommand[]): AnyCommand {
  const command = commands.find((candidate) => candidate.name === name);
  if (command) return command;
  const names = commands.map((candidate) => candidate.name);
  if (name.startsWith('-')) {
    throw new NormalityError('INVALID_ARGUMENT', `Expected a command before ${name}. Commands: ${names.join(', ') || '(none)'}. Usage: normality <command> [options].`);
  }
  const guess = closest(name, names);
  const hint = guess ? ` Did you mean '${guess}'?` : '';
  throw new NormalityError('INVALID_ARGUMENT', `Unknown command '${name}'.${hint} Commands: ${names.join(', ') || '(none)'}. Run 'normality help' for a list.`);
}

/** Registry mistakes are bugs in a command module: report them as such (exit 1). */
function checkRegistry(commands: readonly AnyCommand[]): readonly AnyCommand[] {
  const seen = new Set<string>();
  for (const command of commands) {
    if (command.name === 'help' || seen.has(command.name)) throw new Error(`Command name '${command.name}' is reserved or registered twice.`);
    if (command.options.some((option) => option.name === 'config' || option.name === 'help')) {
      throw new Error(`Command '${command.name}' defines an option named 'config' or 'help'; main.ts adds those to every command.`);
    }
    seen.add(command.name);
  }
  return commands;
}

/** The options given as flags, camelCase, and each section field given as a flag as `section.field`. */
function typedNames(flags: Record<string, unknown>): Set<string> {
  const names = new Set<string>();
  for (const [key, value] of Object.entries(flags)) {
    names.add(key);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) for (const field of Object.keys(value)) names.add(`${key}.${field}`);
  }
  return names;
}
