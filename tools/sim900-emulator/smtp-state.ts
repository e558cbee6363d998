// The SMTP settings commands (manual 2.3-2.9, 2.12) and assembling the email they describe.
// AT+SMTPBODY takes the body as the dialect says: the SIM900's prompt or the SIM800's DOWNLOAD.
// Settings persist across emails until changed, like the modem.
import { Command, intArg, q, strArg } from "./at-parser";
import type { Mailbox, OutgoingEmail } from "./backend";
import type { Handler, ModemContext } from "./context";
import { LIMITS } from "./limits";

export interface Recipient { type: number; index: number; address: string; name: string }
export interface Attachment { type: 1 | 2; name: string; encoding: 0 | 1 }

export class SmtpSettings {
  server = "";
  port = 25;
  authType = 0;
  user = "";
  pass = "";
  fromAddress = "";
  fromName = "";
  recipients: Recipient[] = [];
  subject = "";
  body: Buffer = Buffer.alloc(0);
  charset = "ASCII";
  attachment: Attachment | null = null;

  constructor(private ctx: ModemContext) {}

  /** Setting commands answer ERROR while an email is being sent (its settings are in use). */
  private guard(cmd: Command): boolean {
    if (cmd.form === "write" || cmd.form === "exec") {
      if (this.ctx.smtpBusy()) {
        this.ctx.out.error();
        return false;
      }
    }
    return true;
  }

  private reply(line: string): void {
    this.ctx.out.info(line);
    this.ctx.out.ok();
  }

