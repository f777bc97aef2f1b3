// Passphrases for protected key files, asked on the terminal as ssh and net-ssh do: once per file for the whole
// run (every host shares the answer), one question at a time, without echoing what is typed.
import type { PassphraseSource } from "./ssh-auth.ts";

type Terminal = {
  readonly input: NodeJS.ReadStream;
  readonly output: NodeJS.WritableStream;
};

/** A PassphraseSource that asks on `terminal`; undefined when its input is no terminal (CI, pipes). */
export function terminalPassphrases(terminal: Terminal = { input: process.stdin, output: process.stderr }): PassphraseSource | undefined {
  if (!terminal.input.isTTY) return undefined;
  const answers = new Map<string, Promise<string | undefined>>();
  let queue: Promise<unknown> = Promise.resolve();
  return (file) => {
    let answer = answers.get(file);
    if (!answer) {
      answer = queue.then(() => ask(terminal, `Enter passphrase for ${file}: `));
      queue = answer;
      answers.set(file, answer);
    }
    return answer;
  };
}

/** Reads one line in raw mode; Ctrl-C or Ctrl-D gives up on this key (undefined) rather than on the run. */
function ask({ input, output }: Terminal, prompt: string): Promise<string | undefined> {
  output.write(prompt);
  const wasRaw = input.isRaw;
  input.setRawMode(true);
  input.resume();
  return new Promise((resolve) => {
    let typed = "";
    const finish = (value: string | undefined) => {
      input.off("data", onData);
      input.setRawMode(wasRaw);
      input.pause();
      output.write("\n");
      resolve(value);
    };
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString("utf8")) {
        if (char === "\r" || char === "\n") return finish(typed);
        if (char === "\u0003" || char === "\u0004") return finish(undefined);
        if (char === "\u007f" || char === "\b") typed = typed.slice(0, -1);
        else typed += char;
      }
    };
    input.on("data", onData);
  });
}
