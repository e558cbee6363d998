// A minimal POP3 client over net/tls that hands back every reply byte for byte (AT+POP3READ relays
// the server's raw bytes, dot-stuffing and final dot line included).
import * as net from "node:net";
import * as tls from "node:tls";
import type { Pop3Login, Pop3Reply, Pop3Session } from "../backend";
import { sniName, type Target } from "./routing";
import { isTlsError } from "./smtp-codes";

/** +POP3IN / +POP3OUT codes (manual 2.14, 2.22). */
export const POP3 = {
  OK: 1, NETWORK: 61, DNS: 62, TCP: 63, TIMEOUT: 64, SERVER: 65, USER: 67, PASS: 68, TLS_HANDSHAKE: 83,
} as const;

/** What command() rejects with when the session breaks; code is a +POP3OUT code (61, 64). */
export class Pop3Error extends Error {
  constructor(readonly code: number, message: string) { super(message); }
}

const TERMINATOR = Buffer.from("\r\n.\r\n");

class Connection {
  private buf = Buffer.alloc(0);
  private waiter?: () => void;
  private failure?: Pop3Error;
  constructor(readonly sock: net.Socket, readonly timeoutMs: number) {
    sock.on("data", (c: Buffer) => { this.buf = Buffer.concat([this.buf, c]); this.wake(); });
    sock.on("error", (e: NodeJS.ErrnoException) => this.fail(new Pop3Error(POP3.NETWORK, e.message)));
    sock.on("close", () => this.fail(new Pop3Error(POP3.NETWORK, "connection closed by the server")));
  }
  private fail(e: Pop3Error) { if (!this.failure) this.failure = e; this.wake(); }
  private wake() { const w = this.waiter; this.waiter = undefined; w?.(); }

  /** Reads one reply: the status line, and when multiline and +OK, everything up to the dot line. */
  async reply(multiline: boolean): Promise<Pop3Reply> {
    const deadline = Date.now() + this.timeoutMs;
    let scanned = 0;
    for (;;) {
      const eol = this.buf.indexOf("\r\n");
      if (eol >= 0) {
        const status = this.buf.subarray(0, eol).toString("latin1");
        const ok = status.startsWith("+OK");
        let end = eol + 2;
        if (ok && multiline) {
          // The status line's own CRLF may serve as the CRLF before the dot of an empty listing.
          const at = this.buf.indexOf(TERMINATOR, Math.max(eol, scanned));
          end = at < 0 ? -1 : at + TERMINATOR.length;
          if (at < 0) scanned = Math.max(eol, this.buf.length - TERMINATOR.length);
        }
        if (end >= 0) {
          const raw = Buffer.from(this.buf.subarray(0, end));
          this.buf = this.buf.subarray(end);
          return { ok, status, raw };
        }
      }
      if (this.failure) throw this.failure;
      const left = deadline - Date.now();
      if (left <= 0) throw new Pop3Error(POP3.TIMEOUT, "timeout waiting for the POP3 server");
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => { this.waiter = undefined; resolve(); }, left);
        this.waiter = () => { clearTimeout(t); resolve(); };
      });
    }
  }

  async command(line: string, multiline: boolean): Promise<Pop3Reply> {
    if (this.failure) throw this.failure;
    this.sock.write(line + "\r\n");
    return this.reply(multiline);
  }
}

class Session implements Pop3Session {
  private chain: Promise<unknown> = Promise.resolve();
  constructor(private readonly conn: Connection) {}

  command(line: string, multiline: boolean): Promise<Pop3Reply> {
    // One command at a time on the wire, whatever the caller does.
    const next = this.chain.then(() => this.conn.command(line, multiline));
    this.chain = next.catch(() => undefined);
    return next;
  }

  async quit(): Promise<number> {
    try {
      await this.command("QUIT", false);
      return POP3.OK;
    } catch (e) {
      return e instanceof Pop3Error ? e.code : POP3.NETWORK;
    } finally {
      this.conn.sock.end();
      this.conn.sock.destroySoon?.();
    }
  }

  destroy(): void { this.conn.sock.destroy(); }
}

/** Connects and logs in. Resolves a +POP3IN code, with the session when it is 1; never rejects. */
export async function pop3Login(login: Pop3Login, target: Target | null, rejectUnauthorized: boolean):
    Promise<{ code: number; session?: Pop3Session }> {
  if (!target) return { code: POP3.DNS };
  const timeoutMs = Math.max(1, login.timeoutMs);
  const connected = await connect(target, login, timeoutMs, rejectUnauthorized);
  if (typeof connected === "number") return { code: connected };
  const conn = new Connection(connected, timeoutMs);
  try {
    const greeting = await conn.reply(false);
    if (!greeting.ok) throw new Pop3Error(POP3.SERVER, greeting.status);
    if (!(await conn.command("USER " + login.user, false)).ok) throw new Pop3Error(POP3.USER, "USER rejected");
    if (!(await conn.command("PASS " + login.pass, false)).ok) throw new Pop3Error(POP3.PASS, "PASS rejected");
    return { code: POP3.OK, session: new Session(conn) };
  } catch (e) {
    connected.destroy();
    // Closed or silent before a greeting still counts as a bad server response at login.
    const code = e instanceof Pop3Error ? e.code : POP3.SERVER;
    return { code: code === POP3.NETWORK ? POP3.SERVER : code };
  }
}

/** The socket once TCP (and TLS when ssl) is up, or the +POP3IN code of the failure. */
function connect(target: Target, login: Pop3Login, timeoutMs: number, rejectUnauthorized: boolean): Promise<net.Socket | number> {
  return new Promise((resolve) => {
    const sock = login.ssl
      ? tls.connect({ host: target.host, port: target.port, servername: sniName(login.host), rejectUnauthorized })
      : net.connect({ host: target.host, port: target.port });
    sock.setNoDelay(true);
    const timer = setTimeout(() => { sock.destroy(); resolve(POP3.TIMEOUT); }, timeoutMs);
    sock.once(login.ssl ? "secureConnect" : "connect", () => {
      clearTimeout(timer);
      sock.removeAllListeners("error");
      resolve(sock);
    });
    sock.once("error", (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      sock.destroy();
      if (e.code === "ECONNREFUSED" || e.code === "EHOSTUNREACH" || e.code === "ENETUNREACH") resolve(POP3.TCP);
      else if (e.code === "ENOTFOUND" || e.code === "EAI_AGAIN") resolve(POP3.DNS);
      else if (login.ssl) resolve(isTlsError(e) || e.code === "ECONNRESET" ? POP3.TLS_HANDSHAKE : POP3.NETWORK);
      else resolve(POP3.NETWORK);
    });
  });
}
