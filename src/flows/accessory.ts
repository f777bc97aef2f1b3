// `accessory ...` (kamal-commands.md §6.3, kamal-on-host.md §19): databases and caches next to the app, one
// container per host, booted by `setup` and never touched by `deploy`.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import * as accessory from "../commands/accessory.ts";
import * as accessoryExec from "../commands/accessory-exec.ts";
import * as files from "../commands/accessory-files.ts";
import * as docker from "../commands/docker.ts";
import * as query from "../commands/app-query.ts";
import type { Shell } from "../commands/shell.ts";
import { resolveEnv } from "../config/env.ts";
import type { Accessory } from "../config/model.ts";
import { Secret } from "../config/secret.ts";
import { SextantError, UsageError } from "../errors.ts";
import type { ScriptStep } from "../exec/executor.ts";
import { onHosts } from "../exec/parallel.ts";
import { auditStep } from "./audit.ts";
import type { Context } from "./context.ts";
import { preConnect } from "./hooks.ts";
import { withLock } from "./lock.ts";
import { followStreams, printMerged, type LogStream } from "./log-streams.ts";
import { loginOnHost } from "./registry.ts";
import { requireSecrets } from "./require-secrets.ts";

/**
 * The accessories a NAME stands for (`all` = every one, in config order); unknown names are an error. Flows that
 * take the deploy lock call it first, so a typo fails before the lock is taken.
 */
export function pick(ctx: Context, name: string): Accessory[] {
  if (name === "all") return [...ctx.config.accessories];
  const found = ctx.config.accessories.find((a) => a.name === name);
  if (found) return [found];
  const names = ctx.config.accessories.map((a) => a.name);
  throw new UsageError(`No accessory by the name of '${name}'${names.length ? ` (options: ${sentence(names)})` : ""}`, {
    hint: "check the name under accessories: in config/deploy.yml",
  });
}

const sentence = (words: readonly string[]): string =>
  words.length <= 1 ? words.join("") : `${words.slice(0, -1).join(", ")}${words.length > 2 ? "," : ""} and ${words.at(-1)}`;

/** An accessory's hosts that are in the selection. */
export const hostsOf = (ctx: Context, a: Accessory): string[] => a.hosts.filter((h) => ctx.selection.hosts.includes(h));

/** `accessory boot NAME|all`: login and network, skip hosts that already have it, files and directories, run. */
export async function boot(ctx: Context, name: string, opts: { prepare?: boolean } = {}): Promise<void> {
  const accessories = pick(ctx, name);
  await requireSecrets(ctx, { accessories });
  await withLock(ctx, async () => {
    await preConnect(ctx);
    for (const a of accessories) await bootOne(ctx, a, opts.prepare ?? true);
  });
}

/** Boots one accessory where it has no container yet; `prepare`: registry login and the kamal network first. */
export async function bootOne(ctx: Context, a: Accessory, prepare: boolean): Promise<void> {
  const hosts = hostsOf(ctx, a);
  const existing = new Set<string>();
  await onHosts(hosts, async (host) => {
    if (prepare) await prepareHost(ctx, a, host);
    const id = await ctx.ex.capture(host, accessory.info(a, { all: true, quiet: true }), { signal: ctx.signal });
    if (id) existing.add(host);
  }, { signal: ctx.signal });
  if (existing.size > 0) ctx.report.warn(`Skipping booting \`${a.name}\` on ${[...existing].join(", ")}, a container already exists`);

  // Kamal's order: directories, then files (a file may live inside a mounted directory).
  await makeDirectories(ctx, a, hosts);
  await uploadFiles(ctx, a, hosts);
  const env = resolveEnv(a.env, ctx.config.secrets);
  await onHosts(hosts.filter((h) => !existing.has(h)), async (host) => {
    const results = await ctx.ex.script(host, [
      await auditStep(ctx, `Booted ${a.name} accessory`),
      { cmd: accessory.ensureEnvDirectory(ctx.config) },
      { upload: { path: accessory.envFilePath(ctx.config, a), body: accessory.envFileContents(env), mode: 0o600 } },
      { cmd: accessory.run(ctx.config, a, { host }) },
      ...(a.proxy ? [{ cmd: query.containerIdFor(a.service, true) }] : []),
    ], { signal: ctx.signal });
    const id = results.at(-1)?.stdout.trim() || "CONTAINER_ID";
    if (a.proxy) await ctx.ex.run(host, accessory.deploy(ctx.config, a, id), { signal: ctx.signal });
  }, { signal: ctx.signal });
}

/** Kamal's `prepare`: log in to the accessory's registry and create the kamal network ("already exists" is fine). */
export async function prepareHost(ctx: Context, a: Accessory, host: string): Promise<void> {
  await loginOnHost(ctx, host, a.registry ?? ctx.config.registry);
  await ctx.ex.attempt(host, docker.createNetwork(), { signal: ctx.signal });
}

