/**
 * Turns of the event loop during fit's steps and score's batches. Their ops run on the main thread, so
 * without a turn now and then, timers, I/O, progress output and an abort from a timer would all wait for
 * the whole call. A turn comes after every `everyItems` items, or sooner once `intervalMs` has passed since
 * the last, so that a slow step does not hold the loop for long and a fast one does not pay for turns.
 */
export class EventLoopTurns {
  #items = 0;
  #last = performance.now();

  /** `afterTurn` runs after each turn: what came meanwhile (a dispose()) may stop the work there. */
  constructor(private readonly everyItems = 16, private readonly intervalMs = 20, private readonly afterTurn?: () => void) {}

  /**
   * After one item (a step, a batch): whether the event loop's turn is due. Synchronous, so that an item
   * with no turn after it does not await either: any await lets the caller's code in (a dispose()).
   */
  due(): boolean {
    return ++this.#items % this.everyItems === 0 || performance.now() - this.#last >= this.intervalMs;
  }

  /** Give the event loop its turn: timers, I/O and signals run before this resolves. */
  async take(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    this.#last = performance.now();
    this.afterTurn?.();
  }
}
