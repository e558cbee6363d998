// The POP3 commands (manual 2.13-2.22): settings, the session held through the backend, and the
// buffered multi-line response that AT+POP3READ hands out in pieces (manual 2.19).
import { Command, intArg, q, strArg } from "./at-parser";
import type { Pop3Reply, Pop3Session } from "./backend";
import type { Handler, ModemContext } from "./context";
import { LIMITS } from "./limits";

/**
 * How the network delivers a multi-line response to the modem: `initial` bytes at once, then
 * `chunk` more every `intervalMs`. Undefined: everything at once.
 */
export interface DeliveryModel { initial: number; chunk: number; intervalMs: number }

interface ReadBuffer {
  data: Buffer;
  delivered: number;
  read: number;
  waiting: boolean; // a read came up short: report "+POP3READ: 3,<n>" when more arrives
  timer: NodeJS.Timeout | null;
}

export class Pop3State {
  server = "";
  user = "";
  pass = "";
  port = 110;
  delivery: DeliveryModel | undefined;
  private session: Pop3Session | null = null;
  private loggingIn = false;
  private inFlight = false;     // a POP3 command awaits the server
  private run = 0;              // bumps when the session ends: stale continuations check it
  private buf: ReadBuffer | null = null;
  private readBytes = 0;        // payload bytes handed out for the current response (drop fault)
  dead = false;

  constructor(private ctx: ModemContext) {}

  /** Logged in or logging in: SMTP must wait (manual 1.1 item 4). */
  get active(): boolean { return this.loggingIn || this.session !== null; }
  /** manual 2.19: unread response data blocks every command but AT+POP3READ and AT+POP3OUT. */
  get locked(): boolean { return this.buf !== null; }
  get unread(): number { return this.buf ? this.buf.data.length - this.buf.read : 0; }

  private reply(line: string): void {
    this.ctx.out.info(line);
    this.ctx.out.ok();
  }

