// AWS Secrets Manager through the `aws` CLI (kamal lib/kamal/secrets/adapters/aws_secrets_manager.rb). `--account`
// is an optional AWS profile. A secret holding a JSON object expands to one key per field, `<name>/<field>`.
import * as z from "zod";
import { type Adapter, type Fetched, parseVendorJson, prefixed, vendorError } from "../adapter.ts";
import { shellEscape } from "../shell-words.ts";
import { SextantError } from "../../errors.ts";

const batch = z.object({
  SecretValues: z.array(z.object({ Name: z.string(), SecretString: z.string() })).nullish(),
  Errors: z.array(z.object({ SecretId: z.string(), Message: z.string() })).nullish(),
});

const CREDENTIALS = "check your AWS credentials and region: `aws sts get-caller-identity`";

/** Kamal's stringify_secret_value: strings as they are, anything else as compact JSON. */
const text = (value: unknown): string => (typeof value === "string" ? value : JSON.stringify(value));

export const awsSecretsManager: Adapter = {
  requiresAccount: false,
  probe: {
    command: "aws --version 2> /dev/null",
    missing: "AWS CLI is not installed",
    install: "install the AWS CLI: https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html",
  },

  async login() {
    return undefined;
  },

  async fetch(sh, { names, from, account }) {
    const ids = prefixed(names, from);
    const profile = account === undefined ? [] : ["--profile", shellEscape(account)];
    const line = ["aws", "secretsmanager", "batch-get-secret-value", "--secret-id-list", ...ids.map(shellEscape), ...profile, "--output", "json"];
    const result = await sh.run(line.join(" "));
    if (result.code !== 0) throw vendorError(`Could not read ${ids.join(", ")} from AWS Secrets Manager`, result, CREDENTIALS);
    const json = parseVendorJson(batch, result.stdout, "aws secretsmanager batch-get-secret-value", CREDENTIALS);
    if (json.Errors && json.Errors.length > 0)
      throw new SextantError(json.Errors.map((e) => `${e.SecretId}: ${e.Message}`).join(" "), {
        hint: "check the secret names (or ARNs) and the region of your AWS profile",
      });
    const results: Fetched = new Map();
    for (const { Name, SecretString } of json.SecretValues ?? []) {
      let value: unknown;
      try {
        value = JSON.parse(SecretString);
      } catch {
        results.set(Name, SecretString);
        continue;
      }
      if (value !== null && typeof value === "object" && !Array.isArray(value))
        for (const [key, field] of Object.entries(value)) results.set(`${Name}/${key}`, text(field));
      else results.set(Name, text(value));
    }
    return results;
  },
};