  readonly handlers: Record<string, Handler> = {
    SMTPSRV: (cmd) => {
      if (!this.guard(cmd)) return;
      const { out } = this.ctx;
      if (cmd.form === "test") return this.reply("+SMTPSRV: " + LIMITS.smtpServer + ",(1-65535)");
      if (cmd.form === "read") return this.reply("+SMTPSRV: " + q(this.server) + "," + this.port);
      if (cmd.form !== "write") return out.error();
      const p = cmd.params;
      const server = strArg(p, 0, LIMITS.smtpServer);
      const port = p.length > 1 ? intArg(p, 1, 1, 65535) : 25;
      if (p.length > 2 || !server || port === null) return out.error();
      this.server = server;
      this.port = port;
      out.ok();
    },

    SMTPAUTH: (cmd) => {
      if (!this.guard(cmd)) return;
      const { out } = this.ctx;
      if (cmd.form === "test") return this.reply("+SMTPAUTH: (0,1)," + LIMITS.smtpUser + "," + LIMITS.smtpPassword);
      if (cmd.form === "read") return this.reply("+SMTPAUTH: " + this.authType + "," + q(this.user) + "," + q(this.pass));
      if (cmd.form !== "write") return out.error();
      const p = cmd.params;
      const type = intArg(p, 0, 0, 1);
      // manual 2.4: with type 0 user and password must not be given; with 1 both are needed.
      if (type === 0 && p.length === 1) {
        this.authType = 0;
        this.user = this.pass = "";
        return out.ok();
      }
      const user = strArg(p, 1, LIMITS.smtpUser);
      const pass = strArg(p, 2, LIMITS.smtpPassword);
      if (type !== 1 || p.length !== 3 || user === null || pass === null) return out.error();
      this.authType = 1;
      this.user = user;
      this.pass = pass;
      out.ok();
    },

    SMTPFROM: (cmd) => {
      if (!this.guard(cmd)) return;
      const { out } = this.ctx;
      if (cmd.form === "test") return this.reply("+SMTPFROM: " + LIMITS.senderAddress + "," + LIMITS.senderName);
      if (cmd.form === "read") return this.reply("+SMTPFROM: " + q(this.fromAddress) + "," + q(this.fromName));
      if (cmd.form !== "write") return out.error();
      const p = cmd.params;
      const address = strArg(p, 0, LIMITS.senderAddress);
      const name = p.length > 1 ? strArg(p, 1, LIMITS.senderName) : "";
      if (p.length > 2 || address === null || name === null) return out.error();
      this.fromAddress = address;
      this.fromName = name;
      out.ok();
    },

    SMTPRCPT: (cmd) => {
      if (!this.guard(cmd)) return;
      const { out } = this.ctx;
      const max = LIMITS.rcptIndexMax;
      if (cmd.form === "test")
        return this.reply("+SMTPRCPT: (0-2),(0-" + max + ")," + LIMITS.rcptAddress + "," + LIMITS.rcptName);
      if (cmd.form === "read") {
        // manual 2.6: one line per recipient, CRLF-separated, or just OK when there are none.
        const lines = this.sortedRecipients().map(
          (r) => "+SMTPRCPT: " + r.type + "," + r.index + "," + q(r.address) + "," + q(r.name),
        );
        if (lines.length) out.info(lines.join("\r\n"));
        return out.ok();
      }
      if (cmd.form !== "write") return out.error();
      const p = cmd.params;
      const type = intArg(p, 0, 0, 2);
      if (type === null || p.length > 4) return out.error();
      if (p.length === 1) {
        // manual 2.6 note: only <rcptType> deletes all recipients of that type.
        this.recipients = this.recipients.filter((r) => r.type !== type);
        return out.ok();
      }
      const index = intArg(p, 1, 0, max);
      if (index === null) return out.error();
      const others = this.recipients.filter((r) => r.type !== type || r.index !== index);
      if (p.length === 2) {
        // <rcptType>,<index> deletes that one item.
        this.recipients = others;
        return out.ok();
      }
      const address = strArg(p, 2, LIMITS.rcptAddress);
      const name = p.length > 3 ? strArg(p, 3, LIMITS.rcptName) : "";
      if (!address || name === null) return out.error();
      others.push({ type, index, address, name });
      this.recipients = others;
      out.ok();
    },

    SMTPSUB: (cmd) => {
      if (!this.guard(cmd)) return;
      const { out } = this.ctx;
      if (cmd.form === "test") return this.reply("+SMTPSUB: " + LIMITS.subject);
      if (cmd.form === "read") return this.reply("+SMTPSUB: " + q(this.subject));
      if (cmd.form !== "write") return out.error();
      const subject = strArg(cmd.params, 0, LIMITS.subject);
      if (cmd.params.length !== 1 || subject === null) return out.error();
      this.subject = subject;
      out.ok();
    },

    SMTPBODY: (cmd) => {
      if (!this.guard(cmd)) return;
      if (cmd.form === "test") return this.reply("+SMTPBODY: " + LIMITS.body);
      if (this.ctx.dialect.body === "download") this.downloadBody(cmd);
      else this.promptBody(cmd);
    },

    SMTPFILE: (cmd) => {
      if (!this.guard(cmd)) return;
      const { out } = this.ctx;
      if (cmd.form === "test") return this.reply("+SMTPFILE: (0-2)," + LIMITS.fileName + ",(0,1)");
      if (cmd.form === "read") {
        const a = this.attachment;
        return this.reply(a ? "+SMTPFILE: " + a.type + "," + q(a.name) + "," + a.encoding : "+SMTPFILE: 0");
      }
      if (cmd.form !== "write") return out.error();
      const p = cmd.params;
      const type = intArg(p, 0, 0, 2);
      if (type === 0 && p.length === 1) {
        this.attachment = null;
        return out.ok();
      }
      const name = strArg(p, 1, LIMITS.fileName);
      const enc = intArg(p, 2, 0, 1);
      // manual 2.9 note: a txt file (1) goes 7bit (0), a binary file (2) base64 (1).
      if (p.length !== 3 || !name || type === null || enc === null || enc !== type - 1) return out.error();
      this.attachment = { type: type as 1 | 2, name, encoding: enc as 0 | 1 };
      out.ok();
    },

    SMTPCS: (cmd) => {
      if (!this.guard(cmd)) return;
      const { out } = this.ctx;
      if (cmd.form === "test") return this.reply("+SMTPCS: " + LIMITS.charset);
      if (cmd.form === "read") return this.reply("+SMTPCS: " + q(this.charset));
      if (cmd.form !== "write") return out.error();
      const cs = strArg(cmd.params, 0, LIMITS.charset);
      if (cmd.params.length !== 1 || !cs) return out.error();
      this.charset = cs;
      out.ok();
    },
  };

