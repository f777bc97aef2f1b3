import type { Sink } from "../output/human.ts";
import type { CliIo } from "./deps.ts";

/**
 * Kamal's `[y, N]` question, which Thor asks by reading stdin whether or not it is a terminal. On a terminal it is
 * a prompt; otherwise the question goes to `log` and the first line piped in answers it, echoed after the question
 * so a CI log reads like a transcript. true for `y`, false for anything else (Thor's default is N); undefined when
 * a stdin that is not a terminal ends without a line: nothing is there to answer.
 */
export async function confirm(question: string, io: { readonly stdin: CliIo["stdin"]; readonly stderr: Sink }): Promise<boolean | undefined> {
  const prompt = `${question} [y, N] (N) `;
  const tty = io.stdin.isTTY === true;
  const log = io.stderr;
  const { createInterface } = await import("node:readline");
  const rl = createInterface({ input: io.stdin, ...(tty ? { output: process.stderr } : { terminal: false }) });
  if (tty) {
    rl.setPrompt(prompt);
    rl.prompt();
  } else {
    log.write(prompt);
  }
  const line = await new Promise<string | undefined>((resolve) => {
    rl.once("line", resolve);
    rl.once("close", () => resolve(undefined));
  });
  rl.close();
  if (!tty) log.write(`${line ?? ""}\n`);
  if (line === undefined) return tty ? false : undefined;
  return line.trim() === "y";
}
