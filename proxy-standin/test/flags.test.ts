import { describe, expect, test } from "vitest";
import { parseFlags, type FlagSpec } from "../src/flags.ts";

const specs: FlagSpec[] = [
  { name: "target", kind: "strings", default: [] },
  { name: "tls", kind: "bool", default: false },
  { name: "message", kind: "string", default: "" },
  { name: "deploy-timeout", kind: "duration", default: 30e9 },
  { name: "health-check-port", kind: "int", default: 0 },
];

describe("pflag-compatible parsing", () => {
  test("takes values with = or as the next argument, before or after positionals", () => {
    const parsed = parseFlags(["--message", "hi there", "svc", "--deploy-timeout=1m"], specs);
    expect(parsed.positionals).toEqual(["svc"]);
    expect(parsed.values.get("message")).toBe("hi there");
    expect(parsed.values.get("deploy-timeout")).toBe(60e9);
    expect([...parsed.changed]).toEqual(["message", "deploy-timeout"]);
  });

  test("takes a boolean's value only through =, so `--tls false` leaves false as a positional", () => {
    expect(parseFlags(["--tls", "false"], specs).positionals).toEqual(["false"]);
    expect(parseFlags(["--tls=false"], specs).values.get("tls")).toBe(false);
    expect(parseFlags(["--tls"], specs).values.get("tls")).toBe(true);
  });

  test("repeats and CSV-splits slice flags, replacing the default", () => {
    expect(parseFlags(["--target=a:1,b:2", "--target", "c:3"], specs).values.get("target")).toEqual(["a:1", "b:2", "c:3"]);
    expect(parseFlags(['--target="a,b",c'], specs).values.get("target")).toEqual(["a,b", "c"]);
  });

  test("parses integers like strconv.ParseInt with base 0", () => {
    expect(parseFlags(["--health-check-port=0x10"], specs).values.get("health-check-port")).toBe(16);
    expect(parseFlags(["--health-check-port=010"], specs).values.get("health-check-port")).toBe(8);
  });

  test("treats -h and --help as help requests", () => {
    expect(parseFlags(["-h"], specs).help).toBe(true);
    expect(parseFlags(["svc", "--help"], specs).help).toBe(true);
  });

  test.each([
    [["--bogus"], "unknown flag: --bogus"],
    [["-x"], "unknown shorthand flag: 'x' in -x"],
    [["--message"], "flag needs an argument: --message"],
    [["--tls=yes"], 'invalid argument "yes" for "--tls" flag: strconv.ParseBool: parsing "yes": invalid syntax'],
    [["--deploy-timeout=30"], 'invalid argument "30" for "--deploy-timeout" flag: time: missing unit in duration "30"'],
    [["--health-check-port=x"], 'invalid argument "x" for "--health-check-port" flag: strconv.ParseInt: parsing "x": invalid syntax'],
  ])("rejects %j with pflag's message", (args, message) => {
    expect(() => parseFlags(args, specs)).toThrow(message);
  });
});
