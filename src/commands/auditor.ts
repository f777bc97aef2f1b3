// The audit log each host keeps of what was done to it (kamal lib/kamal/commands/auditor.rb).
import type { Config } from "../config/model.ts";
import { escape } from "./escape.ts";
import { RUN_DIRECTORY } from "./names.ts";
import { append, and, cmd, type Shell } from "./shell.ts";
import { tags, type Details, type Performed } from "./tags.ts";

/** `.kamal/SVC[-DEST]-audit.log` */
export const auditLogFile = (config: Config): string =>
  `${RUN_DIRECTORY}/${[config.service, config.destination, "audit.log"].filter((part) => part !== undefined).join("-")}`;

/** `[time] [performer] [DEST] [details...] line`: the version and service tags are left out of audit lines. */
export function auditLine(config: Config, performed: Performed, line: string, details: Details = {}): string {
  const shown = tags(config, performed, details).filter(([key]) => !["version", "service_version", "service"].includes(key));
  return `${shown.map(([, value]) => `[${value}]`).join(" ")} ${line}`;
}

/** Appends one line to the host's audit log. */
export const record = (config: Config, performed: Performed, line: string, details: Details = {}): Shell =>
  and(cmd("mkdir", "-p", RUN_DIRECTORY), append(cmd("echo", escape(auditLine(config, performed, line, details))), auditLogFile(config)));

/** The last 50 lines of the audit log (`kamal audit`). */
export const reveal = (config: Config): Shell => cmd("tail", "-n", "50", auditLogFile(config));
