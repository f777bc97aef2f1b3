// Settings that reach a shell unquoted (issue 16). Kamal puts these values into host commands as written (host
// names in `--hostname`, role names inside `sh -c '...'`, env and label keys, option keys, volumes, the image), and
// sextant's commands stay byte-identical to Kamal's, so a `;`, `$(...)` or line break there would run on the host.
// Instead of quoting differently, each value must have the form Docker and the host accept anyway.
import type { IssueSink, KeyPath } from "./issues.ts";
import type { WrittenRule } from "./written-rule.ts";
import { BUILDPACK, BUILDX_DRIVER, DOCKER_HOST, ENV_KEY, HOST, IMAGE, LABEL_KEY, MODE, NAME, OPTION_KEY, OWNER, PATH, PORT, REGISTRY, ROLE, SETTING_LIST, STAGE, VERSION_TAG, type Form } from "./shell-safe-forms.ts";

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
const entries = (value: unknown): [string, unknown][] => (isRecord(value) ? Object.entries(value) : []);
const items = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

function check(sink: IssueSink, path: KeyPath, value: unknown, form: Form): void {
  // An empty value gives a shell nothing to act on; whether it may be empty is the schema's and rules' call.
  if (value === undefined || value === null || value === "") return;
  const text = String(value);
  if (!form.pattern.test(text)) sink.add(path, `${JSON.stringify(text)} is not ${form.what}`, form.fix);
}
function checkKeys(sink: IssueSink, path: KeyPath, value: unknown, form: Form): void {
  for (const [key] of entries(value)) check(sink, [...path, key], key, form);
}

/** `- host` or `- host: [tags]` */
function checkHosts(sink: IssueSink, path: KeyPath, list: unknown): void {
  items(list).forEach((entry, i) => {
    if (isRecord(entry)) checkKeys(sink, [...path, i], entry, HOST);
    else check(sink, [...path, i], entry, HOST);
  });
}

/** The clear keys of an env: the simple form, or `clear:` of the structured one, and those of its tags. */
function checkEnv(sink: IssueSink, path: KeyPath, env: unknown): void {
  if (!isRecord(env)) return;
  const structured = "clear" in env || "secret" in env || "tags" in env;
  if (!structured) return checkKeys(sink, path, env, ENV_KEY);
  checkKeys(sink, [...path, "clear"], env.clear, ENV_KEY);
  for (const [tag, tagEnv] of entries(env.tags)) checkEnv(sink, [...path, "tags", tag], tagEnv);
}

function checkLogging(sink: IssueSink, path: KeyPath, logging: unknown): void {
  if (isRecord(logging)) checkKeys(sink, [...path, "options"], logging.options, OPTION_KEY);
}

/** `local:remote[:options]`, or the hash form with `mode` and `owner`. */
function checkMount(sink: IssueSink, path: KeyPath, mount: unknown): void {
  if (!isRecord(mount)) return check(sink, path, mount, PATH);
  for (const key of ["local", "remote", "options"]) check(sink, [...path, key], mount[key], PATH);
  check(sink, [...path, "mode"], mount.mode, MODE);
  check(sink, [...path, "owner"], mount.owner, OWNER);
}

export const shellSafeServers: WrittenRule = ({ input }, sink) => {
  const servers: unknown = input.servers;
  if (Array.isArray(servers)) return checkHosts(sink, ["servers"], servers);
  for (const [name, role] of entries(servers)) {
    const path = ["servers", name];
    check(sink, path, name, ROLE);
    if (!isRecord(role)) {
      checkHosts(sink, path, role);
      continue;
    }
    checkHosts(sink, [...path, "hosts"], role.hosts);
    checkEnv(sink, [...path, "env"], role.env);
    checkKeys(sink, [...path, "labels"], role.labels, LABEL_KEY);
    checkKeys(sink, [...path, "options"], role.options, OPTION_KEY);
    checkLogging(sink, [...path, "logging"], role.logging);
    check(sink, [...path, "asset_path"], role.asset_path, PATH);
  }
};

