// `sextant secrets fetch|extract|print` (kamal lib/kamal/cli/secrets.rb). fetch and extract need no config file;
// print loads the config to find the secrets files. Inside .kamal/secrets, `$(kamal secrets ...)` does not come
// through here: src/secrets/inline.ts runs it in-process.
import { Option, type Command } from "commander";
import { loadConfigFor } from "./context.ts";
import type { CliDeps } from "./deps.ts";
import { readGlobals } from "./globals.ts";

type FetchFlags = { adapter: string; account?: string; from?: string; inline?: boolean };

export function registerSecrets(program: Command, deps: CliDeps): void {
  const secrets = program.command("secrets").description("Helpers for extracting secrets");

  secrets
    .command("fetch")
    .description("Fetch secrets from a vault (prints them as JSON)")
    .argument("[secrets...]", "names of the secrets (or items, fields) to fetch")
    .requiredOption("-a, --adapter <name>", "Which vault adapter to use (1password, bitwarden, bitwarden-sm, lastpass, aws_secrets_manager, doppler, gcp, enpass, passbolt)")
    .option("--account <account>", "The account identifier or username")
    .option("--from <from>", "A vault or folder to fetch the secrets from")
    // Kamal's hidden --inline returns the shell-escaped JSON to its caller; here it prints that form.
    .addOption(new Option("--inline").hideHelp())
    .action(async (names: string[], { adapter, account, from, inline }: FetchFlags) => {
      const { fetchSecrets, fetchedJson } = await import("../secrets/fetch.ts");
      const { shellEscape } = await import("../secrets/shell-words.ts");
      const fetched = await fetchSecrets({ adapter, account, from, names, cwd: deps.io.cwd, env: deps.io.env });
      const json = fetchedJson(fetched);
      deps.reporter.result(inline ? shellEscape(json) : json, Object.fromEntries(fetched));
    });

  secrets
    .command("extract")
    .description("Extract a single secret from the results of a fetch call")
    .argument("<name>", "the secret's name, or the last part of its key")
    .argument("<secrets>", "the JSON printed by `secrets fetch`")
    .addOption(new Option("--inline").hideHelp())
    .action(async (name: string, json: string) => {
      const { extractSecret } = await import("../secrets/extract.ts");
      deps.reporter.result(extractSecret(name, json));
    });

  secrets
    .command("print")
    .description("Print the secrets (for debugging)")
    .action(async (_flags: unknown, cmd: Command) => {
      const config = await loadConfigFor(readGlobals(cmd), deps.io, deps.reporter);
      await config.secrets.load();
      const { printSecrets } = await import("../secrets/print.ts");
      const text = printSecrets(config.secrets);
      if (text !== "") deps.reporter.result(text);
    });
}
