// A self-signed certificate for the loopback TLS listeners (embedded SMTPS/POP3S, the Dovecot harness).
// Made fresh with openssl when it is installed; otherwise the throwaway pair in testcert/ is used.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TlsPair { key: string; cert: string }

let cached: Promise<TlsPair> | undefined;

/** One certificate per process: generating is cheap but not free, and nothing needs two. */
export function selfSignedCert(): Promise<TlsPair> {
  if (!cached) cached = generate().catch(() => shippedCert());
  return cached;
}

async function generate(): Promise<TlsPair> {
  const dir = await mkdtemp(join(tmpdir(), "sim900-cert-"));
  try {
    await run("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
      "-nodes", "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem"), "-days", "2",
      "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"]);
    return { key: await readFile(join(dir, "key.pem"), "utf8"), cert: await readFile(join(dir, "cert.pem"), "utf8") };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function shippedCert(): Promise<TlsPair> {
  const dir = join(__dirname, "testcert"); // CommonJS under tsx, as elsewhere in this repo
  return { key: await readFile(join(dir, "key.pem"), "utf8"), cert: await readFile(join(dir, "cert.pem"), "utf8") };
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: 10000 }, (err) => (err ? reject(err) : resolve()));
  });
}
