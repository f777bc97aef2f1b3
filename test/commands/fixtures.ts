// Small deploy.yml texts the builder tests share; each test adds the keys it exercises.
import type { Accessory, Config, Role } from "../../src/config/model.ts";
import { configFromYaml, type ConfigFromYamlOptions } from "../support/config.ts";

export const BASE = `service: app
image: dhh/app
registry:
  username: dhh
  password: secret
builder:
  arch: amd64
`;

/** web on 1.1.1.1 (behind the proxy), workers on 1.1.1.2, plus `extra` YAML appended at the root. */
export const TWO_ROLES = (extra = ""): string => `${BASE}servers:
  web:
  - 1.1.1.1
  workers:
  - 1.1.1.2
${extra}`;

export const load = (yaml: string, opts: ConfigFromYamlOptions = {}): Config => configFromYaml(yaml, { version: "999", ...opts });

export function roleOf(config: Config, name: string): Role {
  const role = config.roles.find((r) => r.name === name);
  if (role === undefined) throw new Error(`no role ${name}`);
  return role;
}

export function accessoryOf(config: Config, name: string): Accessory {
  const accessory = config.accessories.find((a) => a.name === name);
  if (accessory === undefined) throw new Error(`no accessory ${name}`);
  return accessory;
}
