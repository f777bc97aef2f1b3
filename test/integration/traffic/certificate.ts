// A self-signed certificate for the app's host name, made with openssl at test time: the proxy serves it
// (proxy.ssl certificate_pem/private_key_pem secrets) and the traffic's HTTPS clients trust it and nothing else.
import { execa } from "execa";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export type Certificate = { readonly certificatePem: string; readonly privateKeyPem: string };

export async function selfSignedCertificate(hostName: string): Promise<Certificate> {
  const dir = mkdtempSync(join(tmpdir(), "sextant-cert-"));
  try {
    await execa("openssl", [
      "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
      "-subj", `/CN=${hostName}`, "-addext", `subjectAltName=DNS:${hostName}`,
      "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem"),
    ]);
    return { certificatePem: readFileSync(join(dir, "cert.pem"), "utf8"), privateKeyPem: readFileSync(join(dir, "key.pem"), "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
