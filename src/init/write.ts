import { chmod, mkdir, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { settingsFrom } from "./learn.ts";
import { addScripts, deployScripts } from "./npm-scripts.ts";
import { readProject, readText } from "./project.ts";
import { renderDeployYml, renderSecrets } from "./render.ts";
import { SAMPLE_HOOKS } from "./templates.ts";

/**
 * Writes the starter files into `cwd`, never overwriting: each file (or the hooks directory) that already
 * exists is left alone, and package.json only gains the npm scripts it lacks. Returns one message per item, in
 * Kamal's words where Kamal has them, for the reporter; a new config is preceded by what was learned for it.
 */
export async function initProject(cwd: string, env: Readonly<Record<string, string | undefined>>): Promise<string[]> {
  const messages: string[] = [];
  const { settings, learned } = settingsFrom(await readProject(cwd, env));
  const deployFile = join(cwd, "config/deploy.yml");
  if (existsSync(deployFile)) {
    messages.push("Config file already exists in config/deploy.yml (remove first to create a new one)");
  } else {
    messages.push(...learned);
    await write(deployFile, renderDeployYml(settings), 0o644);
    messages.push("Created configuration file in config/deploy.yml");
  }

  const secretsFile = join(cwd, ".kamal/secrets");
  if (!existsSync(secretsFile)) {
    await write(secretsFile, renderSecrets(settings.registry.server), 0o644);
    messages.push("Created .kamal/secrets file");
  }

  const hooksDir = join(cwd, ".kamal/hooks");
  if (!existsSync(hooksDir)) {
    for (const [name, body] of Object.entries(SAMPLE_HOOKS)) await write(join(hooksDir, name), body, 0o755);
    messages.push("Created sample hooks in .kamal/hooks");
  }
  return [...messages, ...(await offerScripts(cwd))];
}

/** Adds `deploy` (and `deploy:staging`) to package.json's scripts, when there is a package.json. */
async function offerScripts(cwd: string): Promise<string[]> {
  const packageFile = join(cwd, "package.json");
  const packageJson = readText(packageFile);
  if (packageJson === undefined) return [];
  const wanted = deployScripts(existsSync(join(cwd, "config/deploy.staging.yml")));
  const change = addScripts(packageJson, wanted);
  if ("invalid" in change) return [`Left package.json alone, it is not valid JSON (${change.invalid}); add "deploy": "sextant deploy" to its scripts yourself`];
  if (change.text !== undefined) await writeFile(packageFile, change.text);
  return [
    ...change.added.map((name) => `Added npm script ${name} (${wanted[name]}) to package.json`),
    ...change.kept.map((name) => `Kept the existing npm script ${name} in package.json`),
  ];
}

async function write(path: string, body: string, mode: number): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, body, { mode, flag: "wx" });
  // The umask may have narrowed the mode; hooks must be executable.
  await chmod(path, mode);
}
