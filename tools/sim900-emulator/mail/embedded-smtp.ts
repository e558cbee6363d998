// The embedded SMTP side: npm smtp-server on 127.0.0.1, one plain and one implicit-TLS listener,
// AUTH PLAIN/LOGIN against the accounts, every accepted message stored in the MailStore.
import type { AddressInfo } from "node:net";
import { SMTPServer, type SMTPServerOptions } from "smtp-server";
import type { TlsPair } from "./certs";
import type { MailStore } from "./mailbox";
import { isUnresolvable } from "./routing";

export interface EmbeddedSmtp { port: number; securePort: number; close(): Promise<void> }

export async function startEmbeddedSmtp(store: MailStore, tls: TlsPair, authRequired: boolean): Promise<EmbeddedSmtp> {
  const base: SMTPServerOptions = {
    logger: false, banner: "SIM900 emulator mail system", authMethods: ["PLAIN", "LOGIN"],
    authOptional: !authRequired, allowInsecureAuth: true, hideSTARTTLS: true, closeTimeout: 200,
    size: 25 * 1024 * 1024,
    onAuth(auth, _session, cb) {
      if (store.check(auth.username ?? "", auth.password ?? "")) cb(null, { user: auth.username });
      else cb(Object.assign(new Error("Invalid username or password"), { responseCode: 535 }));
    },
    onRcptTo(address, _session, cb) {
      // A recipient in an .invalid domain is the one way to provoke "550 bad recipient" (code 68).
      const domain = address.address.split("@").pop() ?? "";
      if (isUnresolvable(domain)) cb(Object.assign(new Error("No such recipient"), { responseCode: 550 }));
      else cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks);
        // One copy per mailbox even when several recipients land in the same one (the catch-all).
        const users = new Set(session.envelope.rcptTo.map((r) => store.userFor(r.address)));
        for (const u of users) store.deliver(u, raw);
        cb(null);
      });
    },
  };
  const plain = new SMTPServer(base);
  const secure = new SMTPServer({ ...base, secure: true, key: tls.key, cert: tls.cert });
  const port = await listen(plain);
  const securePort = await listen(secure);
  return {
    port, securePort,
    close: () => Promise.all([plain, secure].map((s) => new Promise<void>((r) => s.close(() => r())))).then(() => undefined),
  };
}

function listen(server: SMTPServer): Promise<number> {
  return new Promise((resolve, reject) => {
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => resolve((server.server.address() as AddressInfo).port));
  });
}
