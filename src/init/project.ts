import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { captureFile } from "../exec/capture-file.ts";
import type { ProjectFacts } from "./learn.ts";

/** The npm package sextant is published as; its JSON Schema ships at docs/deploy.schema.json. */
export const PACKAGE_NAME = "sextant-deploy";
const SCHEMA_IN_PACKAGE = `node_modules/${PACKAGE_NAME}/docs/deploy.schema.json`;

/** Reads what `dir` says about the app: package.json's name, git's origin remote, the Dockerfile. */
export async function readProject(dir: string, env: Readonly<Record<string, string | undefined>>): Promise<ProjectFacts> {
  const origin = await captureFile("git", ["remote", "get-url", "origin"], { cwd: dir, env });
  return {
    packageName: packageName(readText(join(dir, "package.json"))),
    originUrl: origin.code === 0 && origin.stdout.trim() !== "" ? origin.stdout.trim() : undefined,
    dockerfile: readText(join(dir, "Dockerfile")),
    schemaPath: schemaPath(dir),
  };
}

export function readText(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, "utf8") : undefined;
}

function packageName(packageJson: string | undefined): string | undefined {
  try {
    const name: unknown = packageJson === undefined ? undefined : (JSON.parse(packageJson) as { name?: unknown }).name;
    return typeof name === "string" ? name : undefined;
  } catch {
    return undefined; // not JSON: write.ts says so when it offers the npm scripts
  }
}

/**
 * The schema as the yaml-language-server line in config/deploy.yml names it: relative to config/, in the nearest
 * node_modules that has the package (a workspace may hoist it to the repository root), or in the app's own
 * node_modules, where `npm i -D sextant-deploy` will put it.
 */
function schemaPath(dir: string): string {
  for (let at = dir; ; at = dirname(at)) {
    if (existsSync(join(at, SCHEMA_IN_PACKAGE))) return relative(join(dir, "config"), join(at, SCHEMA_IN_PACKAGE)).split(sep).join("/");
    if (dirname(at) === at) return `../${SCHEMA_IN_PACKAGE}`;
  }
}
