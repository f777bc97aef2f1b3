// 1Password through its `op` CLI (kamal lib/kamal/secrets/adapters/one_password.rb).
// Names are `vault/item[/section]/field` (an `op://` prefix is allowed, the field defaults to `password`); the
// fields of one item are read with a single `op item get`.
import * as z from "zod";
import { escape } from "../../commands/escape.ts";
import { type Adapter, type Fetched, type VendorShell, parseVendorJson, prefixed, vendorError } from "../adapter.ts";
import { split } from "../ruby.ts";
import { shellEscape } from "../shell-words.ts";
import { SextantError } from "../../errors.ts";

const field = z.object({ reference: z.string(), value: z.string().nullish() });
const fieldList = z.union([z.array(field), field.transform((f) => [f])]);
const wholeItem = z.object({ fields: z.array(field) });

const SIGN_IN = "sign in with `op signin --account <account>`, or turn on the 1Password app's CLI integration";

/** Kamal's `optionize` of a hash: `--key "escaped value"`, or a bare `--key` for true; unset keys are dropped. */
const options = (pairs: Record<string, string | true | undefined>): string =>
  Object.entries(pairs)
    .filter((pair): pair is [string, string | true] => pair[1] !== undefined)
    .map(([key, value]) => (value === true ? `--${key}` : `--${key} ${escape(value)}`))
    .join(" ");

export const onePassword: Adapter = {
  requiresAccount: true,
  probe: {
    command: "op --version 2> /dev/null",
    missing: "1Password CLI is not installed",
    install: "install the 1Password CLI (`op`): https://developer.1password.com/docs/cli/get-started/",
  },

  async login(sh, account) {
    if ((await sh.run(`op account get --account ${shellEscape(account ?? "")} 2> /dev/null`)).code === 0) return undefined;
    const signin = await sh.prompt(`op signin ${options({ account, force: true, raw: true })}`);
    if (signin.code !== 0) throw vendorError("Failed to login to 1Password", signin, SIGN_IN);
    // `op signin --raw` prints the token and a newline; Kamal keeps the newline, which would corrupt --session.
    return signin.stdout.trim() || undefined;
  },

  async fetch(sh, { names, from, account, session }) {
    const results: Fetched = new Map();
    if (names.length === 0) {
      if (from === undefined)
        throw new SextantError("1Password needs --from to fetch all fields of an item", {
          hint: "name the item, e.g. `--from op://Vault/Item`, or list the fields to fetch",
        });
      const [vault = "", item = ""] = split(from.replace(/^op:\/\//, ""), "/");
      const json = await itemGet(sh, vault, item, [], account, session);
      for (const f of parseVendorJson(wholeItem, json, `op item get ${item}`, SIGN_IN).fields) add(results, f);
      return results;
    }
    for (const [vault, items] of groupByVaultAndItem(prefixed(names, from))) {
      for (const [item, fields] of items) {
        const json = await itemGet(sh, vault, item, fields, account, session);
        for (const f of parseVendorJson(fieldList, json, `op item get ${item}`, SIGN_IN)) add(results, f);
      }
    }
    return results;
  },
};

/** The key Kamal gives a field: its reference without `op://` and without a trailing `/password`. */
function add(results: Fetched, f: z.infer<typeof field>): void {
  results.set(f.reference.replace(/^op:\/\//, "").replace(/\/password$/, ""), f.value ?? null);
}

/** vault -> item -> field labels (`section.field`), in the order first named. */
function groupByVaultAndItem(names: readonly string[]): Map<string, Map<string, string[]>> {
  const vaults = new Map<string, Map<string, string[]>>();
  for (const name of names) {
    const [vault = "", item = "", ...path] = split(name.replace(/^op:\/\//, ""), "/");
    const items = vaults.get(vault) ?? new Map<string, string[]>();
    vaults.set(vault, items);
    items.set(item, [...(items.get(item) ?? []), path.length === 0 ? "password" : path.join(".")]);
  }
  return vaults;
}

async function itemGet(
  sh: VendorShell, vault: string, item: string, fields: readonly string[], account?: string, session?: string,
): Promise<string> {
  const labels = fields.length > 0 ? fields.map((f) => `label=${f}`).join(",") : undefined;
  const opts = options({ vault, format: "json", account, session, fields: labels });
  const result = await sh.run(`op item get ${shellEscape(item)} ${opts}`);
  if (result.code !== 0) {
    const what = fields.length > 0 ? `${fields.join(", ")} ` : "";
    throw vendorError(`Could not read ${what}from ${item} in the ${vault} 1Password vault`, result,
      `check that the item exists and has those fields: \`op item get ${shellEscape(item)} --vault ${escape(vault)}\``);
  }
  return result.stdout;
}
