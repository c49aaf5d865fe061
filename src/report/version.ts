/**
 * The library's version, read once from package.json so that results files and
 * `normality --version` always agree with what was installed.
 */
import { readFileSync } from 'node:fs';

let cached: string | undefined;

export function libraryVersion(): string {
  if (cached === undefined) {
    // Two levels up from both src/report/ and dist/report/.
    const url = new URL('../../package.json', import.meta.url);
    try {
      cached = String((JSON.parse(readFileSync(url, 'utf8')) as { version?: unknown }).version ?? 'unknown');
    } catch {
      cached = 'unknown';
    }
  }
  return cached;
}
