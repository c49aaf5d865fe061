/** Devices as users name them: 'cpu', 'cuda' or 'cuda:N', checked before libtorch sees them. */
import { native } from '../native/binding.js';
import { invalidArgument } from '../errors.js';

export type Device = 'cpu' | 'cuda' | `cuda:${number}`;

const FORMAT = /^cuda(:(0|[1-9]\d*))?$/;
const EXPECTED = "'cpu', 'cuda' or 'cuda:N' (N the index of a CUDA device)";

let cudaCount: number | undefined;
/** Read once: the CUDA devices libtorch sees cannot change while the process runs. */
const cudaDevices = (): number => (cudaCount ??= native.cudaDeviceCount());

/**
 * A device given by a user, refused unless it is 'cpu', 'cuda' or 'cuda:N' and, for CUDA, one this build
 * of the addon and this machine have. `name` is what the message calls it (an option, a CLI flag), so
 * detectors can refuse a bad device before any work starts.
 */
export function checkDevice(name: string, value: unknown): Device {
  if (value === 'cpu') return value;
  if (typeof value !== 'string' || !FORMAT.test(value)) throw invalidArgument(name, EXPECTED, value);
  const count = cudaDevices();
  if (count === 0) {
    throw invalidArgument(name, "'cpu' (libtorch sees no CUDA device: this build of the addon has no CUDA, or this machine has no GPU)", value,
      'Rebuild the addon against a CUDA libtorch: LIBTORCH=<dir of a CUDA libtorch> npm run build:native (see "Building against another libtorch (CUDA)" in README.md).');
  }
  const index = value === 'cuda' ? 0 : Number(value.slice('cuda:'.length));
  if (index >= count) throw invalidArgument(name, `'cpu', 'cuda' or 'cuda:N' with N below ${count} (the CUDA devices libtorch sees)`, value);
  return value as Device;
}