/** `accessory upload NAME|all`, under the deploy lock as Kamal's is. */
export async function upload(ctx: Context, name: string): Promise<void> {
  const accessories = pick(ctx, name);
  await withLock(ctx, async () => {
    for (const a of accessories) await uploadFiles(ctx, a);
  });
}

/** `accessory directories NAME|all`, under the deploy lock as Kamal's is. */
export async function directories(ctx: Context, name: string): Promise<void> {
  const accessories = pick(ctx, name);
  await withLock(ctx, async () => {
    for (const a of accessories) await makeDirectories(ctx, a);
  });
}

/** Each `files` entry, ERB rendered with the accessory's env, at its mode (default 755). */
async function uploadFiles(ctx: Context, a: Accessory, hosts = hostsOf(ctx, a)): Promise<void> {
  if (a.files.length === 0) return;
  const bodies = await Promise.all(a.files.map((f) => fileBody(ctx, a, f.local)));
  await onHosts(hosts, async (host) => {
    const steps = a.files.flatMap((file, i): ScriptStep[] => {
      const path = files.fileHostPath(a, file);
      return [
        { cmd: files.makeDirectoryFor(path) },
        { upload: { path, body: bodies[i] ?? "", mode: 0o644 } },
        { cmd: files.chmod(files.fileMode(file), path) },
        ...(file.owner ? [{ cmd: files.chown(file.owner, path) }] : []),
      ];
    });
    await ctx.ex.script(host, steps, { signal: ctx.signal });
  }, { signal: ctx.signal });
}

/** A local file's content; `*.erb` is rendered with the accessory's clear and secret env in ENV, so it is secret. */
async function fileBody(ctx: Context, a: Accessory, local: string): Promise<string | Secret> {
  const path = resolve(ctx.cwd, local);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new SextantError(`Missing file: ${local}`, { hint: `create ${local} or fix accessories/${a.name}/files in config/deploy.yml` });
  }
  // Kamal checks `end_with?("erb")`, without the dot (configuration/accessory.rb `expand_local_file`).
  if (!local.endsWith("erb")) return text;
  const [{ renderErb }, { shellCapture }] = await Promise.all([import("../config/erb.ts"), import("../exec/local.ts")]);
  const env: Record<string, string | undefined> = { ...process.env };
  for (const [k, v] of Object.entries(a.env.clear)) env[k] = v === null ? "" : String(v);
  for (const [k, v] of resolveEnv(a.env, ctx.config.secrets).secrets) env[k] = v.reveal();
  const rendered = await renderErb(text, { file: local, cwd: ctx.cwd, env, shell: shellCapture });
  return new Secret(rendered.text, local);
}

/** Each `directories` entry: mkdir -p, then chmod and chown when given. */
async function makeDirectories(ctx: Context, a: Accessory, hosts = hostsOf(ctx, a)): Promise<void> {
  if (a.directories.length === 0) return;
  const steps: ScriptStep[] = a.directories.flatMap((dir) => {
    const path = files.directoryHostPath(a, dir);
    return [
      { cmd: files.makeDirectory(path) },
      ...(dir.mode ? [{ cmd: files.chmod(dir.mode, path) }] : []),
      ...(dir.owner ? [{ cmd: files.chown(dir.owner, path) }] : []),
    ];
  });
  await onHosts(hosts, (host) => ctx.ex.script(host, steps, { signal: ctx.signal }), { signal: ctx.signal });
}

export async function start(ctx: Context, name: string): Promise<void> {
  const accessories = pick(ctx, name);
  await withLock(ctx, async () => {
    await preConnect(ctx);
    for (const a of accessories) {
      await onHosts(hostsOf(ctx, a), async (host) => {
        const [, , id] = await ctx.ex.script(host, [
          await auditStep(ctx, `Started ${a.name} accessory`),
          { cmd: accessory.start(a) },
          ...(a.proxy ? [{ cmd: query.containerIdFor(a.service, true) }] : []),
        ], { signal: ctx.signal });
        if (a.proxy) await ctx.ex.run(host, accessory.deploy(ctx.config, a, id?.stdout.trim() || "CONTAINER_ID"), { signal: ctx.signal });
      }, { signal: ctx.signal });
    }
  });
}

export async function stop(ctx: Context, name: string): Promise<void> {
  const accessories = pick(ctx, name);
  await withLock(ctx, async () => {
    await preConnect(ctx);
    for (const a of accessories) {
      await onHosts(hostsOf(ctx, a), async (host) => ctx.ex.script(host, [
        await auditStep(ctx, `Stopped ${a.name} accessory`),
        { cmd: accessory.stop(a), ignoreFailure: true },
        ...(a.proxy ? [{ cmd: accessory.remove(a), ignoreFailure: true }] : []),
      ], { signal: ctx.signal }), { signal: ctx.signal });
    }
  });
}

