// Removing old containers and images of the service. The command lines are Kamal's after 2.12 (basecamp/kamal
// #1922, #1923: lib/kamal/commands/prune.rb), not 2.12's: a host shared by two destinations must not lose one
// destination's rollback containers or `latest-<destination>` tag to the other's prune (docs/decisions.md).
import type { Config } from "../config/model.ts";
import { cmd, pipe, type Shell } from "./shell.ts";

const serviceFilter = (config: Config): string[] => ["--filter", `label=service=${config.service}`];
/** `label=destination=` (empty) without a destination, as containers are labelled then. */
const destinationFilter = (config: Config): string[] => ["--filter", `label=destination=${config.destination ?? ""}`];

/** Untagged images of the service nothing uses. */
export const danglingImages = (config: Config): Shell => cmd("docker", "image", "prune", "--force", serviceFilter(config));

/**
 * Tagged images of the service except those any container (running or stopped, any destination) uses, in-use
 * `<none>` images, and every `latest` / `latest-<destination>` tag, whatever its repository. Images stay
 * service-wide because destinations may share them.
 */
export function taggedImages(config: Config): Shell {
  const inUse = `$(docker container ls -a --format '{{.Image}}\\|' --filter label=service=${config.service} | tr -d '\\n')`;
  const keep = `${inUse}${config.repository}:<none>\\|[^ ]*:latest\\(-[^ ]*\\)\\?$`;
  return pipe(
    cmd("docker", "image", "ls", serviceFilter(config), "--format", "'{{.ID}} {{.Repository}}:{{.Tag}}'"),
    cmd("grep", `-v -w "${keep}"`),
    cmd("while read image tag; do docker rmi $tag; done"));
}

/**
 * Keeps the newest `retain` stopped containers of the service in this destination (docker lists newest first);
 * all roles share the budget, and rollback needs what it keeps.
 */
export const appContainers = (config: Config, retain: number): Shell =>
  pipe(
    cmd("docker", "ps", "-q", "-a", serviceFilter(config), destinationFilter(config),
      ["created", "exited", "dead"].flatMap((s) => ["--filter", `status=${s}`])),
    cmd(`tail -n +${retain + 1}`),
    cmd("while read container_id; do docker rm $container_id; done"));
