/**
 * What a file given in the wrong place seems to be, from its first bytes: a reader that finds another format
 * than its own names the one it found (a PyTorch file where a safetensors checkpoint belongs, a checkpoint
 * where a reproduce ledger belongs), rather than the nonsense its own parser makes of those bytes.
 */
import { looksLikeLegacyTorch } from './pickle-legacy.js';

export type FileKind =
  | 'pytorch' // torch.save: its zip format, or the pickle it wrote before PyTorch 1.6
  | 'normality' // a safetensors file with a Normality model's metadata (a model or a training checkpoint)
  | 'safetensors'
  | 'ledger' // `normality reproduce`'s JSON record of finished runs (--checkpoint of a many-run benchmark)
  | 'json'
  | 'npz'
  | 'npy'
  | 'zip'
  | 'pickle'
  | 'gzip'
  | 'text';

export interface FileKindFound {
  kind: FileKind;
  /** A noun phrase: `a PyTorch file (torch.save's zip format)`. */
  description: string;
}

/** JSON this long or longer is not parsed to tell a ledger from other JSON: ledgers are a few kilobytes. */
const MAX_JSON_BYTES = 16 * 1024 ** 2;

/** What `bytes` (a whole file, or its start) seem to hold; undefined for binary data of no format known here. */
export function fileKind(bytes: Uint8Array): FileKindFound | undefined {
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return zipKind(bytes);
  if (bytes[0] === 0x80 && bytes[1] !== undefined && bytes[1] >= 2 && bytes[1] <= 5) {
    return looksLikeLegacyTorch(bytes, 'file')
      ? { kind: 'pytorch', description: 'a PyTorch file (the format torch.save wrote before PyTorch 1.6)' }
      : { kind: 'pickle', description: 'a Python pickle' };
  }
  if (startsWith(bytes, [0x93, ...Buffer.from('NUMPY')])) return { kind: 'npy', description: 'a NumPy .npy array' };
  if (startsWith(bytes, [0x1f, 0x8b])) return { kind: 'gzip', description: 'a gzip-compressed file' };
  return safetensorsKind(bytes) ?? textKind(bytes);
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((byte, i) => bytes[i] === byte);
}

/** A zip archive, by the name of its first entry: torch.save's begins `<name>/data.pkl`, numpy.savez's are `<key>.npy`. */
function zipKind(bytes: Uint8Array): FileKindFound {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const nameLength = bytes.length >= 30 ? view.getUint16(26, true) : 0;
  const name = Buffer.from(bytes.subarray(30, 30 + nameLength)).toString('latin1');
  if (/(^|\/)data\.pkl$/.test(name)) return { kind: 'pytorch', description: "a PyTorch file (torch.save's zip format)" };
  if (name.endsWith('.npy')) return { kind: 'npz', description: 'a NumPy .npz archive' };
  return { kind: 'zip', description: 'a zip archive' };
}

/** A safetensors file: an 8-byte header length, then that many bytes of a JSON object. */
function safetensorsKind(bytes: Uint8Array): FileKindFound | undefined {
  if (bytes.length < 10 || bytes[8] !== 0x7b) return undefined;
  const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(0, true);
  if (length > BigInt(bytes.length - 8)) return undefined;
  const header = parseJson(bytes.subarray(8, 8 + Number(length))) as { __metadata__?: Record<string, unknown> } | undefined;
  if (typeof header !== 'object' || header === null) return undefined;
  const metadata = header.__metadata__ ?? {};
  const model = typeof metadata.model === 'string' ? parseJson(Buffer.from(metadata.model)) : undefined;
  if (typeof model !== 'string') return { kind: 'safetensors', description: 'a safetensors file' };
  return { kind: 'normality', description: `a Normality ${'training' in metadata ? 'training checkpoint' : 'model'} (${model})` };
}

/** Text, by its first line; JSON by its first character, and a reproduce ledger by its "settings" and "runs". */
function textKind(bytes: Uint8Array): FileKindFound | undefined {
  const start = new TextDecoder().decode(bytes.subarray(0, 256));
  // A cut multi-byte character at the end of the slice is no sign of binary data.
  if (start.length === 0 || /[\u0000-\u0008\u000e-\u001f\ufffd]/.test(start.slice(0, -1))) return undefined;
  const first = start.trimStart()[0];
  if (first === '{' || first === '[') {
    const value = bytes.length <= MAX_JSON_BYTES ? parseJson(bytes) as { settings?: unknown; runs?: unknown } | undefined : undefined;
    if (value !== undefined) {
      if (typeof value === 'object' && value !== null && typeof value.settings === 'object' && typeof value.runs === 'object') {
        const benchmark = (value.settings as { benchmark?: unknown } | null)?.benchmark;
        return { kind: 'ledger', description: `a normality reproduce ledger${typeof benchmark === 'string' ? ` of ${benchmark}` : ''} (JSON: the finished runs of a many-run benchmark)` };
      }
      return { kind: 'json', description: 'a JSON file' };
    }
  }
  const line = start.trimStart().split(/\r?\n/)[0]!;
  return { kind: 'text', description: `a text file beginning '${line.length > 40 ? `${line.slice(0, 40)}…` : line}'` };
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return undefined;
  }
}