  // SIM900 manual 2.8: "AT+SMTPBODY" (2.8 writes "AT+SMTPBODY=", example 3.2 "AT+SMTPBODY": both
  // accepted), the prompt "> ", echoed text, Ctrl-Z stores, ESC cancels.
  private promptBody(cmd: Command): void {
    const { out } = this.ctx;
    if (!(cmd.form === "exec" || (cmd.form === "write" && cmd.params.length === 0))) return out.error();
    out.raw("\r\n> ");
    this.ctx.enterBody((body) => {
      if (body === null) return out.ok(); // ESC: cancelled, body unchanged
      if (body.length > LIMITS.body) return out.error();
      this.body = body;
      out.ok();
    });
  }

  // SIM800 V1.09 p296-297: "AT+SMTPBODY=<length>", then "DOWNLOAD", then exactly <length> bytes taken
  // raw (not echoed; Ctrl-Z and ESC are data), then OK. <length> counts bytes, as typed (hex text
  // under a non-ASCII charset), at most the test form's <bodyLength>. The manual gives no input
  // timeout: the input stays open until the last byte (or a reboot). 0 stores an empty body at once.
  private downloadBody(cmd: Command): void {
    const { out } = this.ctx;
    const n = intArg(cmd.params, 0, 0, LIMITS.body);
    if (cmd.form !== "write" || cmd.params.length !== 1 || n === null) return out.error();
    out.info("DOWNLOAD");
    const parts: Buffer[] = [];
    const done = () => {
      this.body = Buffer.concat(parts);
      out.ok();
    };
    if (n === 0) return done();
    this.ctx.enterData(n, (chunk) => void parts.push(Buffer.from(chunk)), done);
  }

  sortedRecipients(): Recipient[] {
    return this.recipients.slice().sort((a, b) => a.type - b.type || a.index - b.index);
  }

  /**
   * The email as it would go out, or null when it cannot (no server, sender or recipient, or a
   * subject/body that is not valid hex under a non-ASCII charset: checked at send time, manual 2.12).
   */
  assemble(attachmentData: Buffer | null): OutgoingEmail | null {
    if (!this.server || !this.fromAddress || this.recipients.length === 0) return null;
    let subject = this.subject;
    let body = this.body.toString("latin1");
    if (!isAscii(this.charset)) {
      const s = decodeHex(subject, this.charset);
      const b = decodeHex(body, this.charset);
      if (s === null || b === null) return null;
      subject = s;
      body = b;
    }
    const box = (r: Recipient): Mailbox => (r.name ? { address: r.address, name: r.name } : { address: r.address });
    const rcpts = this.sortedRecipients();
    const email: OutgoingEmail = {
      smtp: {
        host: this.server,
        port: this.port,
        ssl: this.ctx.email.ssl,
        ...(this.authType === 1 ? { auth: { user: this.user, pass: this.pass } } : {}),
      },
      from: this.fromName ? { address: this.fromAddress, name: this.fromName } : { address: this.fromAddress },
      to: rcpts.filter((r) => r.type === 0).map(box),
      cc: rcpts.filter((r) => r.type === 1).map(box),
      bcc: rcpts.filter((r) => r.type === 2).map(box),
      subject,
      body,
      charset: this.charset,
      timeoutMs: this.ctx.email.timeoutSec * 1000,
    };
    if (this.attachment && attachmentData)
      email.attachment = { name: this.attachment.name, binary: this.attachment.type === 2, data: attachmentData };
    return email;
  }
}

export function isAscii(charset: string): boolean {
  const c = charset.toUpperCase();
  return c === "ASCII" || c === "US-ASCII";
}

/** Hex text to a string in the given charset; null unless an even number of hex digits. */
export function decodeHex(hex: string, charset: string): string | null {
  if (hex.length % 2 !== 0 || !/^[0-9A-Fa-f]*$/.test(hex)) return null;
  const bytes = Buffer.from(hex, "hex");
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    return bytes.toString("latin1"); // a charset label Node does not know
  }
}
