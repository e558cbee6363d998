// The emulated SIM900 (or SIM800: options.model, differences in dialect.ts): input line discipline
// (command, body and raw data modes), echo, dispatch to the command modules, pacing of output,
// faults, reboot. Host-side Node code, bytes are latin1.
import { EventEmitter } from "node:events";
import { Command, parseCommandLine } from "./at-parser";
import type { MailBackend, OutgoingEmail, Pop3Session } from "./backend";
import { Bearers } from "./bearer";
import type { Handler, ModemContext, Output } from "./context";
import { Dialect, dialectOf, Model, reportable } from "./dialect";
import { EmailSettings } from "./email-settings";
import { Faults, normalizeName } from "./faults";
import { LIMITS } from "./limits";
import { Pacer, PacingOptions } from "./pacing";
import { DeliveryModel, Pop3State } from "./pop3-state";
import { createRng, randInt, Rng } from "./rng";
import { SmtpSender } from "./smtp-send";
import { SmtpSettings } from "./smtp-state";
import { Transcript } from "./transcript";

export interface EmulatorOptions extends PacingOptions {
  backend: MailBackend;
  /** Which modem: "sim900" (default) or "sim800" (dialect.ts lists what differs). */
  model?: Model;
  /** Seed of the RNG behind chunk splits and noise. Default 1. */
  seed?: number;
  /** Milliseconds per network step (bearer open, SMTP/POP3 exchanges, each +SMTPFT offer). Default 0. */
  latencyMs?: number;
  /** <maxLength> of "+SMTPFT: 1,<maxLength>". Default 1360 (manual 3.3). */
  ftMax?: number;
  /** How POP3 multi-line responses reach the modem; default all at once. */
  pop3Delivery?: DeliveryModel;
  /** Echo at power-up. Default true (the SIM900 default). */
  echo?: boolean;
  /** Delays after a reboot before "RDY" and before "Call Ready". Default 0 and 10 ms. */
  boot?: { rdyMs?: number; callReadyMs?: number };
  /** Emit the boot banner (RDY ... Call Ready) when created. Default false. */
  bootBanner?: boolean;
  /** Revision string of AT+CGMR. Default per model. */
  revision?: string;
}

export interface EmulatorState {
  model: Model;
  echo: boolean;
  booting: boolean;
  mode: "command" | "body" | "data";
  bearers: Array<{ cid: number; open: boolean; apn: string }>;
  email: { cid: number; timeoutSec: number; ssl: boolean };
  smtp: {
    server: string; port: number; authType: number; user: string; pass: string;
    from: { address: string; name: string };
    recipients: Array<{ type: number; index: number; address: string; name: string }>;
    subject: string; body: Buffer; charset: string;
    attachment: { type: number; name: string; encoding: number } | null;
    phase: string; attachmentSoFar: Buffer;
  };
  pop3: { server: string; user: string; pass: string; port: number; active: boolean; locked: boolean; unread: number };
  lastEmail: OutgoingEmail | null;
}

type Mode =
  | { kind: "command" }
  | { kind: "body"; bytes: number[]; done: (body: Buffer | null) => void }
  | { kind: "data"; left: number; onData: (chunk: Buffer) => void; done: () => void };

const CR = 13, LF = 10, BS = 8, CTRL_Z = 0x1a, ESC = 0x1b;
const MAX_LINE = 2048;

export class Emulator extends EventEmitter {
  /** The model's differences, chosen once from options.model. */
  readonly dialect: Dialect;
  readonly faults: Faults;
  readonly transcript = new Transcript();
  readonly pacer: Pacer;
  readonly options: EmulatorOptions;
  latencyMs: number;
  lastEmail: OutgoingEmail | null = null;

  private rng: Rng;
  private echo: boolean;
  private booting = false;
  private gen = 0; // bumps on reboot: network steps of the old power cycle never complete
  private closed = false;
  private pending: Buffer = Buffer.alloc(0);
  private pos = 0;
  private blocked = false;
  private pumping = false;
  private line: number[] = [];
  private echoBuf: number[] = [];
  private mode: Mode = { kind: "command" };
  private timers = new Set<NodeJS.Timeout>();

  private ctx!: ModemContext;
  private email!: EmailSettings;
  private bearers!: Bearers;
  private smtp!: SmtpSettings;
  private sender!: SmtpSender;
  private pop3!: Pop3State;
  private handlers: Record<string, Handler> = {};

