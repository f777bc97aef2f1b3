// `npm run lab:up | lab:down | lab:status`: the integration lab by hand. A lab started here stays up, and
// integration test runs reuse it instead of starting their own.
import { labDir } from "../test/integration/lab/settings.ts";
import { acquireLabLock, labStatus, startLab, stopLab } from "../test/integration/lab/lab.ts";

async function main(command: string | undefined): Promise<number> {
  switch (command) {
    case "up": {
      const t0 = Date.now();
      const release = await acquireLabLock(labDir(), 0);
      const lab = await startLab({ keep: true, log: (line) => console.error(`lab: ${line}`) }).finally(release);
      console.error(`lab: up in ${((Date.now() - t0) / 1000).toFixed(1)}s; try: ssh -F ${lab.ssh.configPath} root@${lab.hosts[0]?.address} docker ps`);
      console.log(JSON.stringify(lab, null, 2));
      return 0;
    }
    case "down": {
      const release = await acquireLabLock(labDir(), 0);
      await stopLab().finally(release);
      console.error(`lab: stopped and removed (${labDir()})`);
      return 0;
    }
    case "status": {
      const status = labStatus();
      console.log(JSON.stringify(status, null, 2));
      return status.running ? 0 : 1;
    }
    default:
      console.error("usage: tsx scripts/lab.ts up|down|status   (env: SEXTANT_LAB_HOSTS, SEXTANT_LAB_DIR)");
      return 2;
  }
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
