// Runs the secrets adapters against the fake vendor CLIs in fixtures/bin: real /bin/sh, real processes, real exit
// codes. `lines` are the shell lines the adapter ran (compared with Kamal's test strings); `calls()` is what each
// fake received once the shell had parsed the line, with the environment variables it recorded.
// The fakes never read stdin, so interactive sign-ins run unattended here.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { shellCapture } from "../../src/exec/local.ts";
import type { Runner } from "../../src/secrets/adapter.ts";

export type Reply = { stdout?: string; stderr?: string; code?: number };
export type Rule = { cli: string; argv: string[]; replies: Reply[] };
export type Call = { argv: string[]; env: Record<string, string> };
export type Lab = ReturnType<typeof vendorLab>;

export const FAKE_BIN = resolve(import.meta.dirname, "../../fixtures/bin");

/** A scripted answer for `words`, split on single spaces (build a Rule by hand for arguments with spaces). */
export const on = (words: string, ...replies: Reply[]): Rule => {
  const [cli = "", ...argv] = words.split(" ");
  return { cli, argv, replies: replies.length > 0 ? replies : [{}] };
};

/** A rule whose single answer is `json` printed as the vendor would. */
export const json = (cli: string, argv: string[], value: unknown): Rule => ({ cli, argv, replies: [{ stdout: `${JSON.stringify(value)}\n` }] });

const US = "\x1f";
const joined = (words: readonly string[]) => words.map((w) => `${w}${US}`).join("");
const unjoined = (text: string) => text.split(US).slice(0, -1);

/** A FAKE_VENDOR_DIR answering `rules` (see fixtures/bin/fake-vendor.sh); returns its path. */
export function scriptVendors(rules: readonly Rule[]): string {
  const dir = mkdtempSync(join(tmpdir(), "sextant-vendor-"));
  mkdirSync(join(dir, "calls"));
  rules.forEach((rule, i) => {
    const at = join(dir, "rules", String(i).padStart(3, "0"));
    mkdirSync(at, { recursive: true });
    writeFileSync(join(at, "argv"), `${joined([rule.cli, ...rule.argv])}\n`);
    rule.replies.forEach((reply, k) => {
      writeFileSync(join(at, `${k}.out`), reply.stdout ?? "");
      writeFileSync(join(at, `${k}.err`), reply.stderr ?? "");
      writeFileSync(join(at, `${k}.code`), String(reply.code ?? 0));
    });
  });
  return dir;
}

export function vendorLab(rules: Rule[], opts: { env?: Record<string, string>; installed?: boolean } = {}) {
  const dir = scriptVendors(rules);
  const env: Record<string, string> = {
    PATH: opts.installed === false ? join(dir, "empty") : `${FAKE_BIN}:/usr/bin:/bin`,
    FAKE_VENDOR_DIR: dir,
    ...opts.env,
  };
  const lines: string[] = [];
  /** the lines run interactively (sign-ins): their stderr went to the terminal */
  const prompted: string[] = [];
  const runner: Runner = (command, o) => {
    lines.push(command);
    if (o.interactive) prompted.push(command);
    return shellCapture(command, o);
  };
  const calls = (): Call[] => {
    const count = readdirSync(join(dir, "calls")).filter((f) => /^\d+$/.test(f)).length;
    return Array.from({ length: count }, (_, n) => ({
      argv: unjoined(readFileSync(join(dir, "calls", String(n)), "utf8")),
      env: Object.fromEntries(unjoined(readFileSync(join(dir, "calls", `${n}.env`), "utf8")).map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)])),
    }));
  };
  return { dir, env, runner, lines, prompted, calls };
}
