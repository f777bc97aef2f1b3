// What `sextant init` can tell from the project it runs in. Pure: project.ts reads the files and asks git.

/** What the project already says, as read from its files; undefined where it says nothing. */
export type ProjectFacts = {
  /** `name` in package.json */
  readonly packageName: string | undefined;
  /** `git remote get-url origin` */
  readonly originUrl: string | undefined;
  /** the Dockerfile's text */
  readonly dockerfile: string | undefined;
  /** deploy.schema.json of the installed package, relative to the config/ directory */
  readonly schemaPath: string;
};

/** The values config/deploy.yml is rendered with (render.ts). */
export type InitSettings = {
  readonly service: string;
  readonly image: string;
  /** `server` undefined: Docker Hub, written as a commented-out example */
  readonly registry: { readonly server: string | undefined; readonly username: string };
  /** undefined: the proxy section stays commented out */
  readonly appPort: number | undefined;
  readonly schemaPath: string;
};

const DEFAULT_SERVICE = "my-app";
const DEFAULT_USER = "my-user";

/** The settings, and one line per thing learned, saying where it came from. */
export function settingsFrom(facts: ProjectFacts): { settings: InitSettings; learned: string[] } {
  const learned: string[] = [];
  const service = facts.packageName === undefined ? undefined : serviceName(facts.packageName);
  if (service !== undefined) learned.push(`From package.json: service: ${service}`);

  const remote = facts.originUrl === undefined ? undefined : parseRemote(facts.originUrl);
  let image = `${DEFAULT_USER}/${service ?? DEFAULT_SERVICE}`;
  let registry: InitSettings["registry"] = { server: undefined, username: DEFAULT_USER };
  if (remote?.host === "github.com") {
    image = `${remote.owner}/${remote.repo}`.toLowerCase();
    registry = { server: "ghcr.io", username: remote.owner };
    learned.push(`From git remote origin: image: ${image}, registry: ghcr.io as ${remote.owner}`);
  } else if (remote !== undefined) {
    image = `${remote.owner}/${remote.repo}`.toLowerCase();
    learned.push(`From git remote origin: image: ${image} (set registry server and username for your registry)`);
  }

  const appPort = facts.dockerfile === undefined ? undefined : exposedPort(facts.dockerfile);
  if (appPort !== undefined) learned.push(`From Dockerfile: proxy app_port: ${appPort} (EXPOSE)`);

  return { settings: { service: service ?? DEFAULT_SERVICE, image, registry, appPort, schemaPath: facts.schemaPath }, learned };
}

/**
 * A service name from an npm package name: the scope dropped, lowercased, and every run of characters Kamal does
 * not allow in a service name (it takes [a-z0-9_-]) turned into one dash. `@acme/Web.App` → `web-app`.
 */
export function serviceName(packageName: string): string | undefined {
  const name = packageName.replace(/^@[^/]*\//, "").toLowerCase().replace(/[^a-z0-9_-]+/g, "-").replace(/^-+|-+$/g, "");
  return name === "" ? undefined : name;
}

/**
 * Host, owner and repository of a git remote, in any of git's URL forms: `https://[user@]host[:port]/owner/repo.git`,
 * `ssh://git@host/owner/repo`, or scp-like `git@host:owner/repo.git`. Owner and repository are the last two path
 * segments (GitLab's subgroups come before them). A local path has no host: undefined.
 */
export function parseRemote(url: string): { host: string; owner: string; repo: string } | undefined {
  const match = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?([^/:]+)(?::\d*)?\/(.+)$/i.exec(url.trim()) ?? /^(?:[^@/:]+@)?([^/:]+):(?!\/)(.+)$/.exec(url.trim());
  if (!match) return undefined;
  const [host = "", path = ""] = [match[1], match[2]];
  const segments = path.replace(/\/+$/, "").replace(/\.git$/, "").split("/").filter((s) => s !== "");
  const [owner, repo] = segments.slice(-2);
  if (segments.length < 2 || owner === undefined || repo === undefined) return undefined;
  return { host: host.toLowerCase(), owner, repo };
}

/** The first port a Dockerfile EXPOSEs (`EXPOSE 3000`, `EXPOSE 8080/tcp 9090`); a `$VARIABLE` port is skipped. */
export function exposedPort(dockerfile: string): number | undefined {
  for (const line of dockerfile.split(/\r?\n/)) {
    const expose = /^\s*expose\s+(.*)$/i.exec(line);
    for (const token of expose?.[1]?.split(/\s+/) ?? []) {
      const port = /^(\d+)(?:\/(?:tcp|udp))?$/i.exec(token);
      if (port?.[1] !== undefined && Number(port[1]) > 0 && Number(port[1]) < 65536) return Number(port[1]);
    }
  }
  return undefined;
}
