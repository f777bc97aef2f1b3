import { describe, expect, it } from "vitest";
import * as accessory from "../../src/commands/accessory.ts";
import * as accessoryExec from "../../src/commands/accessory-exec.ts";
import * as files from "../../src/commands/accessory-files.ts";
import { render } from "../../src/commands/shell.ts";
import { accessoryOf, BASE, load } from "./fixtures.ts";

const config = load(`${BASE}servers:
  web:
  - 1.1.1.1
accessories:
  mysql:
    image: mysql:5.7
    host: 1.1.1.3
    port: 3306
    registry:
      server: private.registry
      username: user
      password: pw
    env:
      clear:
        MYSQL_ROOT_HOST: "%"
      secret:
      - MYSQL_ROOT_PASSWORD
    files:
    - config/my.cnf:/etc/mysql/my.cnf
    - local: config/static.conf
      remote: /etc/static.conf
      mode: "0644"
      owner: "999:999"
    directories:
    - data:/var/lib/mysql
    - /var/log/mysql:/logs:ro
    options:
      restart: always
      cpus: 4
  busybox:
    service: custom-busybox
    image: busybox:latest
    host: 1.1.1.4
    cmd: sleep infinity
    labels:
      cache: true
    proxy:
      host: busybox.example.com
`, { secrets: { MYSQL_ROOT_PASSWORD: "secret123" } });
const mysql = accessoryOf(config, "mysql");
const busybox = accessoryOf(config, "busybox");

describe("accessory.run", () => {
  it("runs with KAMAL_HOST, env, files, directories, labels and options in Kamal's order", () => {
    expect(render(accessory.run(config, mysql, { host: "1.1.1.3" }))).toBe(
      'docker run --name app-mysql --detach --restart always --network kamal --log-opt max-size="10m" --publish 3306:3306 --env KAMAL_HOST="1.1.1.3" --env MYSQL_ROOT_HOST="%" --env-file .kamal/apps/app/env/accessories/mysql.env --volume $PWD/app-mysql/etc/mysql/my.cnf:/etc/mysql/my.cnf --volume $PWD/app-mysql/etc/static.conf:/etc/static.conf --volume $PWD/app-mysql/data:/var/lib/mysql --volume /var/log/mysql:/logs:ro --label service="app-mysql" --cpus "4" private.registry/mysql:5.7');
  });
  it("uses the service name, labels and cmd", () => {
    expect(render(accessory.run(config, busybox))).toBe(
      'docker run --name custom-busybox --detach --restart unless-stopped --network kamal --log-opt max-size="10m" --env-file .kamal/apps/app/env/accessories/busybox.env --label service="custom-busybox" --label cache="true" busybox:latest sleep infinity');
  });
});

