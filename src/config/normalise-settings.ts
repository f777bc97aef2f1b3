// Reads the settings sections (ssh, builder, boot, hooks_output) into the model, with Kamal's defaults
// (kamal lib/kamal/configuration/ssh.rb, builder.rb, boot.rb, configuration.rb).
import { isHash } from "./merge.ts";
import type { Boot, Builder, Config, HookVerbosity, Ssh } from "./model.ts";
import { hookLevel, str } from "./normalise-values.ts";
import type { RootInput } from "./schema/root.ts";

export function toSsh(raw: NonNullable<RootInput["ssh"]>): Ssh {
  const config = raw.config;
  return {
    user: str(raw.user) ?? "root",
    port: raw.port === undefined ? 22 : Number(raw.port),
    proxy: str(raw.proxy),
    proxyCommand: str(raw.proxy_command),
    logLevel: str(raw.log_level) ?? "fatal",
    keysOnly: raw.keys_only,
    keys: raw.keys?.map(String),
    keyData: raw.key_data?.map(String),
    config: config === undefined ? true : typeof config === "boolean" ? config : Array.isArray(config) ? config.map(String) : [String(config)],
    forwardAgent: raw.forward_agent ?? true,
  };
}

export function toBuilder(raw: RootInput["builder"]): Builder {
  const arch = raw.arch;
  return {
    arch: (Array.isArray(arch) ? arch : arch === undefined ? [] : [arch]).map(String),
    remote: str(raw.remote),
    local: raw.local ?? true,
    driver: str(raw.driver) ?? "docker-container",
    cache: raw.cache
      ? { type: str(raw.cache.type) ?? "", options: str(raw.cache.options), image: str(raw.cache.image) }
      : undefined,
    context: str(raw.context),
    dockerfile: str(raw.dockerfile) ?? "Dockerfile",
    target: str(raw.target),
    args: (raw.args ?? {}) as Builder["args"],
    secrets: (raw.secrets ?? []).map(String),
    ssh: str(raw.ssh),
    provenance: str(raw.provenance),
    sbom: raw.sbom,
    pack: raw.pack ? { builder: str(raw.pack.builder) ?? "", buildpacks: (raw.pack.buildpacks ?? []).map(String) } : undefined,
  };
}

/** `limit: N%` is a share of every configured host, accessory hosts included, and at least 1 (boot.rb). */
export function toBoot(raw: NonNullable<RootInput["boot"]>, hostCount: number): Boot {
  const limit = str(raw.limit);
  return {
    limit:
      limit === undefined ? undefined
      : limit.endsWith("%") ? Math.max(Math.floor((hostCount * Number.parseInt(limit, 10)) / 100), 1)
      : Number.parseInt(limit, 10),
    wait: raw.wait,
    parallelRoles: raw.parallel_roles ?? false,
  };
}

const LEVELS: readonly string[] = ["quiet", "verbose"];

export function toHooksOutput(raw: RootInput["hooks_output"]): Config["hooksOutput"] {
  if (raw === undefined) return undefined;
  if (!isHash(raw)) return LEVELS.includes(hookLevel(raw)) ? (hookLevel(raw) as HookVerbosity) : undefined;
  return Object.fromEntries(
    Object.entries(raw)
      .map(([hook, level]) => [hook, hookLevel(level)] as const)
      .filter(([, level]) => LEVELS.includes(level)),
  ) as Record<string, HookVerbosity>;
}

