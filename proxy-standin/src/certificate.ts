// Static TLS certificates (--tls-certificate-path/--tls-private-key-path). Automatic ACME certificates cannot
// be obtained offline, so services relying on them get no certificate here (see README: simplifications).
import { readFileSync } from "node:fs";
import { createSecureContext, type SecureContext } from "node:tls";
import type { ServiceOptions } from "./options.ts";

export class CertificateError extends Error {}

export function loadCertificate(options: ServiceOptions): SecureContext | undefined {
  if (!options.tls_enabled) return undefined;
  if (options.tls_certificate_path === "") {
    if (options.hosts.some((host) => host.includes("*"))) throw new CertificateError("automatic TLS does not support wildcards");
    return undefined;
  }
  try {
    return createSecureContext(certificateFiles(options));
  } catch {
    throw new CertificateError("unable to load certificate");
  }
}

/** The static certificate and key, read from disk. */
export function certificateFiles(options: ServiceOptions): { cert: Buffer; key: Buffer } {
  return { cert: readFileSync(options.tls_certificate_path), key: readFileSync(options.tls_private_key_path) };
}
