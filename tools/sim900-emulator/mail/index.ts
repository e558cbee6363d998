// The mail system behind the emulated SIM900: real SMTP/POP3 clients, and by default an in-process
// SMTP + POP3 server pair so the demo and most tests need nothing installed.
import type { MailBackend, OutgoingEmail, Pop3Login, Pop3Session } from "../backend";
import { selfSignedCert, type TlsPair } from "./certs";
import { startEmbeddedPop3, type EmbeddedPop3 } from "./embedded-pop3";
import { startEmbeddedSmtp, type EmbeddedSmtp } from "./embedded-smtp";
import { DEFAULT_ACCOUNT, MailStore, type Account, type StoredMessage } from "./mailbox";
import { pop3Login } from "./pop3-client";
import { parseHostPort, route, type RouterOptions, type Target } from "./routing";
import { smtpSend } from "./smtp-send";

export { DEFAULT_ACCOUNT, type Account, type StoredMessage } from "./mailbox";
export { Pop3Error } from "./pop3-client";

export interface BackendOptions {
  /** "host:port": every SMTP host name the module gives goes there instead of the embedded server. */
  smtp?: string;
  /** "host:port": likewise for POP3 (this is how tests point it at Dovecot). */
  pop3?: string;
  /** Per-name overrides, "name" → "host:port", checked before everything else (e.g. a closed port). */
  hosts?: Record<string, string>;
  /** Embedded accounts; default [{ user: "unit7", pass: "secret" }]. */
  accounts?: Account[];
  /** Certificate for the embedded TLS listeners; default a fresh self-signed one. */
  tls?: TlsPair;
  /** Verify server certificates (the modem does not); default false. */
  rejectUnauthorized?: boolean;
  /** Embedded SMTP refuses MAIL FROM without AUTH (→ 66); default true. */
  smtpAuthRequired?: boolean;
}

export interface EmailBackend extends MailBackend {
  /** Resolves when the embedded listeners are up (send/pop3Login wait for it themselves). */
  readonly ready: Promise<void>;
  readonly smtpPort: number; readonly smtpsPort: number; readonly pop3Port: number; readonly pop3sPort: number;
  /** The embedded maildrop of an account, oldest first (live objects: tests may inspect them). */
  mailbox(user: string): StoredMessage[];
  /** Puts a raw RFC 5322 message (LF or CRLF) into an account's maildrop. */
  deliver(user: string, raw: Buffer | string): StoredMessage;
  /** Adds or changes a host-name override at run time (see BackendOptions.hosts). */
  setHost(name: string, hostPort: string): void;
}

export function createBackend(options: BackendOptions = {}): EmailBackend {
  const store = new MailStore(options.accounts?.length ? options.accounts : [DEFAULT_ACCOUNT]);
  const rejectUnauthorized = options.rejectUnauthorized ?? false;
  const hosts: Record<string, string> = {};
  for (const [k, v] of Object.entries(options.hosts ?? {})) hosts[k.toLowerCase()] = v;
  const smtpOutside = options.smtp ? parseHostPort(options.smtp) : undefined;
  const pop3Outside = options.pop3 ? parseHostPort(options.pop3) : undefined;

  let smtp: EmbeddedSmtp | undefined;
  let pop3: EmbeddedPop3 | undefined;
  const sessions = new Set<Pop3Session>();
  const ready = (async () => {
    // Only start what no outside server replaces.
    if (smtpOutside && pop3Outside) return;
    const pair = options.tls ?? (await selfSignedCert());
    if (!smtpOutside) smtp = await startEmbeddedSmtp(store, pair, options.smtpAuthRequired ?? true);
    if (!pop3Outside) pop3 = await startEmbeddedPop3(store, pair);
  })();
  ready.catch(() => undefined); // surfaced through send/pop3Login/ready, not as an unhandled rejection

  const loopback = (port: number): Target => ({ host: "127.0.0.1", port });
  const router = (outside: Target | undefined, embedded: (ssl: boolean) => number, ssl: boolean): RouterOptions =>
    ({ hosts, outside, embedded: () => loopback(embedded(ssl)) });

  return {
    ready,
    get smtpPort() { return smtp?.port ?? 0; },
    get smtpsPort() { return smtp?.securePort ?? 0; },
    get pop3Port() { return pop3?.port ?? 0; },
    get pop3sPort() { return pop3?.securePort ?? 0; },
    mailbox: (user) => store.messages(user),
    deliver: (user, raw) => store.deliver(user, raw),
    setHost(name, hostPort) { parseHostPort(hostPort); hosts[name.toLowerCase()] = hostPort; },

    async send(mail: OutgoingEmail) {
      try { await ready; } catch { return 61; }
      const target = route(mail.smtp.host, router(smtpOutside, (s) => (s ? smtp!.securePort : smtp!.port), mail.smtp.ssl));
      return smtpSend(mail, target, { rejectUnauthorized });
    },

    async pop3Login(login: Pop3Login) {
      try { await ready; } catch { return { code: 61 }; }
      const target = route(login.host, router(pop3Outside, (s) => (s ? pop3!.securePort : pop3!.port), login.ssl));
      const result = await pop3Login(login, target, rejectUnauthorized);
      const session = result.session;
      if (!session) return result;
      sessions.add(session);
      // Forget the session once it ends, so close() only destroys live ones.
      const forget = <T>(p: Promise<T>) => p.finally(() => sessions.delete(session));
      return {
        code: result.code,
        session: {
          command: (line, multiline) => session.command(line, multiline),
          quit: () => forget(session.quit()),
          destroy: () => { sessions.delete(session); session.destroy(); },
        },
      };
    },

    async close() {
      for (const s of sessions) s.destroy();
      sessions.clear();
      try { await ready; } catch { /* nothing was started */ }
      await Promise.all([smtp?.close(), pop3?.close()]);
    },
  };
}
