// The relays of a lab started with a round-trip time (`startLab({ rttMs })`, `npm run lab:up -- --rtt MS`): they
// must outlive the process that started the lab, so they run here, recorded in the lab's state like its hosts and
// stopped by teardown. Usage: `latency-process.ts <lab dir> <rtt ms> <host address>...` (the lab directory is the
// marker teardown checks in this process's command line).
import { relayHosts } from "./latency.ts";

const [, , , rtt, ...addresses] = process.argv;
const relays = await relayHosts(addresses, Number(rtt));
process.on("SIGTERM", () => void relays.stop().then(() => process.exit(0)));