  readonly handlers: Record<string, Handler> = {
    POP3SRV: (cmd) => {
      const { out } = this.ctx;
      if (cmd.form === "test")
        return this.reply("+POP3SRV: " + LIMITS.pop3Server + "," + LIMITS.pop3User + "," + LIMITS.pop3Password + ",(1-65535)");
      if (cmd.form === "read")
        return this.reply("+POP3SRV: " + q(this.server) + "," + q(this.user) + "," + q(this.pass) + "," + this.port);
      if (cmd.form !== "write" || this.active) return out.error();
      const p = cmd.params;
      const server = strArg(p, 0, LIMITS.pop3Server);
      const user = strArg(p, 1, LIMITS.pop3User);
      const pass = strArg(p, 2, LIMITS.pop3Password);
      const port = p.length > 3 ? intArg(p, 3, 1, 65535) : 110;
      if (p.length < 3 || p.length > 4 || !server || user === null || pass === null || port === null) return out.error();
      Object.assign(this, { server, user, pass, port });
      out.ok();
    },

    POP3IN: (cmd) => {
      const { out } = this.ctx;
      if (cmd.form === "test") return out.ok();
      if (cmd.form !== "exec") return out.error();
      if (this.active || this.ctx.smtpBusy() || !this.server) return out.error();
      out.ok();
      this.loggingIn = true;
      const run = ++this.run;
      void (async () => {
        await this.ctx.delay();
        if (run !== this.run || this.dead) return;
        let code: number;
        let session: Pop3Session | undefined;
        const injected = this.ctx.faults.takePop3In();
        if (!this.ctx.emailBearerOpen()) code = 61;
        else if (injected !== null) code = injected;
        else {
          try {
            const r = await this.ctx.backend.pop3Login({
              host: this.server, port: this.port, ssl: this.ctx.email.ssl,
              user: this.user, pass: this.pass, timeoutMs: this.ctx.email.timeoutSec * 1000,
            });
            code = r.code;
            session = r.session;
          } catch {
            code = 61;
          }
        }
        if (run !== this.run || this.dead) return session?.destroy();
        this.loggingIn = false;
        if (code === 1 && session) this.session = session;
        else session?.destroy();
        this.ctx.out.urc("+POP3IN: " + (code === 1 && !session ? 65 : code));
      })();
    },

    POP3NUM: (cmd) => {
      if (cmd.form === "test") return this.ctx.out.ok();
      if (cmd.form !== "exec") return this.ctx.out.error();
      this.simple("POP3NUM", "STAT", (r) => {
        const m = /^\+OK\s+(\d+)\s+(\d+)/.exec(r.status);
        return r.ok && m ? "+POP3NUM: 1," + m[1] + "," + m[2] : "+POP3NUM: 0";
      });
    },

    POP3LIST: (cmd) => this.numbered(cmd, "POP3LIST", "LIST", (r, n) => {
      const m = /^\+OK\s+(\d+)\s+(\d+)/.exec(r.status);
      return r.ok && m ? "+POP3LIST: 1," + n + "," + m[2] : "+POP3LIST: 0";
    }),

    POP3UIDL: (cmd) => this.numbered(cmd, "POP3UIDL", "UIDL", (r, n) => {
      const m = /^\+OK\s+(\d+)\s+(\S+)/.exec(r.status);
      return r.ok && m ? "+POP3UIDL: 1," + n + "," + m[2] : "+POP3UIDL: 0";
    }),

    POP3DEL: (cmd) => this.numbered(cmd, "POP3DEL", "DELE", (r) => "+POP3DEL: " + (r.ok ? 1 : 0)),

    POP3RSET: (cmd) => {
      if (cmd.form === "test") return this.ctx.out.ok();
      if (cmd.form !== "exec") return this.ctx.out.error();
      // manual 2.21 prints the negative form as "+POP3REST: 0": a typo for +POP3RSET.
      this.simple("POP3RSET", "RSET", (r) => "+POP3RSET: " + (r.ok ? 1 : 0));
    },

    POP3CMD: (cmd) => {
      const { out } = this.ctx;
      const N = LIMITS.msgNumberMax;
      if (cmd.form === "test") return this.reply("+POP3CMD: (1-4),(1-" + N + "),(0-" + LIMITS.topLinesMax + ")");
      if (cmd.form !== "write") return out.error();
      const p = cmd.params;
      const type = intArg(p, 0, 1, 4);
      const n = intArg(p, 1, 1, N);
      let line: string | null = null;
      // manual 2.18: LIST/UIDL take no number, TOP takes number and lines, RETR a number.
      if ((type === 1 || type === 2) && p.length === 1) line = type === 1 ? "LIST" : "UIDL";
      else if (type === 3 && p.length === 3 && n !== null) {
        const lines = intArg(p, 2, 0, LIMITS.topLinesMax);
        if (lines !== null) line = "TOP " + n + " " + lines;
      } else if (type === 4 && p.length === 2 && n !== null) line = "RETR " + n;
      if (line === null) return out.error();
      this.simple("POP3CMD", line, (r) => {
        if (!r.ok) return "+POP3CMD: 0";
        this.startBuffer(r.raw);
        return "+POP3CMD: 1";
      }, true);
    },

    POP3READ: (cmd) => {
      const { out } = this.ctx;
      if (cmd.form === "test") return this.reply("+POP3READ: (1-" + LIMITS.pop3ReadMax + ")");
      const k = intArg(cmd.params, 0, 1, LIMITS.pop3ReadMax);
      const b = this.buf;
      if (cmd.form !== "write" || cmd.params.length !== 1 || k === null || !b) return out.error();
      // manual 2.19: "If some error occur: +POP3OUT: <code>" (69: read data timeout) answers the read.
      const injected = this.ctx.faults.takePop3Command("POP3READ");
      if (injected !== null) return this.endSession(injected, true);
      let take = Math.min(k, b.delivered - b.read);
      const limit = this.ctx.faults.dropAfterPop3ReadBytes;
      const drop = limit !== null && this.readBytes + take >= limit && b.read + take < b.data.length;
      if (drop) take = Math.max(0, limit! - this.readBytes);
      const piece = b.data.subarray(b.read, b.read + take);
      b.read += take;
      this.readBytes += take;
      const done = b.read === b.data.length;
      if (!done && take < k) b.waiting = true;
      // Field notes: "+POP3READ: <1|2>,<k>" CRLF, exactly k raw bytes, then "\r\nOK\r\n".
      out.raw(Buffer.concat([
        Buffer.from("\r\n+POP3READ: " + (done ? 2 : 1) + "," + take + "\r\n", "latin1"),
        piece,
        Buffer.from("\r\nOK\r\n", "latin1"),
      ]));
      if (done) this.clearBuffer();
      if (drop) {
        this.ctx.faults.dropBearerAfterPop3ReadBytes(null);
        this.ctx.dropEmailBearer(); // URC, then bearerLost() ends the session with +POP3OUT: 61
      }
    },

    POP3OUT: (cmd) => {
      const { out } = this.ctx;
      if (cmd.form === "test") return out.ok();
      if (cmd.form !== "exec" || !this.session || this.inFlight) return out.error();
      out.ok();
      const session = this.session;
      this.clearBuffer(); // unread data is dropped with the session
      this.inFlight = true;
      const run = this.run;
      void (async () => {
        await this.ctx.delay();
        if (run !== this.run || this.dead) return;
        const injected = this.ctx.faults.takePop3Command("POP3OUT");
        let code: number;
        if (injected !== null) {
          session.destroy();
          code = injected;
        } else {
          try {
            code = await session.quit();
          } catch {
            code = 61;
          }
        }
        if (run !== this.run || this.dead) return;
        this.endSession(code, false);
      })();
    },
  };