export async function restart(ctx: Context, name: string): Promise<void> {
  pick(ctx, name);
  await withLock(ctx, async () => {
    await stop(ctx, name);
    await start(ctx, name);
  });
}

export async function details(ctx: Context, name: string): Promise<void> {
  await preConnect(ctx);
  const blocks: string[] = [];
  for (const a of pick(ctx, name)) {
    const out = await onHosts(hostsOf(ctx, a), (host) => ctx.ex.capture(host, accessory.info(a), { signal: ctx.signal }), { signal: ctx.signal });
    for (const [host, text] of out) blocks.push(`Accessory ${a.name} Host: ${host}\n${text}\n`);
  }
  ctx.report.result(blocks.join("\n"));
}

export type AccessoryLogFlags = {
  since?: string; lines?: number; grep?: string; grepOptions?: string; follow?: boolean; skipTimestamps?: boolean; merge?: boolean;
};

/**
 * `accessory logs NAME|all`: each host's lines, one after another, as Kamal prints them; with `merge`, every line
 * in one list in time order; with `follow`, the lines of each accessory on every selected host as they come
 * (Kamal follows the accessory's first host only).
 */
export async function logs(ctx: Context, name: string, flags: AccessoryLogFlags): Promise<void> {
  const accessories = pick(ctx, name);
  const streams = (cmd: (a: Accessory) => Shell): LogStream[] =>
    accessories.flatMap((a) => hostsOf(ctx, a).map((host) => ({ source: { host, name: a.name }, cmd: cmd(a) })));
  const grep = { grep: flags.grep, grepOptions: flags.grepOptions };
  if (flags.follow) {
    // The grep pattern in double quotes, as the remote shell gets it from Kamal's `ssh -t '...'`.
    await followStreams(ctx, streams((a) => accessory.followingLogs(a, { timestamps: !flags.skipTimestamps, ...grep }, '"')));
    return;
  }
  const unlimited = flags.since !== undefined || flags.grep !== undefined;
  const opts = { since: flags.since, lines: flags.lines ?? (unlimited ? undefined : 100), ...grep };
  if (flags.merge) {
    // Merging orders lines by docker's timestamps, so they are asked for even under -T, and left out when printed.
    await printMerged(ctx, streams((a) => accessory.logs(a, opts)), { timestamps: !flags.skipTimestamps });
    return;
  }
  await preConnect(ctx);
  for (const a of accessories) {
    const out = await onHosts(hostsOf(ctx, a), (host) => ctx.ex.capture(host, accessory.logs(a, { ...opts, timestamps: !flags.skipTimestamps }),
      { signal: ctx.signal }), { signal: ctx.signal });
    ctx.report.result([...out.values()].join("\n"));
  }
}

/** `accessory exec NAME CMD`: in a new container (default) or, with `reuse`, the running one, on each host. */
export async function execute(ctx: Context, name: string, words: readonly string[], flags: { reuse?: boolean; interactive?: boolean; raw?: boolean }): Promise<void> {
  const command = [words.join(" ")];
  await preConnect(ctx);
  for (const a of pick(ctx, name)) {
    if (flags.interactive) {
      const { interactive } = await import("./interactive.ts");
      const host = accessory.firstHost(a);
      if (!flags.reuse) await loginOnHost(ctx, host, a.registry ?? ctx.config.registry);
      const tty = process.stdin.isTTY ? "tty" : "pipe";
      await interactive(ctx, host, flags.reuse
        ? accessoryExec.executeInExistingContainer(a, command, { interactive: tty })
        : accessoryExec.executeInNewContainer(ctx.config, a, command, { interactive: tty }));
      continue;
    }
    const out = await onHosts(hostsOf(ctx, a), async (host) => {
      if (!flags.reuse) await loginOnHost(ctx, host, a.registry ?? ctx.config.registry);
      const [, result] = await ctx.ex.script(host, [
        await auditStep(ctx, `Executed cmd '${command[0]}' on ${a.name} accessory`),
        { cmd: flags.reuse ? accessoryExec.executeInExistingContainer(a, command) : accessoryExec.executeInNewContainer(ctx.config, a, command) },
      ], { signal: ctx.signal });
      return flags.raw ? result?.stdout ?? "" : result?.stdout.trimEnd() ?? "";
    }, { signal: ctx.signal });
    // --raw: each host's stdout exactly as the command wrote it, without host headers (Kamal's puts_by_host raw:).
    if (flags.raw) ctx.report.result([...out.values()].join(""), Object.fromEntries(out));
    else ctx.report.result([...out].map(([host, text]) => `App Host: ${host}\n${text}\n`).join("\n"), Object.fromEntries(out));
  }
}
