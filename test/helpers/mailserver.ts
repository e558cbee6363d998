// The SMTP side of the end-to-end harness: npm smtp-server on 127.0.0.1 (plain, optionally implicit TLS
// too) with AUTH, delivering every accepted message into one Maildir (the Dovecot user's).
import type { AddressInfo } from "node:net";
import { SMTPServer, type SMTPServerOptions } from "smtp-server";
import { deliverToMaildir, type Owner } from "./mailserver-maildir";

export interface MailServerOptions {
  maildir: string;
  owner?: Owner;
  accounts: { user: string; pass: string }[];
  tls?: { key: string; cert: string };   // adds the implicit-TLS listener
}

export interface MailServer { port: number; securePort?: number; stop(): Promise<void> }

export async function startMailServer(opts: MailServerOptions): Promise<MailServer> {
  const base: SMTPServerOptions = {
    logger: false, authMethods: ["PLAIN", "LOGIN"], allowInsecureAuth: true, hideSTARTTLS: true,
    closeTimeout: 200, size: 25 * 1024 * 1024,
    onAuth(auth, _s, cb) {
      const ok = opts.accounts.some((a) => a.user === auth.username && a.pass === auth.password);
      if (ok) cb(null, { user: auth.username });
      else cb(Object.assign(new Error("Invalid username or password"), { responseCode: 535 }));
    },
    onData(stream, _s, cb) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        // 250 only once the message is in new/, as a real MTA would.
        deliverToMaildir(opts.maildir, Buffer.concat(chunks), opts.owner).then(() => cb(null), (e: Error) => cb(e));
      });
    },
  };
  const servers = [new SMTPServer(base)];
  if (opts.tls) servers.push(new SMTPServer({ ...base, secure: true, key: opts.tls.key, cert: opts.tls.cert }));
  const ports = await Promise.all(servers.map((s) => new Promise<number>((resolve, reject) => {
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => resolve((s.server.address() as AddressInfo).port));
  })));
  return {
    port: ports[0], securePort: ports[1],
    stop: () => Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r())))).then(() => undefined),
  };
}
