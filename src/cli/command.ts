/**
 * The shape of one CLI command. Each lives in its own file under commands/ and
 * default-exports `defineCommand({...})`; commands/index.ts lists them.
 */
import { checkSpec, type OptionSpec, type OptionsOf, type OptionValues } from '../config/spec.js';

export interface Command<S extends readonly OptionSpec[] = readonly OptionSpec[]> {
  /** What the user types: `normality <name>`. */
  readonly name: string;
  /** One line for the command list in `normality help`. */
  readonly summary: string;
  /** Positional arguments for the usage line, e.g. `<checkpoint> <data-dir>`. */
  readonly usage?: string;
  /** Longer text shown by `normality <name> --help`, after the summary. */
  readonly details?: string;
  readonly options: S;
  /**
   * Options arrive merged (defaults < config file < flags) and checked; `typed` names (camelCase) the
   * options given as flags, and a section's fields given as flags as `section.field`, for checks that
   * concern what the user typed on this command line alone. A command that ends in another way than
   * success or an error (stopped by a signal, keeping its output) returns its exit status.
   */
  run(opts: OptionsOf<S>, positionals: string[], typed: ReadonlySet<string>): Promise<void | number>;
}

/** A command whose options type is erased, as the registry holds them. */
export interface AnyCommand {
  readonly name: string;
  readonly summary: string;
  readonly usage?: string;
  readonly details?: string;
  readonly options: readonly OptionSpec[];
  run(opts: OptionValues, positionals: string[], typed: ReadonlySet<string>): Promise<void | number>;
}

/**
 * Check the spec once, when the module loads, and infer the options type:
 * `run(opts)` sees `opts.train.batchSize: number` from `{ name: 'batch-size', type: 'integer', default: 32 }`.
 */
export function defineCommand<const S extends readonly OptionSpec[]>(command: Command<S>): AnyCommand {
  checkSpec(command.options, `command '${command.name}'`);
  return command as unknown as AnyCommand;
}

export function isCommand(value: unknown): value is AnyCommand {
  const candidate = value as Partial<AnyCommand> | null;
  return typeof candidate === 'object' && candidate !== null
    && typeof candidate.name === 'string' && typeof candidate.run === 'function' && Array.isArray(candidate.options);
}
