import type { Event } from "./events.ts";
import { EventReporter } from "./json.ts";

/** A Reporter that keeps its events in memory, for flow tests: assert on `events` instead of terminal text. */
export class MemoryReporter extends EventReporter {
  readonly events: Event[] = [];
  constructor(clock: () => Date = () => new Date(0)) {
    const events: Event[] = [];
    super((e) => events.push(e), clock);
    this.events = events;
  }
}
