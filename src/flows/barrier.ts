// The primary-role barrier (kamal-on-host.md §10.2): other roles boot only after the first primary-role container
// of this boot is healthy. The first result decides; later ones change nothing.
export class Barrier {
  #decided: ((open: boolean) => void) | undefined;
  readonly #result: Promise<boolean>;
  constructor() {
    this.#result = new Promise((resolve) => (this.#decided = resolve));
  }
  /** Opens the barrier; true when this call decided it (the first healthy container), false when it was decided. */
  open(): boolean {
    return this.#decide(true);
  }
  /** Closes the barrier; true when this call decided it. */
  close(): boolean {
    return this.#decide(false);
  }
  #decide(open: boolean): boolean {
    const decide = this.#decided;
    this.#decided = undefined;
    decide?.(open);
    return decide !== undefined;
  }
  /** Resolves true once opened, false once closed. */
  wait(): Promise<boolean> {
    return this.#result;
  }
}
