// Google Secret Manager through the `gcloud` CLI (kamal lib/kamal/secrets/adapters/gcp_secret_manager.rb).
// Names are `[project/]secret[/version]` (project `default` = gcloud's configured one, version `latest`); keys are
// `<project>/<secret>`. `--account` is `default`, a user, or `user|sa1@x[,sa2@x]` to impersonate a service account
// chain.
import * as z from "zod";
import { type Adapter, type Fetched, type VendorShell, parseVendorJson, prefixed, vendorError } from "../adapter.ts";
import { split } from "../ruby.ts";
import { shellEscape } from "../shell-words.ts";
import { SextantError } from "../../errors.ts";

const LOGIN = "run `gcloud auth login` (or `gcloud auth activate-service-account`)";
const accounts = z.array(z.unknown());
const version = z.object({ payload: z.object({ data: z.string() }) });

async function loggedIn(sh: VendorShell): Promise<boolean> {
  const result = await sh.run("gcloud auth list --format=json");
  return parseVendorJson(accounts, result.stdout.trim(), "gcloud auth list", LOGIN).length > 0;
}

export const gcpSecretManager: Adapter = {
  requiresAccount: true,
  probe: {
    command: "gcloud --version 2> /dev/null",
    missing: "gcloud CLI is not installed",
    install: "install the Google Cloud CLI: https://cloud.google.com/sdk/docs/install",
  },

  async login(sh) {
    if (await loggedIn(sh)) return undefined;
    await sh.prompt("gcloud auth login");
    if (!(await loggedIn(sh))) throw new SextantError("could not login to gcloud", { hint: LOGIN });
    return undefined;
  },

  async fetch(sh, { names, from, account = "default" }) {
    const bar = account.indexOf("|");
    const user = bar < 0 ? account : account.slice(0, bar);
    const impersonate = bar < 0 ? undefined : account.slice(bar + 1);
    const results: Fetched = new Map();
    for (const name of prefixed(names, from)) {
      const parts = split(name, "/");
      if (parts.length === 1) parts.unshift("default");
      const [project = "", secret = "", secretVersion = "latest"] = parts;
      const line = [
        `gcloud secrets versions access ${shellEscape(secretVersion)} --secret=${shellEscape(secret)}`,
        project === "default" ? undefined : `--project=${shellEscape(project)}`,
        user === "default" ? undefined : `--account=${shellEscape(user)}`,
        impersonate === undefined ? undefined : `--impersonate-service-account=${shellEscape(impersonate)}`,
        "--format=json",
      ];
      const result = await sh.run(line.filter(Boolean).join(" "));
      const key = `${project}/${secret}`;
      if (result.code !== 0)
        throw vendorError(`Could not read ${key} from Google Secret Manager`, result, "check the secret name, project and your access to it");
      const data = parseVendorJson(version, result.stdout.trim(), `gcloud secrets versions access (${key})`, LOGIN).payload.data;
      results.set(key, Buffer.from(data, "base64").toString("utf8"));
    }
    return results;
  },
};
