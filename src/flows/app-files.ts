// Files a host needs before a role boots (kamal-on-host.md §13–15): error pages for kamal-proxy, the role's assets
// extracted from the new image and merged with the old version's, and custom TLS certificates.
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import * as app from "../commands/app.ts";
import * as assets from "../commands/app-assets.ts";
import * as appProxy from "../commands/app-proxy.ts";
import { errorPagesDirectory } from "../commands/names.ts";
import { hasCustomCertificate } from "../commands/proxy-args.ts";
import { cmd } from "../commands/shell.ts";
import type { Role } from "../config/model.ts";
import type { ScriptStep } from "../exec/executor.ts";
import type { RoleState } from "./boot.ts";
import type { Context } from "./context.ts";

const ERROR_PAGE = /^[45]\d\d\.html$/;

export async function uploadAppFiles(ctx: Context, host: string, roles: readonly Role[], states: ReadonlyMap<Role, RoleState>): Promise<void> {
  const { config } = ctx;
  const steps: ScriptStep[] = [];
  for (const role of roles) {
    if (!app.hasAssets(role)) continue;
    steps.push({ cmd: assets.extractAssets(config, role) }, { cmd: assets.syncAssetVolumes(config, role, { oldVersion: states.get(role)?.oldVersion }) });
  }
  const pages = config.errorPagesPath ? errorPages(resolve(ctx.cwd, config.errorPagesPath)) : [];
  const pagesDirectory = `${errorPagesDirectory(config)}/${config.version}`;
  if (pages.length > 0) steps.push({ cmd: cmd("mkdir", "-p", pagesDirectory) });
  const certified = roles.filter((role) => role.proxy !== undefined && hasCustomCertificate(role.proxy));
  for (const role of certified) steps.push({ cmd: appProxy.createSslDirectory(config, role) });
  for (const page of pages)
    steps.push({ upload: { path: `${pagesDirectory}/${page.name}`, body: readFileSync(page.path, "utf8"), mode: 0o700 } });
  for (const role of certified) {
    ctx.report.info(`Writing SSL certificates for ${role.name} on ${host}`, host);
    const paths = appProxy.tlsCertificatePaths(config, role);
    steps.push(
      { upload: { path: paths.cert, body: config.secrets.get(role.proxy?.sslCertificatePem ?? ""), mode: 0o644 } },
      { upload: { path: paths.key, body: config.secrets.get(role.proxy?.sslPrivateKeyPem ?? ""), mode: 0o644 } },
    );
  }
  if (steps.length > 0) await ctx.ex.script(host, steps, { signal: ctx.signal });
}

function errorPages(directory: string): { name: string; path: string }[] {
  try {
    return readdirSync(directory).filter((name) => ERROR_PAGE.test(name)).sort().map((name) => ({ name, path: join(directory, name) }));
  } catch {
    return [];
  }
}
