// Shared by the TypeScript sides of the benchmarks.

/**
 * The median time of `repeats` calls after `warmup` untimed ones, in seconds, as the PyTorch sides time
 * theirs. `fn` itself must wait for the device.
 */
export function timed(fn, repeats, warmup) {
  for (let i = 0; i < warmup; i++) fn();
  const times = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((x, y) => x - y);
  return times[times.length >> 1] / 1000;
}

/** This process's peak resident memory so far, in MB, as the PyTorch sides report theirs. */
export const peakRssMb = () => process.resourceUsage().maxRSS / 1024;
