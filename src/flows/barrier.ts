// The primary-role barrier (kamal-on-host.md §10.2): other roles boot only after the first primary-role container
// of this boot is healthy. The first result decides; later ones change nothing.
export class Barrier {
  #decided: ((open: boolean) => void) | undefined;
  readonly #result: Promise<boolean>;
  constructor() {
    this.#result = new Promise((resolve) => (this.#decided = resolve));
  }
  open(): void {
    this.#decided?.(true);
  }
  close(): void {
    this.#decided?.(false);
  }
  /** Resolves true once opened, false once closed. */
  wait(): Promise<boolean> {
    return this.#result;
  }
}
