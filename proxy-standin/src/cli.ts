// The command line, behaving like kamal-proxy's cobra program: silent success with exit 0, and on failure
// exactly one "Error: <message>" line on stderr with exit 1, checks running in cobra's order (flag parsing,
// argument count, the command's own pre-checks, required flags, flag groups).
import { callServer, type Call } from "./control.ts";
import { commandSpecs, type CommandSpec } from "./commands.ts";
import { deployArgs } from "./deploy-args.ts";
import { parseFlags, UsageError, type ParsedFlags } from "./flags.ts";
import { formatList } from "./list-table.ts";
import type { DeployArgs } from "./options.ts";
import { certificatePath, socketPath } from "./paths.ts";
import { runServer } from "./server.ts";

export type Io = { out: (text: string) => void; err: (text: string) => void };

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv, io: Io): Promise<number> {
  const specs = commandSpecs({
    intFromEnv: (key, fallback) => {
      const value = fromEnv(env, key);
      return value !== undefined && /^[+-]?\d+$/.test(value) ? Number(value) : fallback;
    },
    boolFromEnv: (key, fallback) => {
      const value = fromEnv(env, key);
      if (value === undefined) return fallback;
      if (["1", "t", "T", "true", "TRUE", "True"].includes(value)) return true;
      return ["0", "f", "F", "false", "FALSE", "False"].includes(value) ? false : fallback;
    },
    acmeCachePath: certificatePath(env),
  });
  try {
    const [first = "", second = ""] = argv;
    if (first === "" || first === "help" || first === "-h" || first === "--help") {
      io.out(helpText(specs, first === "help" ? argv.slice(1).join(" ") : ""));
      return 0;
    }
    if (first.startsWith("-")) throw new UsageError(first.startsWith("--") ? `unknown flag: ${first.split("=")[0]}` : `unknown shorthand flag: '${first[1]}' in ${first}`);
    const grouped = first === "rollout" && second !== "" && !second.startsWith("-");
    const name = grouped ? `rollout ${second}` : first;
    const spec = specs.find((s) => s.name === name || s.aliases.includes(name));
    if (spec === undefined) {
      if (first === "rollout" && !grouped) {
        io.out(helpText(specs, "rollout"));
        return 0;
      }
      throw new UsageError(unknownCommand(name, specs));
    }
    const parsed = parseFlags(argv.slice(grouped ? 2 : 1), spec.flags);
    if (parsed.help) {
      io.out(helpText(specs, spec.name));
      return 0;
    }
    checkArity(spec, parsed.positionals);
    return await execute(spec, parsed, env, io);
  } catch (err) {
    if (!(err instanceof Error)) throw err;
    io.err(`Error: ${err.message}\n`);
    return 1;
  }
}

async function execute(spec: CommandSpec, parsed: ParsedFlags, env: NodeJS.ProcessEnv, io: Io): Promise<number> {
  const value = parsed.values;
  const text = (name: string) => value.get(name) as string;
  const num = (name: string) => value.get(name) as number;
  const service = parsed.positionals[0] ?? "";
  const preChecked = spec.name === "deploy" ? deployArgs(service, parsed) : undefined;
  checkRequired(spec, parsed);

  let call: Call;
  switch (spec.name) {
    case "run":
      await runServer({ debug: value.get("debug") === true, httpPort: num("http-port"), httpsPort: num("https-port"), env });
      return 0;
    case "deploy":
      call = { op: "deploy", args: preChecked as DeployArgs };
      break;
    case "remove":
    case "resume":
      call = { op: spec.name, service };
      break;
    case "pause":
      call = { op: "pause", service, drainTimeout: num("drain-timeout"), maxPause: num("max-pause") };
      break;
    case "stop":
      call = { op: "stop", service, drainTimeout: num("drain-timeout"), message: text("message") };
      break;
    case "list":
      call = { op: "list" };
      break;
    case "rollout deploy":
      call = { op: "rollout-deploy", service, targets: value.get("target") as string[], readers: value.get("read-target") as string[],
        deployTimeout: num("deploy-timeout"), drainTimeout: num("drain-timeout") };
      break;
    case "rollout set":
      call = { op: "rollout-set", service, percentage: num("percent"), allowlist: value.get("list") as string[] };
      break;
    default:
      call = { op: "rollout-stop", service };
  }
  const reply = await callServer(socketPath(env), call);
  if ("error" in reply) throw new Error(reply.error);
  if ("rows" in reply) io.out(formatList(reply.rows));
  return 0;
}

function checkArity(spec: CommandSpec, positionals: readonly string[]): void {
  if (spec.arity === "one" && positionals.length !== 1)
    throw new UsageError(`accepts 1 arg(s), received ${positionals.length}`);
  if (spec.arity === "none" && positionals.length > 0)
    throw new UsageError(`unknown command ${JSON.stringify(positionals[0])} for "kamal-proxy ${spec.name}"`);
}

function checkRequired(spec: CommandSpec, parsed: ParsedFlags): void {
  const missing = spec.required.filter((name) => !parsed.changed.has(name));
  if (missing.length > 0) throw new UsageError(`required flag(s) ${missing.map((name) => `"${name}"`).join(", ")} not set`);
  const together = spec.requiredTogether;
  const absent = together.filter((name) => !parsed.changed.has(name));
  if (absent.length > 0 && absent.length < together.length)
    throw new UsageError(`if any flags in the group [${together.join(" ")}] are set they must all be set; missing [${absent.join(" ")}]`);
  if (spec.oneRequired.length > 0 && !spec.oneRequired.some((name) => parsed.changed.has(name)))
    throw new UsageError(`at least one of the flags in the group [${spec.oneRequired.join(" ")}] is required`);
}

function unknownCommand(name: string, specs: readonly CommandSpec[]): string {
  const topLevel = [...new Set(specs.map((spec) => spec.name.split(" ")[0] ?? ""))];
  const close = topLevel.filter((candidate) => distance(candidate, name) <= 2 || candidate.startsWith(name.toLowerCase()));
  const suggestion = close.length > 0 ? `\n\nDid you mean this?\n${close.map((c) => `\t${c}\n`).join("")}` : "";
  // Cobra follows this particular error (and only this one) with a pointer to the help.
  return `unknown command ${JSON.stringify(name)} for "kamal-proxy"${suggestion}\nRun 'kamal-proxy --help' for usage.`;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] ?? 0;
      row[j] = Math.min(current + 1, (row[j - 1] ?? 0) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length] ?? 0;
}

function helpText(specs: readonly CommandSpec[], topic: string): string {
  const spec = specs.find((s) => s.name === topic || s.aliases.includes(topic));
  if (spec !== undefined) {
    const flags = spec.flags.map((f) => `      --${f.name}${f.kind === "bool" ? "" : ` ${f.kind}`}\n`).join("");
    return `${spec.summary}\n\nUsage:\n  kamal-proxy ${spec.name}${spec.arity === "one" ? " <service>" : ""} [flags]\n\nFlags:\n${flags}  -h, --help\n`;
  }
  const lines = specs.map((s) => `  ${s.name.padEnd(16)}${s.summary}\n`).join("");
  return `HTTP proxy for zero downtime deployments (test stand-in)\n\nUsage:\n  kamal-proxy [command]\n\nAvailable Commands:\n  help            Help about any command\n${lines}\nUse "kamal-proxy [command] --help" for more information about a command.\n`;
}

function fromEnv(env: NodeJS.ProcessEnv, key: string): string | undefined {
  return env[`KAMAL_PROXY_${key}`] ?? env[key];
}
