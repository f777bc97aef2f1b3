import { missingSecrets, type SecretUse } from "../config/secrets-preflight.ts";
import { ConfigError } from "../errors.ts";
import type { Context } from "./context.ts";

/**
 * Fails with every secret `use` needs that no secrets file sets (exit 2), before anything is sent; flows call it
 * first, so a dry run checks exactly what the real run would.
 */
export async function requireSecrets(ctx: Context, use: SecretUse): Promise<void> {
  const { secrets } = ctx.config;
  await secrets.load();
  const issues = missingSecrets(ctx.config, use, { has: (name) => secrets.all().has(name), files: secrets.files });
  if (issues.length > 0) throw new ConfigError(issues);
}

/** Each selected app host with each selected role it runs: what booting the app touches. */
export const selectedRoles = (ctx: Context): SecretUse["roles"] =>
  ctx.selection.appHosts.flatMap((host) => ctx.selection.rolesOnHost(host).map((role) => ({ host, role })));
