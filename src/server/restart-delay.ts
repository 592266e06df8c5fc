/**
 * How long the primary waits before replacing a worker that died. A worker that dies soon after it
 * started (a store that cannot be opened, a broken deployment) would die again at once, and replacing
 * it at once would spin both cores on starts; the wait doubles while that goes on. A worker that ran
 * for a while before it died is replaced at once.
 */
export class RestartDelay {
  #nextMs: number;

  constructor(
    private readonly firstMs = 100,
    private readonly longestMs = 30_000,
    /** A worker that lived this long was healthy: its death starts the doubling afresh. */
    private readonly healthyAfterMs = 30_000,
  ) {
    this.#nextMs = firstMs;
  }

  /** The wait before replacing a worker that started at `startedAt` and died at `diedAt`. */
  after(startedAt: number, diedAt: number): number {
    if (diedAt - startedAt >= this.healthyAfterMs) {
      this.#nextMs = this.firstMs;
      return 0;
    }
    const wait = this.#nextMs;
    this.#nextMs = Math.min(this.#nextMs * 2, this.longestMs);
    return wait;
  }
}
