// Doppler through its `doppler` CLI (kamal lib/kamal/secrets/adapters/doppler.rb). `--from project/config` picks
// where to read; a service token (DOPPLER_TOKEN=dp.st...) already implies both, so no -p/-c is passed then.
import * as z from "zod";
import { type Adapter, type Fetched, parseVendorJson, prefixed, vendorError } from "../adapter.ts";
import { inspectList, split } from "../ruby.ts";
import { shellEscape } from "../shell-words.ts";
import { SextantError } from "../../errors.ts";

const secrets = z.record(z.string(), z.object({ computed: z.string().nullish() }));

export const doppler: Adapter = {
  requiresAccount: false,
  probe: {
    command: "doppler --version 2> /dev/null",
    missing: "Doppler CLI is not installed",
    install: "install the Doppler CLI: https://docs.doppler.com/docs/install-cli",
  },

  async login(sh) {
    if ((await sh.run("doppler me --json 2> /dev/null")).code === 0) return undefined;
    const login = await sh.prompt("doppler login -y");
    if (login.code !== 0) throw vendorError("Failed to login to Doppler", login, "run `doppler login`, or export a DOPPLER_TOKEN");
    return undefined;
  },

  async fetch(sh, { names, from }) {
    const wanted = prefixed(names, from);
    const lastSegments = wanted.map((name) => split(name, "/").at(-1) ?? "");
    // Kamal interpolates the flags even when empty, leaving a trailing space after --json.
    const line = `doppler secrets get ${lastSegments.map(shellEscape).join(" ")} --json ${projectAndConfig(wanted, sh.env.DOPPLER_TOKEN)}`;
    const result = await sh.run(line);
    if (result.code !== 0)
      throw vendorError(`Could not read ${inspectList(wanted)} from Doppler`, result, "check the names and the project/config with `doppler secrets`");
    const results: Fetched = new Map();
    for (const [name, value] of Object.entries(parseVendorJson(secrets, result.stdout, "doppler secrets get", "run `doppler me`")))
      results.set(name, value.computed ?? null);
    return results;
  },
};

function projectAndConfig(names: readonly string[], token: string | undefined): string {
  if (token?.startsWith("dp.st")) return "";
  const [project, config] = split(names[0] ?? "", "/");
  if (project === undefined || config === undefined)
    throw new SextantError("Missing project or config from '--from=project/config' option", {
      hint: "pass --from <project>/<config>, or export a service token as DOPPLER_TOKEN",
    });
  return `-p ${shellEscape(project)} -c ${shellEscape(config)}`;
}
