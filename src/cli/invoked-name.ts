import { basename, extname } from "node:path";

/**
 * The executable's name as the user typed it, so usage lines and hints say `kamal deploy` to someone who runs
 * sextant as their `kamal`. `path` is process.argv[1]: the npm bin symlink (`node_modules/.bin/kamal`) keeps its
 * own name there, since Node does not resolve it; anything unexpected (`node dist/cli.cjs`) is `sextant`.
 */
export function invokedName(path: string | undefined): "kamal" | "sextant" {
  if (path === undefined) return "sextant";
  const file = basename(path);
  return basename(file, extname(file)) === "kamal" ? "kamal" : "sextant";
}
