import net from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { execa } from "execa";
import { builderEnv, currentLab, labSkipped, resetHosts, sshArgs, type Lab } from "./lab/lab.ts";

// The lab itself: hosts reachable over ssh with their own dockerd, the registry serving every host, the
// FROM-scratch images behaving as the deploy tests expect, and the kamal-proxy stand-in booted like Kamal does.

const ssh = (lab: Lab, host: string, command: string) => execa("ssh", sshArgs(lab, host, command));

async function httpGet(url: string): Promise<{ status: number; body: string }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  return { status: res.status, body: await res.text() };
}

async function eventually<T>(probe: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let error: unknown;
  while (Date.now() < deadline) {
    try {
      last = await probe();
      if (ok(last)) return last;
    } catch (err) {
      error = err;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`condition not met within ${timeoutMs} ms; last value ${JSON.stringify(last)}, last error ${error}`);
}

function redisPing(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host, port }, () => sock.write("PING\r\n"));
    sock.setTimeout(3000, () => sock.destroy(new Error("timeout")));
    sock.once("data", (data) => {
      sock.end();
      resolve(data.toString());
    });
    sock.once("error", reject);
  });
}

describe.skipIf(labSkipped())("integration lab", () => {
  let lab: Lab;
  beforeAll(() => {
    lab = currentLab();
  });
  afterAll(async () => {
    if (lab) await resetHosts(lab);
  });

  test("every host runs its own dockerd behind its own sshd", async () => {
    const results = await Promise.all(
      lab.hosts.map((h) => ssh(lab, h.address, "hostname && docker ps --format '{{.Names}}' && docker info --format '{{.Name}}'")),
    );
    expect(results.map((r) => r.stdout)).toEqual(lab.hosts.map((h) => `${h.name}\n${h.name}`));
  });

  test("hosts reach the lab subnet and nothing else: no default route", async () => {
    const routes = await Promise.all(lab.hosts.map((h) => ssh(lab, h.name, "ip route show default; ip route show dev eth0")));
    expect(routes.map((r) => r.stdout)).toEqual(lab.hosts.map((h) => `10.213.0.0/24 proto kernel scope link src ${h.address} `));
  });

  test("an image built on the build daemon and pushed to the registry pulls on every host", async () => {
    const tag = `${lab.registry.name}/lab-test/app:${Date.now().toString(36)}`;
    const env = builderEnv(lab);
    await execa(
      lab.builder.dockerBin,
      ["build", "--quiet", "--build-arg", "APP_VERSION=pushed", "--label", "service=app", "--tag", tag, "fixtures/sample-app"],
      { env },
    );
    await execa(lab.builder.dockerBin, ["push", tag], { env });
    const labels = await Promise.all(
      lab.hosts.map((h) =>
        ssh(lab, h.address, `docker pull --quiet ${tag} >/dev/null && docker image inspect --format '{{.Config.Labels.service}}' ${tag}`),
      ),
    );
    expect(labels.map((r) => r.stdout)).toEqual(lab.hosts.map(() => "app"));
    // The build daemon's data root is a cache that outlives the lab; keep it from collecting test tags.
    await execa(lab.builder.dockerBin, ["rmi", tag], { env });
  });

  test("the sample app answers from a host's address with its version, and stops at once", async () => {
    const host = lab.hosts[0] as Lab["hosts"][number];
    const image = `${lab.images.app}:v1`;
    await ssh(lab, host.address, `docker run --detach --name lab-app --publish 8080:80 --env KAMAL_VERSION=abc ${image}`);
    const page = await eventually(() => httpGet(`http://${host.address}:8080/`), (r) => r.status === 200);
    expect(page.body).toContain("version: v1\nkamal_version: abc\n");
    expect(await httpGet(`http://${host.address}:8080/up`)).toEqual({ status: 200, body: "OK\n" });
    const t0 = Date.now();
    await ssh(lab, host.address, "docker stop lab-app");
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  test("the sample app's switches fail or slow its health check and crash it at start", async () => {
    const host = lab.hosts[0] as Lab["hosts"][number];
    const image = `${lab.images.app}:v2`;
    await ssh(lab, host.address, `docker run --detach --name lab-app-failing --publish 8081:80 --env UP_FAIL=1 ${image}`);
    const up = await eventually(() => httpGet(`http://${host.address}:8081/up`), (r) => r.status !== 0);
    expect(up).toEqual({ status: 500, body: "failing\n" });
    expect((await httpGet(`http://${host.address}:8081/`)).body).toContain("version: v2\n");
    await ssh(lab, host.address, `docker run --detach --name lab-app-slow --publish 8082:80 --env UP_DELAY=1 ${image}`);
    await eventually(() => httpGet(`http://${host.address}:8082/`), (r) => r.status === 200);
    const t0 = Date.now();
    expect((await httpGet(`http://${host.address}:8082/up`)).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1000);
    await ssh(lab, host.address, `docker run --name lab-app-crash --env CRASH=1 ${image}`).catch(() => {});
    const state = await ssh(lab, host.address, "docker inspect --format '{{.State.ExitCode}}' lab-app-crash");
    expect(state.stdout).toBe("1");
  });

  test("the redis accessory image answers PING and keeps its data in /data", async () => {
    const host = lab.hosts[1] ?? (lab.hosts[0] as Lab["hosts"][number]);
    await ssh(lab, host.address, `docker run --detach --name lab-redis --publish 6379:6379 --volume lab-redis-data:/data ${lab.images.redis}`);
    expect(await eventually(() => redisPing(host.address, 6379), (r) => r.length > 0)).toBe("+PONG\r\n");
    const mounts = await ssh(lab, host.address, "docker inspect --format '{{range .Mounts}}{{.Name}}:{{.Destination}}{{end}}' lab-redis");
    expect(mounts.stdout).toBe("lab-redis-data:/data");
  });

  test("the kamal-proxy stand-in boots with Kamal's command line and routes to the app", async (ctx) => {
    if (!lab.images.proxy) ctx.skip(lab.images.proxySkipped ?? "no proxy image");
    const host = lab.hosts.at(-1) as Lab["hosts"][number];
    await ssh(
      lab,
      host.address,
      [
        "docker network create kamal",
        "mkdir -p .kamal/proxy/apps-config",
        "docker run --name kamal-proxy --network kamal --detach --restart unless-stopped --volume kamal-proxy-config:/home/kamal-proxy/.config/kamal-proxy --volume $PWD/.kamal/proxy/apps-config:/home/kamal-proxy/.apps-config --publish 80:80 --publish 443:443 --log-opt max-size=10m basecamp/kamal-proxy:v0.9.2 kamal-proxy run",
        `docker run --detach --name app-web-v1 --network kamal --label service=app --label role=web ${lab.images.app}:v1`,
      ].join(" && "),
    );
    const id = (await ssh(lab, host.address, "docker container ls --all --filter name=^app-web-v1$ --quiet")).stdout;
    // Kamal boots the proxy long before its first deploy; here node may still be starting on a busy machine.
    await eventually(
      () => ssh(lab, host.address, "docker exec kamal-proxy kamal-proxy list").then(() => true),
      (ok) => ok,
    );
    await ssh(
      lab,
      host.address,
      `docker exec kamal-proxy kamal-proxy deploy app-web --target="${id}:80" --deploy-timeout="30s" --drain-timeout="30s" --buffer-requests --buffer-responses --log-request-header="Cache-Control" --log-request-header="Last-Modified" --log-request-header="User-Agent"`,
    );
    const page = await httpGet(`http://${host.address}/`);
    expect(page.status).toBe(200);
    expect(page.body).toContain("version: v1\n");
  });

  test("resetHosts clears a host and loads the proxy image again after a test removed it", async (ctx) => {
    if (!lab.images.proxy) ctx.skip(lab.images.proxySkipped ?? "no proxy image");
    const host = lab.hosts[0] as Lab["hosts"][number];
    await ssh(lab, host.name, `docker run --detach --name leftover ${lab.images.app}:v1 && mkdir -p .kamal && docker image rm --force ${lab.images.proxy}`);
    await resetHosts(lab);
    const after = await ssh(lab, host.name, `docker ps --all --quiet; ls -A; docker image ls --format '{{.Repository}}:{{.Tag}}' ${lab.images.proxy}`);
    expect(after.stdout).toBe(`.ssh\n${lab.images.proxy}`);
  });
});