  constructor(options: EmulatorOptions) {
    super();
    this.options = options;
    this.dialect = dialectOf(options.model ?? "sim900");
    this.faults = new Faults(this.dialect);
    this.rng = createRng(options.seed ?? 1);
    this.latencyMs = options.latencyMs ?? 0;
    this.echo = options.echo ?? true;
    this.pacer = new Pacer(options, this.rng, (chunk) => {
      this.transcript.add("out", chunk);
      this.emit("data", chunk);
    });
    this.powerOn();
    if (options.bootBanner) this.banner();
  }

  /** Bytes the host writes to the modem. */
  input(data: Buffer | string): void {
    if (this.closed) return;
    const buf = typeof data === "string" ? Buffer.from(data, "latin1") : data;
    this.transcript.add("in", buf);
    if (this.booting) return; // a modem that is starting up hears nothing
    this.pending = this.pos < this.pending.length ? Buffer.concat([this.pending.subarray(this.pos), buf]) : buf;
    this.pos = 0;
    this.pump();
  }

  /** Resolves when all output produced so far has been delivered (pacing). */
  idle(): Promise<void> { return this.pacer.idle(); }

  /** Changes pacing on the fly. */
  configurePacing(opts: PacingOptions): void { this.pacer.configure(opts); }

  /** Restarts the RNG behind chunk splits and noise (so a soak operation splits the same way when replayed). */
  reseed(seed: number): void {
    this.rng = createRng(seed);
    this.pacer.rng = this.rng;
  }

  /** The network drops the email bearer now (URC "+SAPBR <cid>: DEACT"). */
  dropBearer(cid?: number): boolean { return this.bearers.drop(cid ?? this.email.cid); }

  /** Emits an unsolicited line now, e.g. "RING". */
  injectUrc(line: string): void { this.write("\r\n" + line + "\r\n"); }

  /** Power cycle: "RDY", later "Call Ready"; settings, echo, bearers and sessions are reset. */
  reboot(): void {
    this.gen++;
    this.sender.abort();
    this.pop3.abort();
    this.pacer.discard();
    this.flushTimers();
    this.pending = Buffer.alloc(0);
    this.pos = 0;
    this.blocked = false;
    this.echo = true;
    this.powerOn();
    this.banner();
  }

  state(): EmulatorState {
    const s = this.smtp;
    return {
      model: this.dialect.model,
      echo: this.echo,
      booting: this.booting,
      mode: this.mode.kind,
      bearers: this.bearers.profiles.slice(1).map((p, i) => ({ cid: i + 1, open: p.open, apn: p.params.APN })),
      email: { cid: this.email.cid, timeoutSec: this.email.timeoutSec, ssl: this.email.ssl },
      smtp: {
        server: s.server, port: s.port, authType: s.authType, user: s.user, pass: s.pass,
        from: { address: s.fromAddress, name: s.fromName },
        recipients: s.sortedRecipients().map((r) => ({ ...r })),
        subject: s.subject, body: Buffer.from(s.body), charset: s.charset,
        attachment: s.attachment ? { ...s.attachment } : null,
        phase: this.sender.phase, attachmentSoFar: this.sender.attachmentSoFar(),
      },
      pop3: {
        server: this.pop3.server, user: this.pop3.user, pass: this.pop3.pass, port: this.pop3.port,
        active: this.pop3.active, locked: this.pop3.locked, unread: this.pop3.unread,
      },
      lastEmail: this.lastEmail,
    };
  }

