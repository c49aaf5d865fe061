/**
 * Progress for long work: percent, count, speed, ETA and the latest metrics.
 *
 *   const bar = progress({ total: batches, label: 'epoch 3' });
 *   for (...) { ...; bar.tick(1, { loss }); }
 *   bar.done();
 *
 * On a terminal it redraws one line in place, at most every `redrawMs`. Elsewhere
 * (CI logs, files) it prints a plain line each `plainEveryPercent` percent or
 * `plainEverySeconds`, whichever comes first, and a last line from `done()`.
 * `tick` only adds, stores and compares unless a line is due, so it is safe in
 * tight loops.
 */
import { invalidArgument } from '../errors.js';

export type Metrics = Readonly<Record<string, number | string>>;

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressOptions {
  /** Number of items; leave out when unknown (no percent or ETA then). */
  total?: number;
  label?: string;
  /** Unit for the speed: `it/s` by default. */
  unit?: string;
  /** Where to draw; process.stderr by default so stdout stays clean for results. */
  stream?: ProgressStream;
  /** Draw nothing (tick still counts). */
  silent?: boolean;
  redrawMs?: number;
  plainEveryPercent?: number;
  plainEverySeconds?: number;
  /** Milliseconds clock; tests pass a fake one. */
  now?: () => number;
  /** When the work began, on that clock, if before the bar was made (a bar made at the first item's end). */
  startedAt?: number;
}

export interface Progress {
  /** Add `n` finished items (default 1) and remember `metrics` for display. */
  tick(n?: number, metrics?: Metrics): void;
  /** Print a line without garbling the bar. */
  log(line: string): void;
  /** Draw the final line; later calls do nothing. */
  done(metrics?: Metrics): void;
  readonly count: number;
}

export function progress(options: ProgressOptions = {}): Progress {
  const { total } = options;
  if (total !== undefined && !(Number.isFinite(total) && total >= 0)) {
    throw invalidArgument('total', 'a finite number >= 0 (or leave it out when unknown)', total);
  }
  return new Bar(options);
}

class Bar implements Progress {
  count = 0;
  private metrics: Metrics | undefined;
  private finished = false;
  private readonly stream: ProgressStream;
  private readonly tty: boolean;
  private readonly now: () => number;
  private readonly start: number;
  private readonly total: number | undefined;
  private readonly intervalMs: number;
  private readonly stepCount: number;
  private nextTime: number;
  private nextCount: number;

  constructor(private readonly options: ProgressOptions) {
    this.stream = options.stream ?? process.stderr;
    this.tty = Boolean(this.stream.isTTY);
    this.now = options.now ?? performance.now.bind(performance);
    this.start = options.startedAt ?? this.now();
    this.total = options.total;
    this.intervalMs = this.tty ? (options.redrawMs ?? 100) : (options.plainEverySeconds ?? 30) * 1000;
    const percent = options.plainEveryPercent ?? 10;
    this.stepCount = this.total && !this.tty ? Math.max(1, (this.total * percent) / 100) : Infinity;
    this.nextTime = this.start + this.intervalMs;
    this.nextCount = this.stepCount;
    this.finished = Boolean(options.silent);
  }

  tick(n = 1, metrics?: Metrics): void {
    this.count += n;
    if (metrics !== undefined) this.metrics = metrics;
    if (this.finished) return;
    // A plain percent line at 100% would repeat done()'s line, so steps stop short of the total.
    const stepDue = this.count >= this.nextCount && this.count < (this.total ?? Infinity);
    if (!stepDue && this.now() < this.nextTime) return;
    this.draw(this.now());
  }

  log(line: string): void {
    if (this.options.silent) return;
    if (this.tty && !this.finished) {
      this.stream.write(`\r\x1b[K${line}\n`);
      this.draw(this.now());
    } else {
      this.stream.write(`${line}\n`);
    }
  }

  done(metrics?: Metrics): void {
    if (this.finished) return;
    if (metrics !== undefined) this.metrics = metrics;
    this.finished = true;
    const time = this.now();
    this.stream.write(this.tty ? `\r${this.fit(time, true)}\x1b[K\n` : `${this.line(time, true, false)}\n`);
  }

  private draw(time: number): void {
    this.stream.write(this.tty ? `\r${this.fit(time, false)}\x1b[K` : `${this.line(time, false, false)}\n`);
    this.nextTime = time + this.intervalMs;
    while (this.nextCount <= this.count) this.nextCount += this.stepCount;
  }

  /** `label [=====>    ]  45% 450/1000  123 it/s  eta 0:04  loss=0.0123` */
  private line(time: number, final: boolean, graphic: boolean): string {
    const seconds = Math.max(1e-9, (time - this.start) / 1000);
    const rate = this.count / seconds;
    const parts: string[] = [];
    if (this.options.label) parts.push(this.options.label);
    if (this.total !== undefined) {
      const fraction = this.total === 0 ? 1 : Math.min(1, this.count / this.total);
      if (graphic) parts.push(drawBar(fraction, 20));
      parts.push(`${Math.floor(fraction * 100).toString().padStart(3)}%`, `${this.count}/${this.total}`);
    } else {
      parts.push(String(this.count));
    }
    parts.push(`${formatRate(rate)} ${this.options.unit ?? 'it'}/s`);
    if (final) parts.push(`in ${formatDuration(seconds)}`);
    else if (this.total !== undefined && rate > 0) parts.push(`eta ${formatDuration(Math.max(0, this.total - this.count) / rate)}`);
    if (this.metrics) {
      for (const [name, value] of Object.entries(this.metrics)) parts.push(`${name}=${formatMetric(value)}`);
    }
    return parts.join('  ');
  }

  /**
   * Keep a redrawn line on one terminal row, or `\r` cannot erase it: drop the
   * bar graphic first (the numbers and metrics matter more), then cut the end.
   */
  private fit(time: number, final: boolean): string {
    const columns = this.stream.columns ?? Infinity;
    const full = this.line(time, final, true);
    if (full.length < columns) return full;
    const bare = this.line(time, final, false);
    return bare.length < columns ? bare : bare.slice(0, columns - 1).trimEnd();
  }
}

function drawBar(fraction: number, width: number): string {
  const filled = Math.floor(fraction * width);
  const head = filled < width ? '>' : '';
  return `[${'='.repeat(filled)}${head}${' '.repeat(Math.max(0, width - filled - head.length))}]`;
}

export function formatRate(rate: number): string {
  if (rate >= 100) return rate.toFixed(0);
  if (rate >= 10) return rate.toFixed(1);
  return rate.toFixed(2);
}

/** `4.2s`, `1:05`, `2:03:04`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const whole = Math.round(seconds);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = String(whole % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** Four significant digits, no trailing zeros; exponent form for tiny or huge values. */
export function formatMetric(value: number | string): string {
  if (typeof value === 'string' || Number.isInteger(value) || !Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e6)) return value.toExponential(3);
  return String(Number(value.toPrecision(4)));
}
