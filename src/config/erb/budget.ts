// Ruby runs whatever loop a template writes (10^8 iterations take it about 3 s). Real deploy.yml templates loop
// over a handful of hosts or env names, so sextant stops a template long before it could hang a run or exhaust
// memory, and says which tag it stopped in.

/** Loop iterations and range elements a whole template may use. */
export const ITERATION_BUDGET = 1_000_000;

/** Not a RubyError: a `rescue` modifier in the template must not swallow it. */
export class BudgetExceeded extends Error {
  constructor(what: string) {
    super(`${what}: more than the ${ITERATION_BUDGET.toLocaleString("en-US")} loop iterations sextant evaluates in a template`);
  }
}

/** Counts iterations across the whole template. */
export class IterationBudget {
  #left = ITERATION_BUDGET;

  spend(count: number, what: string): void {
    this.#left -= count;
    if (this.#left < 0) throw new BudgetExceeded(what);
  }
}

/** The length of a list to build (0 for a negative count), refused before allocating when over the budget. */
export function checkSize(count: bigint, what: string): number {
  if (count > BigInt(ITERATION_BUDGET)) throw new BudgetExceeded(what);
  return Math.max(0, Number(count));
}
