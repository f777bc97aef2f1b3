/**
 * A counting semaphore: at most `size` holders at once, the rest wait in arrival order. Used for SSH handshakes
 * (sshkit.max_concurrent_starts), channels per connection (sshd's MaxSessions) and host concurrency.
 */
export class Limit {
  readonly #size: number;
  #active = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(size: number) {
    this.#size = Math.max(1, size);
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    await this.#acquire();
    try {
      return await work();
    } finally {
      this.#release();
    }
  }

  #acquire(): Promise<void> {
    if (this.#active < this.#size) {
      this.#active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  #release(): void {
    const next = this.#waiting.shift();
    // the slot passes straight to the next waiter, so #active stays the same
    if (next) next();
    else this.#active--;
  }
}
