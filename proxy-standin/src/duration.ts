// Go's time.Duration text format, in both directions. kamal-proxy's flags are Go durations, and its error
// messages echo them back in Go's format ("1m0s"), so the stand-in must speak the same dialect.
// Durations are carried as integer nanoseconds everywhere, as in the real state file.

const NS_PER_UNIT: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  "µs": 1e3,
  "μs": 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

export const SECOND = 1e9;

/** Parses like time.ParseDuration; throws an Error whose message is Go's. */
export function parseDuration(text: string): number {
  const quoted = JSON.stringify(text);
  let rest = text;
  let sign = 1;
  if (rest.startsWith("-") || rest.startsWith("+")) {
    sign = rest.startsWith("-") ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === "0") return 0;
  if (rest === "") throw new Error(`time: invalid duration ${quoted}`);
  let total = 0;
  while (rest !== "") {
    const number = /^(\d*)(?:\.(\d*))?/.exec(rest)?.[0] ?? "";
    if (number === "" || number === ".") throw new Error(`time: invalid duration ${quoted}`);
    rest = rest.slice(number.length);
    const unit = /^[^\d.]*/.exec(rest)?.[0] ?? "";
    if (unit === "") throw new Error(`time: missing unit in duration ${quoted}`);
    const scale = NS_PER_UNIT[unit];
    if (scale === undefined) throw new Error(`time: unknown unit ${JSON.stringify(unit)} in duration ${quoted}`);
    total += Number(number.endsWith(".") ? number.slice(0, -1) : number) * scale;
    rest = rest.slice(unit.length);
  }
  return sign * Math.round(total);
}

/** Formats like Go's Duration.String(): 30s, 1m0s, 1.5s, 250ms, 1h0m0s, 0s. */
export function formatDuration(ns: number): string {
  if (ns === 0) return "0s";
  const sign = ns < 0 ? "-" : "";
  const abs = Math.abs(ns);
  if (abs < 1e3) return `${sign}${abs}ns`;
  if (abs < 1e6) return `${sign}${withFraction(abs, 1e3)}µs`;
  if (abs < 1e9) return `${sign}${withFraction(abs, 1e6)}ms`;
  const hours = Math.floor(abs / 3600e9);
  const minutes = Math.floor((abs % 3600e9) / 60e9);
  let text = `${withFraction(abs % 60e9, 1e9)}s`;
  if (hours > 0 || minutes > 0) text = `${minutes}m${text}`;
  if (hours > 0) text = `${hours}h${text}`;
  return sign + text;
}

function withFraction(value: number, unit: number): string {
  const whole = Math.floor(value / unit);
  const fraction = value % unit;
  if (fraction === 0) return String(whole);
  const digits = String(unit).length - 1;
  return `${whole}.${String(fraction).padStart(digits, "0").replace(/0+$/, "")}`;
}

export const toMs = (ns: number): number => ns / 1e6;