  /** Stops timers and drops any POP3 connection. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.sender.abort();
    this.pop3.abort();
    this.pacer.discard();
    this.flushTimers();
  }

  // --- internals ---

  /** Fresh settings: power-up defaults of every module. */
  private powerOn(): void {
    const out = this.output();
    this.mode = { kind: "command" };
    this.line = [];
    this.email = new EmailSettings(out, this.dialect);
    this.bearers = new Bearers(out, () => this.delay());
    const self = this;
    // A backend code the model never reports (80-84 on a sim800, which speaks no SSL) arrives as a
    // bad server reply (65) or, on a session, a network error (61). Other codes pass unchanged.
    const d = this.dialect;
    const session = (s: Pop3Session): Pop3Session => ({
      command: (line, multiline) => s.command(line, multiline).catch((e: unknown) => {
        const code = (e as { code?: unknown } | null)?.code;
        if (typeof code === "number" && reportable(d, "POP3CMD", code, 61) !== code)
          throw Object.assign(new Error((e as Error).message), { code: 61 });
        throw e;
      }),
      quit: () => s.quit().then((code) => reportable(d, "POP3OUT", code, 61)),
      destroy: () => s.destroy(),
    });
    this.ctx = {
      out,
      dialect: d,
      backend: {
        send: async (mail) => {
          self.lastEmail = mail;
          return reportable(d, "SMTPSEND", await self.options.backend.send(mail), 65);
        },
        pop3Login: async (l) => {
          const r = await self.options.backend.pop3Login(l);
          const code = reportable(d, "POP3IN", r.code, 65);
          return r.session ? { code, session: session(r.session) } : { code };
        },
        close: () => self.options.backend.close(),
      },
      faults: this.faults,
      delay: () => this.delay(),
      emailBearerOpen: () => this.bearers.isOpen(this.email.cid),
      dropEmailBearer: () => void this.bearers.drop(this.email.cid),
      get email() { return { cid: self.email.cid, timeoutSec: self.email.timeoutSec, ssl: self.email.ssl }; },
      enterBody: (done) => { this.mode = { kind: "body", bytes: [], done }; },
      enterData: (n, onData, done) => { this.mode = { kind: "data", left: n, onData, done }; },
      smtpBusy: () => this.sender.busy,
      pop3Active: () => this.pop3.active,
    };
    this.smtp = new SmtpSettings(this.ctx);
    this.sender = new SmtpSender(this.ctx, this.smtp);
    this.sender.ftMax = this.options.ftMax ?? LIMITS.ftMaxDefault;
    this.pop3 = new Pop3State(this.ctx);
    this.pop3.delivery = this.options.pop3Delivery;
    this.bearers.onClosed = (cid) => {
      if (cid !== this.email.cid) return;
      this.sender.bearerLost();
      this.pop3.bearerLost();
    };
    this.handlers = {
      ...this.basicHandlers(),
      ...this.bearers.handlers,
      ...this.email.handlers,
      ...this.smtp.handlers,
      ...this.sender.handlers,
      ...this.pop3.handlers,
    };
  }

