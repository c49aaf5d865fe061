/**
 * The files and folders a command will write, checked before any work: a path that cannot be written fails
 * now, named by its flag, rather than after an hour of training or scoring with a bare ENOTDIR.
 */
import { rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { makeFolders } from '../checkpoint/folders.js';
import { badFile, invalidArgument } from '../errors.js';

const reason = (error: unknown) => (error as NodeJS.ErrnoException).code ?? String(error);

/** Whether two paths, as given (relative to the current folder), name the same file. */
export const samePath = (a: string, b: string) => resolve(a) === resolve(b);

/** What is at `path`, if anything; a path through a file (ENOTDIR) holds nothing, which making it reports. */
function existing(path: string) {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/** Write and remove an empty file in `folder`. */
function probeWrite(folder: string, path: string, flag: string): void {
  const probe = join(folder, `.normality-probe-${process.pid}`);
  try {
    writeFileSync(probe, '');
  } catch (error) {
    throw badFile(path, `cannot be written (${reason(error)})`, `Check that the folder is writable, or choose another ${flag} path.`);
  }
  rmSync(probe, { force: true });
}

/**
 * `path` will be written as a file: not a folder, its folder made, and writable, and none of the `inputs`
 * the command reads. `what` names the file ("an HTML file"); `example` is a file name to suggest when the
 * path is a folder.
 */
export function checkOutputFile(path: string | undefined, flag: string, what: string, example: string, inputs: readonly string[] = []): void {
  if (path === undefined) return;
  if (path === '') throw invalidArgument(flag, `the path of ${what} to write`, path);
  if (path === '-') throw invalidArgument(flag, `the path of ${what} to write`, path, "'-' (standard output) is for the scores of normality score --out.");
  // A config file shared by train, test and score holds train's `out`: the checkpoint test then reads.
  const input = inputs.find((file) => samePath(file, path));
  if (input !== undefined) {
    throw invalidArgument(flag, `the path of ${what} to write, not a file this command reads`, path,
      `Writing there would replace ${input}. Name another file (a config file's out: is train's; give this command its own ${flag}).`);
  }
  if (existing(path)?.isDirectory()) {
    throw invalidArgument(flag, `the path of ${what} to write`, path, `That path is a folder: name a file in it, e.g. ${example}.`);
  }
  try {
    makeFolders(dirname(path));
  } catch (error) {
    throw badFile(path, `cannot be written: its folder cannot be made (${reason(error)})`, `Choose another ${flag} path.`);
  }
  probeWrite(dirname(path), path, flag);
}

/** `folder` will receive files: not a file, made if missing, and writable. */
export function checkOutputFolder(folder: string | undefined, flag: string, what: string): void {
  if (folder === undefined) return;
  if (existing(folder)?.isFile()) {
    throw invalidArgument(flag, `a folder for ${what} (made if missing)`, folder, 'That path is a file: name a folder.');
  }
  try {
    makeFolders(folder);
  } catch (error) {
    throw badFile(folder, `cannot be made (${reason(error)})`, `Choose another ${flag} folder.`);
  }
  probeWrite(folder, folder, flag);
}

/** The files a command reads: its checkpoint, data, labels and video, as given. */
export function readPaths(checkpoint: string | undefined, o: { data?: string; labels?: string; video?: string }): string[] {
  return [checkpoint, o.data, o.labels, o.video].filter((path): path is string => typeof path === 'string' && path !== '');
}

/**
 * The --out to use: a config file serves train, test and score alike, and its `out:` is train's checkpoint,
 * which test and score read. Taken from the file (not typed) and naming a file this command reads, it gives
 * way to the command's own default, with a note; typed, checkOutputFile refuses it.
 */
export function outFromConfig(out: string, typed: ReadonlySet<string>, inputs: readonly string[], fallback: string): string {
  if (typed.has('out') || !inputs.some((file) => samePath(file, out))) return out;
  console.error(`note: the config file's out: ${out} is a file this command reads (train's checkpoint); writing to ${fallback} instead`);
  return fallback;
}
