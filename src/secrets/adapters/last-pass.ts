// LastPass through its `lpass` CLI (kamal lib/kamal/secrets/adapters/last_pass.rb). Names are item names, with
// their folder (`Folder/Item`); keys are the items' full names.
import * as z from "zod";
import { type Adapter, type Fetched, parseVendorJson, prefixed, vendorError } from "../adapter.ts";
import { inspectList } from "../ruby.ts";
import { shellEscape } from "../shell-words.ts";
import { SextantError } from "../../errors.ts";

const items = z.array(z.object({ fullname: z.string(), password: z.string().nullish() }));

export const lastPass: Adapter = {
  requiresAccount: true,
  probe: {
    command: "lpass --version 2> /dev/null",
    missing: "LastPass CLI is not installed",
    install: "install the LastPass CLI (`lpass`): https://github.com/lastpass/lastpass-cli",
  },

  async login(sh, account = "") {
    const status = await sh.run("lpass status --color never");
    if (status.stdout.trim() === `Logged in as ${account}.`) return undefined;
    const login = await sh.prompt(`lpass login ${shellEscape(account)}`);
    if (login.code !== 0) throw vendorError("Failed to login to LastPass", login, `run \`lpass login ${shellEscape(account)}\``);
    return undefined;
  },

  async fetch(sh, { names, from }) {
    const wanted = prefixed(names, from);
    const result = await sh.run(`lpass show ${wanted.map(shellEscape).join(" ")} --json`);
    if (result.code !== 0)
      throw vendorError(`Could not read ${inspectList(wanted)} from LastPass`, result, "check the item names with `lpass ls`");
    const results: Fetched = new Map();
    for (const i of parseVendorJson(items, result.stdout, "lpass show", "run `lpass status`")) results.set(i.fullname, i.password ?? null);
    const missing = wanted.filter((name) => !results.has(name));
    if (missing.length > 0)
      throw new SextantError(`Could not find ${missing.join(", ")} in LastPass`, {
        hint: "use the full name with its folder, as `lpass ls` shows it",
      });
    return results;
  },
};
