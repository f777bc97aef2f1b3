// The npm scripts `sextant init` offers, so `npm run deploy` works in an npm project. Pure: write.ts reads and
// writes package.json.

/** `deploy`, and `deploy:staging` when the app has a staging destination (config/deploy.staging.yml). */
export function deployScripts(hasStaging: boolean): Record<string, string> {
  return { deploy: "sextant deploy", ...(hasStaging ? { "deploy:staging": "sextant deploy -d staging" } : {}) };
}

export type ScriptsChange =
  /** `text` is the new package.json, undefined when nothing was added; `kept`: names that already had another script */
  | { readonly text: string | undefined; readonly added: readonly string[]; readonly kept: readonly string[] }
  | { readonly invalid: string };

/**
 * package.json with the scripts it lacks added at the end of `scripts`. An existing script of the same name is
 * never replaced. The file keeps its indentation and final newline (as `npm pkg set` does); key order is kept.
 */
export function addScripts(packageJson: string, scripts: Readonly<Record<string, string>>): ScriptsChange {
  let pkg: unknown;
  try {
    pkg = JSON.parse(packageJson);
  } catch (err) {
    return { invalid: err instanceof Error ? err.message : String(err) };
  }
  if (!isObject(pkg)) return { invalid: "not a JSON object" };
  const existing = pkg.scripts === undefined ? {} : pkg.scripts;
  if (!isObject(existing)) return { invalid: "scripts is not an object" };

  const added: string[] = [];
  const kept: string[] = [];
  const merged: Record<string, unknown> = { ...existing };
  for (const [name, command] of Object.entries(scripts)) {
    if (merged[name] === undefined) {
      merged[name] = command;
      added.push(name);
    } else if (merged[name] !== command) {
      kept.push(name);
    }
  }
  if (added.length === 0) return { text: undefined, added, kept };
  const indent = /^[{[]\r?\n([ \t]+)/.exec(packageJson)?.[1] ?? "  ";
  const newline = packageJson.includes("\r\n") ? "\r\n" : "\n";
  const text = JSON.stringify({ ...pkg, scripts: merged }, null, indent).replaceAll("\n", newline);
  return { text: /\r?\n$/.test(packageJson) ? text + newline : text, added, kept };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
