/**
 * `normality import <model> <weights>`: the authors' published weights (MemAE's video network, MNAD) saved as a
 * Normality checkpoint, which `test`, `score` and `info` then take like any other (see models/authors-weights.ts).
 */
import { basename } from 'node:path';
import { defineCommand } from '../command.js';
import { AUTHORS_MODELS, checkAuthorsModel, importAuthorsWeights } from '../../models/authors-weights.js';
import '../../models/index.js';
import { NormalityError, invalidArgument } from '../../errors.js';
import { loadSafetensors, saveSafetensors, setJsonMetadata } from '../../checkpoint/safetensors.js';
import type { ImportedFrom } from './info.js';

export default defineCommand({
  name: 'import',
  summary: "Make a checkpoint of the authors' own trained weights (MemAE video, MNAD) from their PyTorch files",
  usage: '<model> <weights.pt>',
  details: `Models: ${AUTHORS_MODELS.join(', ')}. MemAE: the state dict the authors' code saves. MNAD: the whole model the authors' ` +
    'code saves (model.pth) and its memory items (keys.pt, --memory). The memory\'s size comes from the files. The checkpoint has no ' +
    'threshold: test reports its metrics without one. The MNAD authors read frames as BGR: for colour videos, give their models BGR frames.',
  options: [
    { name: 'out', type: 'string', default: 'imported.safetensors', placeholder: 'path', description: 'The Normality checkpoint to write' },
    { name: 'memory', type: 'string', placeholder: 'path', description: "MNAD: the memory items the authors' code saves beside the model (keys.pt)" },
    { name: 'height', type: 'integer', default: 256, description: 'Frame height the weights were trained at' },
    { name: 'width', type: 'integer', default: 256, description: 'Frame width the weights were trained at' },
  ],
  async run(o, positionals) {
    const [model, weights] = positionals;
    if (!model || !weights) {
      throw invalidArgument('<model> <weights.pt>', `a model (${AUTHORS_MODELS.join(', ')}) and the authors' weights file`, positionals.join(' '),
        'Example: normality import mnad-pred model.pth --memory keys.pt --out mnad-ped2.safetensors');
    }
    checkAuthorsModel(model, '<model>');
    // Checked here to name the flag: the library names its option, and would say it received undefined.
    const mnad = model.startsWith('mnad-');
    if (mnad && o.memory === undefined) {
      throw invalidArgument('--memory', `the authors' memory items file (keys.pt), which ${model} needs,`, o.memory,
        `MNAD saves its items apart from the network. Example: normality import ${model} ${weights} --memory keys.pt`);
    }
    if (!mnad && o.memory !== undefined) {
      throw new NormalityError('INVALID_ARGUMENT', `--memory applies to the MNAD models, whose memory items the authors save apart; ${model}'s memory is among its weights: leave --memory out.`);
    }
    const detector = importAuthorsWeights(model, { weights, ...(o.memory ? { memory: o.memory } : {}) }, { height: o.height, width: o.width });
    try {
      detector.save(o.out);
    } finally {
      detector.dispose();
    }
    recordImport(o.out, { from: basename(weights), ...(o.memory ? { memory: basename(o.memory) } : {}), at: new Date().toISOString() });
    console.log(`${model}: the weights of ${weights}${o.memory ? ` and the memory items of ${o.memory}` : ''} written to ${o.out}`);
  },
});

/**
 * Note in the checkpoint's metadata where its weights came from: its configuration carries the model's training
 * defaults (seed, epochs, …), which `info` would otherwise show as if this training had happened.
 */
export function recordImport(path: string, imported: ImportedFrom): void {
  const { tensors, metadata } = loadSafetensors(path);
  setJsonMetadata(metadata, 'imported', imported);
  saveSafetensors(path, tensors, metadata);
}
