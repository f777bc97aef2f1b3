// Entry point of the bundled `kamal-proxy` executable.
import { main } from "./cli.ts";

const io = { out: (text: string) => process.stdout.write(text), err: (text: string) => process.stderr.write(text) };

main(process.argv.slice(2), process.env, io).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`Error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
