/**
 * A clean stop on SIGINT, SIGTERM or SIGHUP for a command whose output is worth keeping when it is stopped:
 * a live recording scored online ends with Ctrl-C (or `docker stop`), and its rows so far are the result.
 * The first signal aborts `signal`; the command finishes the item in hand, keeps what it wrote and returns
 * `exitCode()`, as a process killed by that signal would report it (130 for SIGINT).
 */
import { constants } from 'node:os';

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
type StopSignal = (typeof STOP_SIGNALS)[number];

/**
 * The launcher in bin/ passes a Ctrl-C on to the command as the terminal also delivers it, so one key press
 * can arrive twice within moments; a signal this long after the first one is the user insisting.
 */
const INSISTING_AFTER_MS = 1000;

export interface StopSignals {
  /** Aborted by the first stop signal. */
  readonly signal: AbortSignal;
  /** The signal that stopped the command, if one did. */
  readonly stoppedBy: StopSignal | undefined;
  /** The exit status a process killed by that signal reports: 128 + its number. */
  exitCode(): number;
  /** Give the signals back their default action (termination). */
  dispose(): void;
}

export function stopOnSignals(): StopSignals {
  const controller = new AbortController();
  let first: { signal: StopSignal; at: number } | undefined;
  const onSignal = (signal: StopSignal) => {
    if (first === undefined) {
      first = { signal, at: Date.now() };
      controller.abort(signal);
    } else if (Date.now() - first.at >= INSISTING_AFTER_MS) {
      dispose();
      process.kill(process.pid, signal); // the default action now: stop at once
    }
  };
  const dispose = () => {
    for (const name of STOP_SIGNALS) process.off(name, onSignal);
  };
  for (const name of STOP_SIGNALS) process.on(name, onSignal);
  return {
    signal: controller.signal,
    get stoppedBy() {
      return first?.signal;
    },
    exitCode: () => (first === undefined ? 0 : 128 + constants.signals[first.signal]),
    dispose,
  };
}
