import ejs from "ejs";
import { resolvePlainScalar } from "../config/yaml-scalar.ts";
import type { InitSettings } from "./learn.ts";
import { DEPLOY_YML, SECRETS } from "./templates.ts";

/** config/deploy.yml for these settings. */
export function renderDeployYml(settings: InitSettings): string {
  return render(DEPLOY_YML, settings);
}

/** .kamal/secrets for a config whose registry is `registryServer` (undefined: Docker Hub). */
export function renderSecrets(registryServer: string | undefined): string {
  return render(SECRETS, { registryServer });
}

function render(template: string, data: Readonly<Record<string, unknown>>): string {
  return ejs.render(template, data, { escape: yamlScalar });
}

/**
 * ejs escapes `<%= %>` output for HTML by default; these templates are YAML, so a value is written plain when
 * YAML reads it back as the same string, and double-quoted (JSON's escaping is valid there) otherwise: a package
 * named `yes` or `1e3` stays a string.
 */
export function yamlScalar(value: unknown): string {
  if (typeof value === "number") return String(value);
  const text = String(value);
  // A leading digit is quoted too: YAML 1.2 parsers (editors) read `1e3` as a number, where Psych does not.
  return /^[A-Za-z_][\w./@-]*$/.test(text) && resolvePlainScalar(text) === text ? text : JSON.stringify(text);
}
