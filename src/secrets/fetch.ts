// `kamal secrets fetch`: probe the vendor CLI, sign in, fetch (kamal lib/kamal/secrets/adapters/base.rb), and
// print the result as compact JSON (kamal lib/kamal/cli/secrets.rb).
import { UsageError, SextantError } from "../errors.ts";
import { shellCapture } from "../exec/local.ts";
import type { Environment, Fetched, Runner, VendorShell } from "./adapter.ts";
import { lookupAdapter } from "./lookup.ts";

export type FetchOptions = {
  readonly adapter: string;
  readonly account?: string | undefined;
  readonly from?: string | undefined;
  readonly names: readonly string[];
  /** where vendor CLIs run and what environment they see; default: this process's */
  readonly cwd?: string | undefined;
  readonly env?: Environment | undefined;
};

export async function fetchSecrets(options: FetchOptions, runner: Runner = shellCapture): Promise<Fetched> {
  const adapter = lookupAdapter(options.adapter);
  const account = options.account;
  if (adapter.requiresAccount && !account?.trim())
    throw new UsageError("No value provided for required options '--account'", {
      hint: `the ${options.adapter} adapter needs --account (the account, email or user to sign in as)`,
    });
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const sh: VendorShell = { env, run: (line) => runner(line, { cwd, env }), prompt: (line) => runner(line, { cwd, env, interactive: true }) };
  if (adapter.probe && (await sh.run(adapter.probe.command)).code !== 0)
    throw new SextantError(adapter.probe.missing, { hint: adapter.probe.install });
  const session = await adapter.login(sh, account);
  return adapter.fetch(sh, { names: options.names, from: options.from, account, session });
}

/** Ruby's `JSON.dump` of the fetched hash: compact, in the vendor's order (a JS object would sort numeric keys). */
export function fetchedJson(fetched: Fetched): string {
  return `{${[...fetched].map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`).join(",")}}`;
}
