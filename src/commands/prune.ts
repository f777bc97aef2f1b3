// Removing old containers and images of the service (kamal lib/kamal/commands/prune.rb).
import type { Config } from "../config/model.ts";
import { latestImage } from "./names.ts";
import { cmd, pipe, type Shell } from "./shell.ts";

const serviceFilter = (config: Config): string[] => ["--filter", `label=service=${config.service}`];

/** Untagged images of the service nothing uses. */
export const danglingImages = (config: Config): Shell => cmd("docker", "image", "prune", "--force", serviceFilter(config));

/**
 * Tagged images of the service except those any container (running or stopped) uses, the latest tag and
 * in-use `<none>` images.
 */
export function taggedImages(config: Config): Shell {
  const inUse = `$(docker container ls -a --format '{{.Image}}\\|' --filter label=service=${config.service} | tr -d '\\n')`;
  const keep = `${inUse}${latestImage(config)}\\|${config.repository}:<none>`;
  return pipe(
    cmd("docker", "image", "ls", serviceFilter(config), "--format", "'{{.ID}} {{.Repository}}:{{.Tag}}'"),
    cmd("grep", `-v -w "${keep}"`),
    cmd("while read image tag; do docker rmi $tag; done"));
}

/**
 * Keeps the newest `retain` stopped containers of the service (docker lists newest first); all roles and
 * destinations share the budget, and rollback needs what it keeps.
 */
export const appContainers = (config: Config, retain: number): Shell =>
  pipe(
    cmd("docker", "ps", "-q", "-a", serviceFilter(config), ["created", "exited", "dead"].flatMap((s) => ["--filter", `status=${s}`])),
    cmd(`tail -n +${retain + 1}`),
    cmd("while read container_id; do docker rm $container_id; done"));
