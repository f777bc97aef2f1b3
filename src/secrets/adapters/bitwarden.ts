// Bitwarden through its `bw` CLI (kamal lib/kamal/secrets/adapters/bitwarden.rb). Names are `item` (the login
// password) or `item/field` (a custom field). A session from `bw unlock --raw` travels as BW_SESSION=... in front
// of each command, exactly as Kamal writes it.
import * as z from "zod";
import { type Adapter, type Fetched, type VendorShell, parseVendorJson, prefixed, vendorError } from "../adapter.ts";
import { split } from "../ruby.ts";
import { shellEscape } from "../shell-words.ts";
import { SextantError } from "../../errors.ts";

const UNLOCK = "run `bw login` and `bw unlock`, then export the printed BW_SESSION";
const status = z.object({ status: z.string() });
const item = z.object({
  login: z.object({ password: z.string().nullish() }).nullish(),
  fields: z.array(z.object({ name: z.string(), value: z.string().nullish() })).nullish(),
});

const bw = (command: string, session?: string) =>
  [session === undefined ? undefined : `BW_SESSION=${shellEscape(session)}`, "bw", command].filter(Boolean).join(" ");

async function currentStatus(sh: VendorShell, session?: string): Promise<string> {
  const result = await sh.run(bw("status", session));
  return parseVendorJson(status, result.stdout.trim(), "bw status", UNLOCK).status;
}

export const bitwarden: Adapter = {
  requiresAccount: true,
  probe: {
    command: "bw --version 2> /dev/null",
    missing: "Bitwarden CLI is not installed",
    install: "install the Bitwarden CLI (`bw`): https://bitwarden.com/help/cli/",
  },

  async login(sh, account) {
    let state = await currentStatus(sh);
    if (state === "unauthenticated") {
      await sh.prompt(bw(`login ${shellEscape(account ?? "")}`));
      state = await currentStatus(sh);
    }
    // Kamal only keeps a session that came from `bw unlock`; the token `bw login` prints is ignored.
    let session: string | undefined;
    if (state === "locked") {
      session = (await sh.prompt(bw("unlock --raw"))).stdout.trim() || undefined;
      state = await currentStatus(sh, session);
    }
    if (state !== "unlocked") throw new SextantError("Failed to login to and unlock Bitwarden", { hint: UNLOCK });
    const sync = await sh.run(bw("sync", session));
    if (sync.code !== 0) throw vendorError("Failed to sync Bitwarden", sync, "run `bw sync` to see why it fails");
    return session;
  },

  async fetch(sh, { names, from, session }) {
    const results: Fetched = new Map();
    for (const [name, fields] of fieldsByItem(prefixed(names, from))) {
      const result = await sh.run(bw(`get item ${shellEscape(name)}`, session));
      if (result.code !== 0)
        throw vendorError(`Could not read ${name} from Bitwarden`, result, `check the item exists: \`bw get item ${shellEscape(name)}\``);
      const json = parseVendorJson(item, result.stdout.trim(), `bw get item ${name}`, UNLOCK);
      // Kamal's `fields.any?` ignores the nil a bare `item` name adds, but then looks up every entry.
      if (fields.some((f) => f !== undefined)) addFields(results, name, fields, json);
      else if (json.login?.password !== undefined && json.login.password !== null) results.set(name, json.login.password);
      else if (json.fields && json.fields.length > 0) addFields(results, name, json.fields.map((f) => f.name), json);
      else
        throw new SextantError(`Item ${name} is not a login type item and no fields were specified`, {
          hint: `name the custom fields to read, e.g. ${name}/FIELD`,
        });
    }
    return results;
  },
};

/** item -> requested fields, `undefined` standing for "the item itself" (Kamal's `item, field = name.split("/")`). */
function fieldsByItem(names: readonly string[]): Map<string, (string | undefined)[]> {
  const items = new Map<string, (string | undefined)[]>();
  for (const name of names) {
    const [itemName = "", field] = split(name, "/");
    items.set(itemName, [...(items.get(itemName) ?? []), field]);
  }
  return items;
}

function addFields(results: Fetched, name: string, fields: readonly (string | undefined)[], json: z.infer<typeof item>) {
  for (const field of fields) {
    const found = json.fields?.find((f) => f.name === field);
    if (!found)
      throw new SextantError(`Could not find field ${field ?? ""} in item ${name} in Bitwarden`, {
        hint: `check the custom field names of ${name}: \`bw get item ${shellEscape(name)}\``,
      });
    results.set(`${name}/${field ?? ""}`, found.value ?? null);
  }
}