export const shellSafeRoot: WrittenRule = ({ input }, sink) => {
  check(sink, ["image"], input.image, IMAGE);
  if (isRecord(input.registry)) check(sink, ["registry", "server"], input.registry.server, REGISTRY);
  checkEnv(sink, ["env"], input.env);
  checkKeys(sink, ["labels"], input.labels, LABEL_KEY);
  checkLogging(sink, ["logging"], input.logging);
  items(input.volumes).forEach((volume, i) => check(sink, ["volumes", i], volume, PATH));
  check(sink, ["asset_path"], input.asset_path, PATH);
  const run = isRecord(input.proxy) ? input.proxy.run : undefined;
  if (isRecord(run)) {
    check(sink, ["proxy", "run", "version"], run.version, VERSION_TAG);
    check(sink, ["proxy", "run", "registry"], run.registry, REGISTRY);
    check(sink, ["proxy", "run", "repository"], run.repository, IMAGE);
    checkKeys(sink, ["proxy", "run", "options"], run.options, OPTION_KEY);
    items(run.bind_ips).forEach((ip, i) => check(sink, ["proxy", "run", "bind_ips", i], ip, HOST));
  }
};

export const shellSafeAccessories: WrittenRule = ({ input }, sink) => {
  for (const [name, accessory] of entries(input.accessories)) {
    if (!isRecord(accessory)) continue;
    const path = ["accessories", name];
    check(sink, [...path, "image"], accessory.image, IMAGE);
    check(sink, [...path, "host"], accessory.host, HOST);
    checkHosts(sink, [...path, "hosts"], accessory.hosts);
    if (isRecord(accessory.registry)) check(sink, [...path, "registry", "server"], accessory.registry.server, REGISTRY);
    checkEnv(sink, [...path, "env"], accessory.env);
    checkKeys(sink, [...path, "labels"], accessory.labels, LABEL_KEY);
    checkKeys(sink, [...path, "options"], accessory.options, OPTION_KEY);
    check(sink, [...path, "service"], accessory.service, NAME);
    check(sink, [...path, "network"], accessory.network, NAME);
    check(sink, [...path, "port"], accessory.port, PORT);
    items(accessory.volumes).forEach((volume, i) => check(sink, [...path, "volumes", i], volume, PATH));
    for (const key of ["files", "directories"] as const) items(accessory[key]).forEach((entry, i) => checkMount(sink, [...path, key, i], entry));
  }
};

/** The builder runs on this machine (or the remote builder) with the same unquoted values. */
export const shellSafeBuilder: WrittenRule = ({ input }, sink) => {
  const builder: unknown = input.builder;
  if (!isRecord(builder)) return;
  checkKeys(sink, ["builder", "args"], builder.args, ENV_KEY);
  items(builder.secrets).forEach((name, i) => check(sink, ["builder", "secrets", i], name, ENV_KEY));
  for (const key of ["dockerfile", "context", "ssh"]) check(sink, ["builder", key], builder[key], PATH);
  check(sink, ["builder", "target"], builder.target, STAGE);
  check(sink, ["builder", "remote"], builder.remote, DOCKER_HOST);
  check(sink, ["builder", "provenance"], builder.provenance, SETTING_LIST);
  check(sink, ["builder", "driver"], builder.driver, BUILDX_DRIVER);
  if (isRecord(builder.pack)) {
    check(sink, ["builder", "pack", "builder"], builder.pack.builder, IMAGE);
    items(builder.pack.buildpacks).forEach((buildpack, i) => check(sink, ["builder", "pack", "buildpacks", i], buildpack, BUILDPACK));
  }
  if (isRecord(builder.cache)) {
    check(sink, ["builder", "cache", "type"], builder.cache.type, STAGE);
    check(sink, ["builder", "cache", "options"], builder.cache.options, SETTING_LIST);
    check(sink, ["builder", "cache", "image"], builder.cache.image, IMAGE);
  }
};
