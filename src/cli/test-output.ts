/** For tests: an output stream for `main`'s context that keeps what the command wrote. */
export function captureOutput(): { text: () => string; write: (s: string) => boolean } {
  let out = '';
  return { text: () => out, write: (s: string) => ((out += s), true) };
}
