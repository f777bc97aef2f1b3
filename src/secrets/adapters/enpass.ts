// Enpass through `enpass-cli` (kamal lib/kamal/secrets/adapters/enpass.rb). Enpass is an offline vault: `--from`
// is the vault's path and is not prefixed to names. A name is an item title (all its passwords) or `Title/Label`.
import * as z from "zod";
import { type Adapter, type Fetched, parseVendorJson, vendorError } from "../adapter.ts";
import { shellEscape } from "../shell-words.ts";
import { SextantError } from "../../errors.ts";

const entries = z.array(z.object({ title: z.string().nullish(), label: z.string().nullish(), password: z.string().nullish() }));

/** `Title/Label` -> `Title`, `Title` -> `Title` (Kamal's rpartition on the last slash), without repeats. */
const titles = (names: readonly string[]): string[] =>
  [...new Set(names.map((name) => (name.lastIndexOf("/") < 0 ? name : name.slice(0, name.lastIndexOf("/")))))];

export const enpass: Adapter = {
  requiresAccount: false,
  probe: {
    command: "enpass-cli version 2> /dev/null",
    missing: "Enpass CLI is not installed",
    install: "install enpass-cli: https://github.com/hazcod/enpass-cli",
  },

  async login() {
    return undefined;
  },

  async fetch(sh, { names, from }) {
    if (from === undefined)
      throw new SextantError("Enpass needs --from <vault path>", { hint: "pass the path of the Enpass vault directory with --from" });
    const line = `enpass-cli -json -vault ${shellEscape(from)} show ${titles(names).map(shellEscape).join(" ")}`;
    const result = await sh.run(line);
    // Kamal ignores the exit status here and then fails on the JSON; a failed read says so instead.
    if (result.code !== 0) throw vendorError(`Could not read ${names.join(", ")} from the Enpass vault ${from}`, result, "check the vault path and item titles");
    const results: Fetched = new Map();
    for (const { title, label, password } of parseVendorJson(entries, result.stdout.trim(), "enpass-cli show", "check the vault path")) {
      if (title === null || title === undefined || !password?.trim()) continue;
      const key = [title, label].filter((part) => part !== null && part !== undefined && part !== "").join("/");
      if (!names.includes(title) && !names.includes(key)) continue;
      if (results.has(key))
        throw new SextantError(`${key} is present more than once`, { hint: "give the Enpass fields distinct labels" });
      results.set(key, password);
    }
    return results;
  },
};
