import fs from "node:fs";
import { INSTALL_HINT, REQUIRED_BINARIES } from "./settings.ts";

/** The lab cannot run on this machine; the message names the install script. */
export class LabUnavailableError extends Error {
  constructor(reason: string, fix = INSTALL_HINT) {
    super(
      `the integration lab cannot start: ${reason}\n  fix: ${fix}, or set SEXTANT_SKIP_LAB=1 to skip the integration suite`,
    );
    this.name = "LabUnavailableError";
  }
}

export function preflight(): void {
  if (process.platform !== "linux")
    throw new LabUnavailableError(`it needs Linux, this is ${process.platform}`, `use a Debian 12 machine and ${INSTALL_HINT}`);
  if (process.getuid?.() !== 0)
    throw new LabUnavailableError(
      "it needs root (network namespaces, one dockerd per host)",
      `run the tests as root; packages: ${INSTALL_HINT}`,
    );
  const missing = REQUIRED_BINARIES.filter((bin) => !fs.existsSync(bin));
  if (missing.length) throw new LabUnavailableError(`missing ${missing.join(", ")}`);
  if (!fs.existsSync("/sys/fs/cgroup")) throw new LabUnavailableError("no /sys/fs/cgroup", `mount cgroups, then ${INSTALL_HINT}`);
}
