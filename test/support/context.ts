import type { Config } from "../../src/config/model.ts";
import { select, type SelectionFlags } from "../../src/config/selection.ts";
import { Recorder, type Answer } from "../../src/exec/recorder.ts";
import type { Context, RunFlags } from "../../src/flows/context.ts";
import { MemoryReporter } from "../../src/output/memory.ts";

/** A Context over the Recorder executor with a fixed clock, identity and randomness, for flow tests. */
export function testContext(config: Config, opts: { answers?: readonly Answer[]; flags?: Partial<RunFlags>; select?: SelectionFlags; holdsLock?: boolean } = {}) {
  const report = new MemoryReporter();
  const recorder = new Recorder({ answers: opts.answers });
  let hex = 0;
  const ctx: Context = {
    config,
    selection: select(config, opts.select),
    ex: recorder,
    report,
    signal: new AbortController().signal,
    cwd: process.cwd(),
    now: () => new Date("2026-03-04T05:06:07Z"),
    randomHex: (bytes) => (++hex).toString(16).padStart(bytes * 2, "0"),
    identity: async () => ({ name: "Deployer", email: "deployer@example.com" }),
    options: {
      verbose: false, quiet: false, skipHooks: true, dryRun: false, command: "deploy", subcommand: undefined,
      lockWait: { enabled: false, timeout: 900, interval: 15, staleAfter: 300 }, ...opts.flags,
    },
    runner: { machine: "deployer-laptop", pid: 4242, isRunning: () => true },
    state: { holdsLock: opts.holdsLock ?? false, preConnectDone: false },
  };
  return { ctx, recorder, report };
}
