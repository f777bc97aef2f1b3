// Bitwarden Secrets Manager through its `bws` CLI (kamal lib/kamal/secrets/adapters/bitwarden_secrets_manager.rb).
// Names are secret ids, or `all` / `<project id>/all` to list every secret (of a project). Keys are the secrets'
// own keys, not the ids asked for. Authentication is the BWS_ACCESS_TOKEN in the environment.
import * as z from "zod";
import { type Adapter, type Fetched, parseVendorJson, prefixed, vendorError } from "../adapter.ts";
import { shellEscape } from "../shell-words.ts";
import { SextantError } from "../../errors.ts";

const secret = z.object({ key: z.string(), value: z.string().nullish() });
const TOKEN = "export BWS_ACCESS_TOKEN with a machine account's access token";

/** `bws secret list [project]` when one name asks for all secrets, else undefined (fetch by id). */
function listCommand(names: readonly string[]): string | undefined {
  const [only] = names;
  if (names.length !== 1 || only === undefined) return undefined;
  if (only === "all") return "secret list";
  if (only.endsWith("/all")) return `secret list ${shellEscape(only.split("/all")[0] ?? "")}`;
  return undefined;
}

export const bitwardenSecretsManager: Adapter = {
  requiresAccount: false,
  probe: {
    command: "bws --version 2> /dev/null",
    missing: "Bitwarden Secrets Manager CLI is not installed",
    install: "install the Bitwarden Secrets Manager CLI (`bws`): https://bitwarden.com/help/secrets-manager-cli/",
  },

  async login(sh) {
    const result = await sh.run("bws project list");
    if (result.code !== 0)
      throw vendorError("Could not authenticate to Bitwarden Secrets Manager. Did you set a valid access token?", result, TOKEN);
    return undefined;
  },

  async fetch(sh, { names, from }) {
    if (names.length === 0)
      throw new SextantError("You must specify what to retrieve from Bitwarden Secrets Manager", {
        hint: "pass secret ids, `all`, or `all` with --from <project id>",
      });
    const ids = prefixed(names, from);
    const results: Fetched = new Map();
    const list = listCommand(ids);
    if (list !== undefined) {
      const result = await sh.run(`bws ${list}`);
      if (result.code !== 0)
        throw vendorError("Could not read secrets from Bitwarden Secrets Manager", result, `run \`bws ${list}\` to see why`);
      for (const s of parseVendorJson(z.array(secret), result.stdout, `bws ${list}`, TOKEN)) results.set(s.key, s.value ?? null);
      return results;
    }
    for (const id of ids) {
      const result = await sh.run(`bws secret get ${shellEscape(id)}`);
      if (result.code !== 0)
        throw vendorError(`Could not read ${id} from Bitwarden Secrets Manager`, result, "check the secret id and the access token's project access");
      const s = parseVendorJson(secret, result.stdout, `bws secret get ${id}`, TOKEN);
      results.set(s.key, s.value ?? null);
    }
    return results;
  },
};
