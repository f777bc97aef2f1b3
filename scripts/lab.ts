// `npm run lab:up | lab:down | lab:status`: the integration lab by hand. A lab started here stays up, and
// integration test runs reuse it instead of starting their own.
import { labDir } from "../test/integration/lab/settings.ts";
import { acquireLabLock, labStatus, startLab, stopLab } from "../test/integration/lab/lab.ts";

async function main(command: string | undefined): Promise<number> {
  switch (command) {
    case "up": {
      const t0 = Date.now();
      const rttMs = rttOption(process.argv.slice(3));
      const release = await acquireLabLock(labDir(), 0);
      const lab = await startLab({ keep: true, rttMs, log: (line) => console.error(`lab: ${line}`) }).finally(release);
      const first = lab.latency?.hosts[0]?.address ?? lab.hosts[0]?.address;
      console.error(`lab: up in ${((Date.now() - t0) / 1000).toFixed(1)}s; try: ssh -F ${lab.ssh.configPath} root@${first} docker ps`);
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
      console.error(USAGE);
      return 2;
  }
}

const USAGE = "usage: tsx scripts/lab.ts up [--rtt MS] | down | status   (env: SEXTANT_LAB_HOSTS, SEXTANT_LAB_DIR)";

/** `--rtt MS`: relays with that round-trip time in front of every host's sshd (lab.latency names their addresses). */
function rttOption(args: readonly string[]): number | undefined {
  if (args.length === 0) return undefined;
  const ms = Number(args[1]);
  if (args[0] !== "--rtt" || args.length !== 2 || !Number.isInteger(ms) || ms < 0 || ms > 10_000)
    throw new Error(`${USAGE}\n--rtt takes a whole number of milliseconds from 0 to 10000`);
  return ms;
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
