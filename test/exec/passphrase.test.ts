import { PassThrough } from "node:stream";
import { describe, expect, test } from "vitest";
import { terminalPassphrases } from "../../src/exec/passphrase.ts";

/** A terminal whose keys the test types; records raw-mode switches and what was shown. */
function fakeTerminal(isTTY = true) {
  const input = Object.assign(new PassThrough(), {
    isTTY,
    isRaw: false,
    setRawMode(raw: boolean) {
      input.isRaw = raw;
      return input;
    },
  });
  let shown = "";
  const output = Object.assign(new PassThrough(), {});
  output.on("data", (c: Buffer) => (shown += c.toString()));
  return { terminal: { input: input as unknown as NodeJS.ReadStream, output }, input, shown: () => shown };
}

describe("terminalPassphrases", () => {
  test("asks once per key file, without echo, and leaves the terminal as it was", async () => {
    const { terminal, input, shown } = fakeTerminal();
    const ask = terminalPassphrases(terminal);
    const first = ask?.("/home/me/.ssh/id_ed25519");
    const again = ask?.("/home/me/.ssh/id_ed25519");
    await new Promise((r) => setImmediate(r));
    expect(input.isRaw).toBe(true);
    input.write("secrex\u007ft\r");
    expect(await first).toBe("secret");
    expect(await again).toBe("secret");
    expect(input.isRaw).toBe(false);
    expect(shown()).toBe("Enter passphrase for /home/me/.ssh/id_ed25519: \n");
  });

  test("one question at a time; Ctrl-C gives up on that key only", async () => {
    const { terminal, input, shown } = fakeTerminal();
    const ask = terminalPassphrases(terminal);
    const a = ask?.("/a");
    const b = ask?.("/b");
    await new Promise((r) => setImmediate(r));
    expect(shown()).toBe("Enter passphrase for /a: ");
    input.write("\u0003");
    expect(await a).toBeUndefined();
    await new Promise((r) => setImmediate(r));
    input.write("bee\n");
    expect(await b).toBe("bee");
    expect(shown()).toBe("Enter passphrase for /a: \nEnter passphrase for /b: \n");
  });

  test("nobody to ask without a terminal", () => {
    expect(terminalPassphrases(fakeTerminal(false).terminal)).toBeUndefined();
  });
});