describe("accessory commands", () => {
  const cases: [string, () => string, string][] = [
    ["start", () => render(accessory.start(mysql)), "docker container start app-mysql"],
    ["stop", () => render(accessory.stop(mysql)), "docker container stop app-mysql"],
    ["details", () => render(accessory.info(mysql)), "docker ps --filter label=service=app-mysql"],
    ["the exists check", () => render(accessory.info(mysql, { all: true, quiet: true })), "docker ps -a -q --filter label=service=app-mysql"],
    ["logs, with Kamal's double spaces", () => render(accessory.logs(mysql, { since: "5m", lines: 100, grep: "thing", grepOptions: "-C 2" })),
      "docker logs app-mysql  --since 5m  --tail 100 --timestamps 2>&1 | grep 'thing' -C 2"],
    ["follow logs on the first host", () => render(accessory.followLogs(config, mysql)),
      "ssh -t root@1.1.1.3 -p 22 'docker logs app-mysql --timestamps --tail 10 --follow 2>&1'"],
    ["exec in a new container", () => render(accessoryExec.executeInNewContainer(config, mysql, ["mysql", "-u", "root"])),
      'docker run --rm --network kamal --env MYSQL_ROOT_HOST="%" --env-file .kamal/apps/app/env/accessories/mysql.env --volume $PWD/app-mysql/etc/mysql/my.cnf:/etc/mysql/my.cnf --volume $PWD/app-mysql/etc/static.conf:/etc/static.conf --volume $PWD/app-mysql/data:/var/lib/mysql --volume /var/log/mysql:/logs:ro --cpus "4" private.registry/mysql:5.7 mysql -u root'],
    ["exec in the running container", () => render(accessoryExec.executeInExistingContainer(mysql, ["mysql", "-u", "root"])), "docker exec app-mysql mysql -u root"],
    ["interactive exec over ssh from piped input", () => render(accessoryExec.executeInExistingContainerOverSsh(config, mysql, ["mysql"], { tty: false })),
      "ssh -t root@1.1.1.3 -p 22 'docker exec -i app-mysql mysql'"],
    ["pull", () => render(accessory.pullImage(mysql)), "docker image pull private.registry/mysql:5.7"],
    ["remove container", () => render(accessory.removeContainer(mysql)), "docker container prune --force --filter label=service=app-mysql"],
    ["remove image", () => render(accessory.removeImage(mysql)), "docker image rm --force private.registry/mysql:5.7"],
    ["remove service directory", () => render(accessory.removeServiceDirectory(mysql)), "rm -rf app-mysql"],
    ["env directory", () => render(accessory.ensureEnvDirectory(config)), "mkdir -p .kamal/apps/app/env/accessories"],
    ["proxy deploy", () => render(accessory.deploy(config, busybox, "172.1.0.2")),
      'docker exec kamal-proxy kamal-proxy deploy custom-busybox --target="172.1.0.2:80" --host="busybox.example.com" --deploy-timeout="30s" --drain-timeout="30s" --buffer-requests --buffer-responses --log-request-header="Cache-Control" --log-request-header="Last-Modified" --log-request-header="User-Agent"'],
    ["proxy remove", () => render(accessory.remove(busybox)), "docker exec kamal-proxy kamal-proxy remove custom-busybox"],
  ];
  for (const [name, build, expected] of cases) it(`builds ${name}`, () => expect(build()).toBe(expected));

  it("writes the secret env file", () => {
    expect(accessory.envFilePath(config, mysql)).toBe(".kamal/apps/app/env/accessories/mysql.env");
    expect(accessory.envFileContents({ clear: {}, secrets: [["MYSQL_ROOT_PASSWORD", config.secrets.get("MYSQL_ROOT_PASSWORD")]] }).reveal())
      .toBe("MYSQL_ROOT_PASSWORD=secret123\n");
  });
});

describe("accessory files and directories", () => {
  const [cnf, staticConf] = mysql.files;
  const [data, logs] = mysql.directories;
  it("uploads files under the service directory with their mode and owner", () => {
    if (!cnf || !staticConf) throw new Error("files missing");
    expect(files.fileHostPath(mysql, cnf)).toBe("app-mysql/etc/mysql/my.cnf");
    expect(render(files.makeDirectoryFor(files.fileHostPath(mysql, cnf)))).toBe("mkdir -p app-mysql/etc/mysql");
    expect(render(files.chmod(files.fileMode(cnf), files.fileHostPath(mysql, cnf)))).toBe("chmod 755 app-mysql/etc/mysql/my.cnf");
    expect(render(files.chmod(files.fileMode(staticConf), files.fileHostPath(mysql, staticConf)))).toBe("chmod 0644 app-mysql/etc/static.conf");
    expect(render(files.chown(staticConf.owner ?? "", files.fileHostPath(mysql, staticConf)))).toBe("chown 999:999 app-mysql/etc/static.conf");
  });
  it("creates relative directories under $PWD/<service> and absolute ones as written", () => {
    if (!data || !logs) throw new Error("directories missing");
    expect(render(files.makeDirectory(files.directoryHostPath(mysql, data)))).toBe("mkdir -p $PWD/app-mysql/data");
    expect(render(files.makeDirectory(files.directoryHostPath(mysql, logs)))).toBe("mkdir -p /var/log/mysql");
  });
});