  /** The email bearer dropped: the session (or login) fails with a network error (61). */
  bearerLost(): void {
    if (this.loggingIn) {
      this.run++;
      this.loggingIn = false;
      this.ctx.out.urc("+POP3IN: 61");
    } else if (this.session) this.endSession(61, true);
  }

  /** Reboot: drop the connection without a word. */
  abort(): void {
    this.dead = true;
    this.run++;
    this.clearBuffer();
    this.session?.destroy();
    this.session = null;
    this.loggingIn = false;
  }

  private numbered(cmd: Command, name: string, verb: string, format: (r: Pop3Reply, n: number) => string): void {
    const { out } = this.ctx;
    if (cmd.form === "test") return this.reply("+" + name + ": (1-" + LIMITS.msgNumberMax + ")");
    const n = intArg(cmd.params, 0, 1, LIMITS.msgNumberMax);
    if (cmd.form !== "write" || cmd.params.length !== 1 || n === null) return out.error();
    this.simple(name, verb + " " + n, (r) => format(r, n));
  }

  /** OK now; the server's answer later as a URC; a lost connection ends the session (+POP3OUT). */
  private simple(name: string, line: string, format: (r: Pop3Reply) => string, multiline = false): void {
    const { out } = this.ctx;
    const session = this.session;
    if (!session || this.inFlight) return out.error();
    out.ok();
    this.inFlight = true;
    const run = this.run;
    void (async () => {
      await this.ctx.delay();
      if (run !== this.run || this.dead) return;
      const injected = this.ctx.faults.takePop3Command(name);
      if (injected !== null) return this.endSession(injected, true);
      let reply: Pop3Reply;
      try {
        reply = await session.command(line, multiline);
      } catch (e) {
        if (run !== this.run || this.dead) return;
        const code = (e as { code?: unknown }).code;
        return this.endSession(typeof code === "number" ? code : 61, true);
      }
      if (run !== this.run || this.dead) return;
      this.inFlight = false;
      out.urc(format(reply));
    })();
  }

  private endSession(code: number, destroy: boolean): void {
    if (destroy) this.session?.destroy();
    this.session = null;
    this.inFlight = false;
    this.run++;
    this.clearBuffer();
    this.ctx.out.urc("+POP3OUT: " + code);
  }

  private startBuffer(raw: Buffer): void {
    const d = this.delivery;
    const b: ReadBuffer = { data: raw, delivered: raw.length, read: 0, waiting: false, timer: null };
    this.readBytes = 0;
    this.buf = b;
    if (!d || d.initial >= raw.length) return;
    b.delivered = Math.max(0, d.initial);
    // The rest trickles in; a host told to wait ("+POP3READ: 1,<short>") hears "+POP3READ: 3,<n>".
    const tick = () => {
      if (this.buf !== b) return;
      b.delivered = Math.min(raw.length, b.delivered + Math.max(1, d.chunk));
      if (b.waiting) {
        b.waiting = false;
        this.ctx.out.urc("+POP3READ: 3," + (b.delivered - b.read));
      }
      b.timer = b.delivered < raw.length ? setTimeout(tick, d.intervalMs) : null;
    };
    b.timer = setTimeout(tick, d.intervalMs);
  }

  private clearBuffer(): void {
    if (this.buf?.timer) clearTimeout(this.buf.timer);
    this.buf = null;
  }
}
