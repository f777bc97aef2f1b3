// kamal-proxy v0.9.2's commands and flags (internal/cmd/*.go): names, kinds and defaults as cobra declares
// them. Flags that only exist on kamal-proxy's main branch are deliberately absent, so they are rejected.
import { SECOND } from "./duration.ts";
import type { FlagSpec } from "./flags.ts";

const flag = (name: string, kind: FlagSpec["kind"], value: FlagSpec["default"]): FlagSpec => ({ name, kind, default: value });

export type Arity = "one" | "none" | "any";

export type CommandSpec = {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly summary: string;
  readonly arity: Arity;
  readonly flags: readonly FlagSpec[];
  readonly required: readonly string[];
  readonly requiredTogether: readonly string[];
  readonly oneRequired: readonly string[];
};

const command = (spec: Partial<CommandSpec> & Pick<CommandSpec, "name" | "summary" | "arity">): CommandSpec => ({
  aliases: [], flags: [], required: [], requiredTogether: [], oneRequired: [], ...spec,
});

export function commandSpecs(env: { intFromEnv: (key: string, fallback: number) => number; boolFromEnv: (key: string, fallback: boolean) => boolean; acmeCachePath: string }): CommandSpec[] {
  const drainTimeout = flag("drain-timeout", "duration", 30 * SECOND);
  const deployTimeout = flag("deploy-timeout", "duration", 30 * SECOND);
  return [
    command({
      name: "run", summary: "Run the server", arity: "any",
      flags: [
        flag("debug", "bool", env.boolFromEnv("DEBUG", false)),
        flag("http-port", "int", env.intFromEnv("HTTP_PORT", 80)),
        flag("https-port", "int", env.intFromEnv("HTTPS_PORT", 443)),
        flag("metrics-port", "int", env.intFromEnv("METRICS_PORT", 0)),
        flag("http3", "bool", false),
      ],
    }),
    command({
      name: "deploy", summary: "Deploy a target host", arity: "one",
      required: ["target"], requiredTogether: ["tls-certificate-path", "tls-private-key-path"],
      flags: [
        flag("target", "strings", []), flag("read-target", "strings", []), flag("host", "strings", []),
        flag("path-prefix", "strings", []), flag("strip-path-prefix", "bool", true),
        flag("tls", "bool", false), flag("tls-staging", "bool", false),
        flag("tls-certificate-path", "string", ""), flag("tls-private-key-path", "string", ""),
        flag("tls-acme-cache-path", "string", env.acmeCachePath), flag("tls-redirect", "bool", true),
        flag("canonical-host", "string", ""),
        deployTimeout, drainTimeout, flag("force", "bool", false),
        flag("health-check-interval", "duration", SECOND), flag("health-check-timeout", "duration", 5 * SECOND),
        flag("health-check-path", "string", "/up"), flag("health-check-port", "int", 0), flag("health-check-host", "string", ""),
        flag("writer-affinity-timeout", "duration", SECOND), flag("read-target-websockets", "bool", false),
        flag("target-timeout", "duration", 30 * SECOND),
        flag("buffer-requests", "bool", false), flag("buffer-responses", "bool", false),
        flag("buffer-memory", "int", 1048576), flag("max-request-body", "int", 0), flag("max-response-body", "int", 0),
        flag("error-pages", "string", ""),
        flag("log-request-header", "strings", null), flag("log-response-header", "strings", null),
        flag("forward-headers", "bool", false), flag("scope-cookie-paths", "bool", false),
      ],
    }),
    command({ name: "remove", aliases: ["rm"], summary: "Remove the service", arity: "one" }),
    command({
      name: "pause", summary: "Pause a service", arity: "one",
      flags: [drainTimeout, flag("max-pause", "duration", 30 * SECOND)],
    }),
    command({ name: "stop", summary: "Stop a service", arity: "one", flags: [drainTimeout, flag("message", "string", "")] }),
    command({ name: "resume", summary: "Resume a service", arity: "one" }),
    command({ name: "list", aliases: ["ls"], summary: "List the services currently running", arity: "none" }),
    command({
      name: "rollout deploy", summary: "Deploy the rollout target", arity: "one", required: ["target"],
      flags: [flag("target", "strings", []), flag("read-target", "strings", []), deployTimeout, drainTimeout],
    }),
    command({
      name: "rollout set", summary: "Set traffic split for rollout", arity: "one", oneRequired: ["percent", "list"],
      flags: [flag("percent", "int", 0), flag("list", "strings", [])],
    }),
    command({ name: "rollout stop", summary: "Stops rollout of a service", arity: "one" }),
  ];
}
