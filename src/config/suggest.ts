/**
 * "Did you mean ...?" for mistyped option names, config keys and commands.
 */

/**
 * Optimal string alignment distance: Levenshtein plus swapping two neighbours,
 * so the common typo `trian` is one edit from `train`, not two.
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array(rows * cols);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[(i - 1) * cols + j] + 1, d[i * cols + j - 1] + 1, d[(i - 1) * cols + j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, d[(i - 2) * cols + j - 2] + 1);
      }
      d[i * cols + j] = best;
    }
  }
  return d[rows * cols - 1];
}

/**
 * The candidate closest to `input`, or undefined when none is close enough to be a
 * plausible typo (at most one edit per three characters, or a prefix such as
 * `epoch` for `epochs`). Case is ignored.
 */
export function closest(input: string, candidates: readonly string[]): string | undefined {
  const typed = input.toLowerCase();
  const limit = Math.max(1, Math.floor(typed.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const lower = candidate.toLowerCase();
    const distance = editDistance(typed, lower);
    const plausible = distance <= limit || (typed.length >= 3 && lower.startsWith(typed));
    if (plausible && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * The names to suggest for `input`: every candidate that holds each of its words in order, as a word's start
 * (`mnad-ped2` → mnad-pred-ped2, mnad-recon-ped2; `mnad` → mnad-pred, mnad-recon), since a part of a name
 * fits several; otherwise the closest typo, if any (`memae-mnst` → memae-mnist).
 */
export function suggestions(input: string, candidates: readonly string[]): string[] {
  const words = (name: string) => name.toLowerCase().split(/[-_.\s]+/).filter(Boolean);
  const typed = words(input);
  const holds = (candidate: string) => {
    let next = 0;
    for (const word of words(candidate)) if (next < typed.length && word.startsWith(typed[next]!)) next++;
    return next === typed.length;
  };
  const fitting = input.length >= 3 && typed.length > 0 ? candidates.filter(holds) : [];
  if (fitting.length > 0) return fitting;
  const guess = closest(input, candidates);
  return guess === undefined ? [] : [guess];
}

/** `Did you mean 'a'?` or `Did you mean 'a' or 'b'?` (see suggestions), or undefined when nothing fits. */
export function didYouMean(input: string, candidates: readonly string[]): string | undefined {
  const found = suggestions(input, candidates).map((name) => `'${name}'`);
  if (found.length === 0) return undefined;
  return `Did you mean ${found.length === 1 ? found[0] : `${found.slice(0, -1).join(', ')} or ${found.at(-1)}`}?`;
}
