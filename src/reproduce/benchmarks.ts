/** The benchmarks `normality reproduce` knows, by name. */
import { invalidArgument } from '../errors.js';
import { runOneClass } from './one-class.js';
import { runKdd } from './kdd.js';
import type { Benchmark } from './types.js';

const BENCHMARKS: Benchmark[] = [
  {
    name: 'memae-mnist',
    description: 'MemAE, MemAE-nonSpar and AE on MNIST, one class normal at a time (paper: mean AUC 0.9751)',
    run: (o) => runOneClass({ dataset: 'mnist', architecture: 'mnist', epochs: 30, target: 0.9751, quick: { maxTrain: 300, maxTest: 500, epochs: 2 } }, o),
  },
  {
    name: 'memae-cifar10',
    description: 'MemAE, MemAE-nonSpar and AE on CIFAR-10, one class normal at a time (paper: mean AUC 0.6088; our copy of CIFAR-10 is JPEG, lossy)',
    run: (o) => runOneClass({ dataset: 'cifar10', architecture: 'cifar10', epochs: 30, target: 0.6088, quick: { maxTrain: 300, maxTest: 500, epochs: 1 } }, o),
  },
  {
    name: 'memae-kdd',
    description: 'MemAE and AE on KDDCUP99 10% under the DAGMM protocol, 20 runs (paper: F1 0.9641)',
    run: (o) => runKdd(o),
  },
];

export function benchmarkNames(): string[] {
  return BENCHMARKS.map((b) => b.name);
}

export function registerBenchmark(benchmark: Benchmark): void {
  BENCHMARKS.push(benchmark);
}

export function getBenchmark(name: string): Benchmark {
  const found = BENCHMARKS.find((b) => b.name === name);
  if (!found) throw invalidArgument('benchmark', `one of ${benchmarkNames().join(', ')}`, name);
  return found;
}
