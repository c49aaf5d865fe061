/** Making the folders an output goes into. */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * `mkdir -p`, one level at a time. Node 20's `mkdirSync(path, { recursive: true })` never returns for a path
 * under /proc (it keeps retrying a folder the kernel refuses), so a mistaken `--out /proc/x/y.safetensors`
 * hung the CLI. Made level by level, the first refusal comes back at once, as the error of that `mkdir`.
 */
export function makeFolders(directory: string): void {
  const missing: string[] = [];
  for (let current = resolve(directory); !existsSync(current); current = dirname(current)) {
    missing.push(current);
    if (dirname(current) === current) break;
  }
  for (const folder of missing.reverse()) {
    try {
      mkdirSync(folder);
    } catch (error) {
      // Another process may have made it meanwhile; anything else is the caller's to report.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}