  private banner(): void {
    const boot = this.options.boot ?? {};
    this.booting = true;
    this.later(boot.rdyMs ?? 0, () => {
      this.write("\r\nRDY\r\n");
      this.later(boot.callReadyMs ?? 10, () => {
        this.booting = false;
        this.write("\r\nCall Ready\r\n");
      });
    });
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.closed) fn();
    }, ms);
    this.timers.add(t);
  }

  private flushTimers(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  /** One network step. Never resolves after close() (continuations must not run). */
  private delay(): Promise<void> {
    const gen = this.gen;
    const go = (resolve: () => void) => () => {
      if (!this.closed && gen === this.gen) resolve();
    };
    return new Promise((resolve) => {
      if (this.latencyMs > 0) this.later(this.latencyMs, go(resolve));
      else setImmediate(go(resolve));
    });
  }

  private output(): Output {
    const frame = (s: string) => "\r\n" + s + "\r\n";
    return {
      info: (text) => this.write(frame(text)),
      ok: () => { this.write(frame("OK")); this.noise(); },
      error: () => { this.write(frame("ERROR")); this.noise(); },
      urc: (text) => { this.write(frame(text)); this.noise(); },
      raw: (data) => this.write(data),
    };
  }

  private write(data: Buffer | string): void {
    if (this.closed) return;
    this.flushEcho();
    this.pacer.write(typeof data === "string" ? Buffer.from(data, "latin1") : data);
  }

  // URC noise goes only between complete responses and never while the host is typing data.
  private noise(): void {
    const n = this.faults.noise;
    if (n.probability <= 0 || n.lines.length === 0 || this.mode.kind !== "command") return;
    if (this.rng() >= n.probability) return;
    this.write("\r\n" + n.lines[randInt(this.rng, 0, n.lines.length - 1)] + "\r\n");
  }

  private flushEcho(): void {
    if (this.echoBuf.length === 0) return;
    const b = Buffer.from(this.echoBuf);
    this.echoBuf = [];
    this.pacer.write(b);
  }

  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (!this.blocked && !this.closed && this.pos < this.pending.length) {
        const mode = this.mode;
        if (mode.kind === "data") {
          const n = Math.min(mode.left, this.pending.length - this.pos);
          const chunk = this.pending.subarray(this.pos, this.pos + n);
          this.pos += n;
          mode.left -= n;
          mode.onData(chunk);
          if (mode.left === 0) {
            this.mode = { kind: "command" };
            mode.done();
          }
          continue;
        }
        const c = this.pending[this.pos++];
        if (mode.kind === "body") this.bodyByte(mode, c);
        else this.commandByte(c);
      }
    } finally {
      this.pumping = false;
      this.flushEcho();
    }
  }

  // manual 2.8: body text until Ctrl-Z (save) or ESC (cancel); echoed like typed text.
  private bodyByte(mode: Extract<Mode, { kind: "body" }>, c: number): void {
    if (c === CTRL_Z || c === ESC) {
      this.mode = { kind: "command" };
      mode.done(c === ESC ? null : Buffer.from(mode.bytes));
      return;
    }
    if (this.echo) this.echoBuf.push(c);
    mode.bytes.push(c);
  }

  private commandByte(c: number): void {
    if (this.echo) this.echoBuf.push(c);
    if (c === CR) {
      const text = Buffer.from(this.line).toString("latin1");
      const tooLong = this.line.length > MAX_LINE;
      this.line = [];
      if (tooLong) return this.output().error();
      this.dispatch(text);
    } else if (c === LF) {
      // The LF of a CRLF line end: nothing to do.
    } else if (c === BS) this.line.pop();
    else this.line.push(c);
  }

  private dispatch(text: string): void {
    if (text.trim() === "") return; // a bare CR gets no answer
    // V.250 5.2.1: the DCE ignores what comes before "AT" (e.g. filler bytes that found no transfer).
    const at = text.search(/AT/i);
    if (at > 0) text = text.slice(at);
    const out = this.output();
    const cmd = parseCommandLine(text);
    if (!cmd) return out.error();
    const name = cmd.name;
    if (this.faults.takeReboot(name)) return this.reboot();
    if (this.faults.takeSilence(name)) return;
    if (this.faults.takeError(name)) return out.error();
    // manual 2.19: with response data unread only AT+POP3READ and AT+POP3OUT run.
    if (this.pop3.locked && name !== "POP3READ" && name !== "POP3OUT") return out.error();
    const handler = this.handlers[cmd.extended ? name : "#" + name];
    if (!handler) return out.error();
    const result = handler(cmd);
    if (result) {
      // The command holds the line (e.g. AT+SAPBR=1 until the context is up): input waits.
      this.blocked = true;
      void result.then(() => {
        this.blocked = false;
        this.pump();
      });
    }
  }

  private basicHandlers(): Record<string, Handler> {
    const out = this.output();
    const fixed = (line: string): Handler => (cmd: Command) => {
      if (cmd.form === "test") return out.ok();
      if (cmd.form !== "read" && cmd.form !== "exec") return out.error();
      out.info(line);
      out.ok();
    };
    return {
      "#": () => out.ok(),
      "#E": (cmd) => {
        const v = cmd.params[0];
        if (!v || v.kind !== "int" || v.value > 1) return out.error();
        this.echo = v.value === 1;
        out.ok();
      },
      "#I": () => { out.info(this.dialect.ident); out.ok(); },
      CPIN: (cmd) => (cmd.form === "read" ? fixed("+CPIN: READY")(cmd) : out.error()),
      CREG: (cmd) => (cmd.form === "read" ? fixed("+CREG: 0,1")(cmd) : out.error()),
      CGATT: (cmd) => (cmd.form === "read" ? fixed("+CGATT: 1")(cmd) : out.error()),
      CSQ: (cmd) => (cmd.form === "exec" ? fixed("+CSQ: 20,0")(cmd) : cmd.form === "test" ? out.ok() : out.error()),
      CGMM: (cmd) => (cmd.form === "exec" ? fixed(this.dialect.modelId)(cmd) : cmd.form === "test" ? out.ok() : out.error()),
      CGMR: (cmd) =>
        cmd.form === "exec" ? fixed(this.options.revision ?? this.dialect.revision)(cmd)
          : cmd.form === "test" ? out.ok() : out.error(),
    };
  }
}

export function createEmulator(options: EmulatorOptions): Emulator {
  return new Emulator(options);
}

export { normalizeName };
