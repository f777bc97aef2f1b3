// The secret env file docker reads with --env-file (kamal lib/kamal/env_file.rb). Docker takes each line
// literally, so ASCII runs are Ruby-dumped without the surrounding quotes and with `"` and `#` left as they are;
// non-ASCII runs pass through raw.
import type { Secret } from "../config/secret.ts";
import { rubyDump } from "./escape.ts";

const escapeLine = (value: string): string =>
  (value.match(/[\x00-\x7f]+|[^\x00-\x7f]+/g) ?? [])
    .map((run) => (/^[\x00-\x7f]/.test(run) ? rubyDump(run).slice(1, -1).replaceAll('\\"', '"').replaceAll("\\#", "#") : run))
    .join("");

/**
 * `NAME=value\n` per secret; a lone newline when there are none (an empty upload would make SSHKit warn).
 * It reads the secret values to compose the body, which the caller keeps wrapped in a Secret.
 */
export function envFileBody(secrets: ReadonlyArray<readonly [name: string, value: Secret]>): string {
  const body = secrets.map(([name, value]) => `${name}=${escapeLine(value.reveal())}\n`).join("");
  return body === "" ? "\n" : body;
}
