/**
 * A model's own settings from the command line or a config file: `--model.memory-size 50` or
 * `model: { memorySize: 50 }`, as the authors' scripts take them as flags. Each field is passed to the
 * detector's configuration under its camelCase name, and only when given, so the model's defaults
 * stand otherwise. A field the chosen model does not take is refused, naming those it does take.
 */
import { NormalityError } from '../errors.js';
import { getModel } from '../models/registry.js';
import { camelCase, kebabCase } from '../config/spec.js';

/** Settings that shape training (and are saved with the detector). */
const TRAINING_FIELDS = [
  { name: 'memory-size', type: 'integer', description: `MemAE and MNAD: memory items N (MemAE: 100 MNIST, 500 CIFAR-10, 50 tables, 2000 video; MNAD: 10)` },
  { name: 'shrink-threshold', type: 'number', description: `MemAE: λ of the hard shrinkage (default 2/N; 1/N for tables; 0.0025 for video)` },
  { name: 'entropy-weight', type: 'number', description: `MemAE: α, the weight of the entropy loss (default 0.0002)` },
  { name: 'addressing', type: 'choice', choices: ['dot', 'cosine'], description: `MemAE: similarity of query and item, dot (the authors' code, default) or cosine (the paper)` },
  { name: 'weight-decay', type: 'number', description: `MemAE on images and tables: Adam's weight decay (default 0)` },
  { name: 'output-activation', type: 'choice', choices: ['none', 'sigmoid'], description: `MemAE on images and tables: after the decoder's last layer, none (default) or a sigmoid for inputs in [0, 1]` },
  { name: 'compactness-weight', type: 'number', description: `MNAD: λc of the compactness loss (default 0.1 prediction, 0.01 reconstruction)` },
  { name: 'separateness-weight', type: 'number', description: `MNAD: λs of the separateness loss (default 0.1 prediction, 0.01 reconstruction)` },
] as const;

/** Settings of scoring: given to `train` they are saved with the detector, given to `test` or `score` they replace the saved ones. */
const SCORING_FIELDS = [
  { name: 'update-threshold', type: 'number', description: `MNAD: γ, test frames scoring below it update the memory (default 0.01 prediction, 0.015 reconstruction)` },
  { name: 'score-weight', type: 'number', description: `MNAD: λ of S = λ(1 − g(PSNR)) + (1 − λ) g(D) (default 0.6 prediction, 0.7 reconstruction)` },
  { name: 'freeze-memory', type: 'boolean', description: `MNAD: do not update the memory while scoring (the paper updates it with frames it judges normal)` },
] as const;

const DESCRIPTION = "the model's own settings (left out: the model's default; 'model:' in a config file)";

/** The `model` section of `train`. */
export const TRAIN_MODEL_OPTIONS = { name: 'model', type: 'section', description: DESCRIPTION, fields: [...TRAINING_FIELDS, ...SCORING_FIELDS] } as const;

/** The `model` section of `test` and `score`: only what may change after training. */
export const SCORE_MODEL_OPTIONS = { name: 'model', type: 'section', description: DESCRIPTION, fields: SCORING_FIELDS } as const;

/** The configuration key a field sets: its own name, but `freezeMemory` sets MNAD's `testUpdate` (negated). */
function configKey(field: string): string {
  return field === 'freezeMemory' ? 'testUpdate' : field;
}

/**
 * The given fields of a `model` section (`section`: TRAIN_MODEL_OPTIONS or SCORE_MODEL_OPTIONS) as
 * configuration keys for `model`; throws for a field that `model` does not take, named as the user gave
 * it: a flag when `typed` (the command's flags) holds it, else a key of the config file's `model:`.
 */
export function modelSettings(model: string, values: Record<string, unknown>, section: { fields: readonly { name: string }[] }, typed: ReadonlySet<string>): Record<string, unknown> {
  const takes = getModel(model).configKeys;
  const settings: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(values)) {
    if (value === undefined || value === false) continue; // not given (an unset boolean resolves to false)
    const key = configKey(field);
    if (!takes.includes(key)) {
      // Named as the user gave it: a flag, or a key under the config file's model:.
      const flag = typed.has(`model.${field}`);
      const name = (kebab: string) => (flag ? `--model.${kebab}` : kebab);
      const given = flag ? name(kebabCase(field)) : `'${kebabCase(field)}' (under model: in the config file)`;
      const own = section.fields.filter((f) => takes.includes(configKey(camelCase(f.name)))).map((f) => name(f.name));
      throw new NormalityError('INVALID_ARGUMENT', `${given} does not apply to ${model}; ` +
        (own.length ? `it takes ${own.join(', ')}.` : `it has none of the settings ${section.fields.map((f) => name(f.name)).join(', ')}.`));
    }
    settings[key] = key === 'testUpdate' ? !value : value;
  }
  return settings;
}

/** The same for every model a benchmark trains: each must take every given field. */
export function modelSettingsOfAll(models: readonly string[], values: Record<string, unknown>, section: { fields: readonly { name: string }[] }, typed: ReadonlySet<string>): Record<string, unknown> {
  return models.map((model) => modelSettings(model, values, section, typed))[0] ?? {};
}

/** Configuration keys that the commands take as top-level flags of the same name, kebab-cased. */
const TOP_LEVEL_KEYS = ['architecture', 'contamination', 'epochs', 'batchSize', 'lr', 'seed', 'device', 'precision'];

/**
 * Build a detector from command-line settings with the library's refusals named for the command line: the
 * library names a setting by its configuration key (memorySize), the user typed a flag (--model.memory-size).
 */
export function namedByFlags<T>(build: () => T): T {
  try {
    return build();
  } catch (error) {
    const match = error instanceof NormalityError && error.code === 'INVALID_ARGUMENT' ? / for ([A-Za-z]+) but received /.exec(error.message) : null;
    if (!match) throw error;
    const key = match[1]!;
    const field = TRAIN_MODEL_OPTIONS.fields.find((f) => configKey(camelCase(f.name)) === key);
    // Video models take their square frame's height and width from --frame-size.
    const flag = field ? `--model.${field.name}` : TOP_LEVEL_KEYS.includes(key) ? `--${kebabCase(key)}` : key === 'height' || key === 'width' ? '--frame-size' : undefined;
    if (!flag) throw error;
    throw new NormalityError('INVALID_ARGUMENT', (error as Error).message.replace(match[0], ` for ${flag} but received `), { cause: error });
  }
}
