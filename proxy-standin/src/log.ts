// JSON log lines on stdout, shaped like Go's slog JSON handler: time, level, msg, then attributes.
// Operators and Kamal's own tests grep these messages, so their wording is kamal-proxy's.

export type Level = "DEBUG" | "INFO" | "WARN" | "ERROR";
export type Logger = (level: Level, msg: string, attrs?: Record<string, unknown>) => void;

export function jsonLogger(debug: boolean, write: (line: string) => void = (l) => process.stdout.write(l)): Logger {
  return (level, msg, attrs = {}) => {
    if (level === "DEBUG" && !debug) return;
    write(`${JSON.stringify({ time: rfc3339Nano(new Date()), level, msg, ...attrs })}\n`);
  };
}

/** Go's time.RFC3339Nano, which slog's JSON handler writes: the fraction without trailing zeros, or none. */
export const rfc3339Nano = (date: Date): string => date.toISOString().replace(/\.?0+Z$/, "Z");
