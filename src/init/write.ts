import { chmod, mkdir, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { DEPLOY_YML, SAMPLE_HOOKS, SECRETS } from "./templates.ts";

/**
 * Writes the starter files into `cwd`, never overwriting: each file (or the hooks directory) that already
 * exists is left alone. Returns one message per item, in Kamal's words, for the reporter.
 */
export async function initProject(cwd: string): Promise<string[]> {
  const messages: string[] = [];
  const deployFile = join(cwd, "config/deploy.yml");
  if (existsSync(deployFile)) {
    messages.push("Config file already exists in config/deploy.yml (remove first to create a new one)");
  } else {
    await write(deployFile, DEPLOY_YML, 0o644);
    messages.push("Created configuration file in config/deploy.yml");
  }

  const secretsFile = join(cwd, ".kamal/secrets");
  if (!existsSync(secretsFile)) {
    await write(secretsFile, SECRETS, 0o644);
    messages.push("Created .kamal/secrets file");
  }

  const hooksDir = join(cwd, ".kamal/hooks");
  if (!existsSync(hooksDir)) {
    for (const [name, body] of Object.entries(SAMPLE_HOOKS)) await write(join(hooksDir, name), body, 0o755);
    messages.push("Created sample hooks in .kamal/hooks");
  }
  return messages;
}

async function write(path: string, body: string, mode: number): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, body, { mode, flag: "wx" });
  // The umask may have narrowed the mode; hooks must be executable.
  await chmod(path, mode);
}
