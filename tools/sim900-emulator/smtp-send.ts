// AT+SMTPSEND and AT+SMTPFT (manual 2.10, 2.11, example 3.3): the send flow, the attachment
// transfer in chunks, and how a lost bearer or an injected code ends it.
import { intArg } from "./at-parser";
import type { Handler, ModemContext } from "./context";
import { LIMITS } from "./limits";
import type { SmtpSettings } from "./smtp-state";

/**
 * idle: nothing sent. connecting: OK given, first network step pending. ready: "+SMTPFT: 1,<max>"
 * reported, AT+SMTPFT accepted. data: taking chunk bytes. chunk: chunk confirmed, next URC pending.
 * sending: backend.send() in flight.
 */
export type SendPhase = "idle" | "connecting" | "ready" | "data" | "chunk" | "sending";

export class SmtpSender {
  phase: SendPhase = "idle";
  ftMax: number = LIMITS.ftMaxDefault;
  private run = 0;            // bumps on every send and abort: stale continuations check it
  private parts: Buffer[] = [];
  private attachmentBytes = 0;
  private lost = false;       // the bearer dropped during a chunk's data
  dead = false;

  constructor(private ctx: ModemContext, private settings: SmtpSettings) {}

  get busy(): boolean { return this.phase !== "idle"; }

  readonly handlers: Record<string, Handler> = {
    SMTPSEND: (cmd) => {
      const { out } = this.ctx;
      if (cmd.form === "test") return out.ok();
      if (cmd.form !== "exec") return out.error();
      // manual 1.1 item 4: never SMTP while a POP3 session is up.
      if (this.busy || this.ctx.pop3Active()) return out.error();
      const hasAttachment = !!this.settings.attachment;
      if (!this.settings.assemble(hasAttachment ? Buffer.alloc(0) : null)) return out.error();
      out.ok();
      const run = ++this.run;
      this.phase = "connecting";
      this.parts = [];
      this.attachmentBytes = 0;
      this.lost = false;
      void this.ctx.delay().then(() => {
        if (!this.current(run)) return;
        if (!this.ctx.emailBearerOpen()) return this.finish(61); // manual 2.10: network error
        const code = this.ctx.faults.takeSmtpSend("connect");
        if (code !== null) return this.finish(code);
        if (hasAttachment) this.offerChunk();
        else void this.deliver(run);
      });
    },

    SMTPFT: (cmd) => {
      const { out } = this.ctx;
      if (cmd.form === "test") return out.ok();
      if (cmd.form !== "write" || cmd.params.length !== 1) return out.error();
      const n = intArg(cmd.params, 0, 0, this.ftMax); // manual 2.11: reqLength <= maxLength
      if (n === null || this.phase !== "ready") return out.error();
      const run = this.run;
      if (n === 0) {
        out.ok();
        this.phase = "sending";
        void this.ctx.delay().then(() => {
          if (this.current(run)) void this.deliver(run);
        });
        return;
      }
      out.info("+SMTPFT: 2," + n);
      this.phase = "data";
      this.ctx.enterData(n, (chunk) => this.takeData(chunk), () => {
        if (!this.current(run)) return;
        if (this.lost) {
          // The chunk failed (manual 2.11: ERROR) and so did the email.
          out.error();
          return this.finish(61);
        }
        out.ok();
        this.phase = "chunk";
        void this.ctx.delay().then(() => {
          if (this.current(run)) this.offerChunk();
        });
      });
    },
  };

  /** The email bearer went away: any send in progress fails with 61 (manual 2.10). */
  bearerLost(): void {
    if (!this.busy) return;
    if (this.phase === "data") this.lost = true; // reported when the chunk's bytes are all in
    else this.finish(61);
  }

  /** Reboot: forget the send without a word. */
  abort(): void {
    this.run++;
    this.phase = "idle";
    this.dead = true;
  }

  attachmentSoFar(): Buffer { return Buffer.concat(this.parts); }

  private current(run: number): boolean { return !this.dead && run === this.run && this.phase !== "idle"; }

  private offerChunk(): void {
    this.phase = "ready";
    this.ctx.out.urc("+SMTPFT: 1," + this.ftMax);
  }

  private takeData(chunk: Buffer): void {
    if (this.lost || this.dead) return;
    const limit = this.ctx.faults.dropAfterAttachmentBytes;
    if (limit !== null && this.attachmentBytes + chunk.length >= limit) {
      const keep = Math.max(0, limit - this.attachmentBytes);
      this.parts.push(chunk.subarray(0, keep));
      this.attachmentBytes += keep;
      this.ctx.faults.dropBearerAfterAttachmentBytes(null);
      this.ctx.dropEmailBearer(); // URC now; bearerLost() marks the chunk as failed
      return;
    }
    this.parts.push(chunk);
    this.attachmentBytes += chunk.length;
  }

  private async deliver(run: number): Promise<void> {
    this.phase = "sending";
    const injected = this.ctx.faults.takeSmtpSend("final");
    let code: number;
    if (injected !== null) code = injected;
    else {
      const email = this.settings.assemble(this.settings.attachment ? this.attachmentSoFar() : null);
      if (!email) code = 65; // settings became unusable mid-send; cannot happen while guarded
      else {
        try {
          code = await this.ctx.backend.send(email);
        } catch {
          code = 61;
        }
      }
    }
    if (this.current(run)) this.finish(code);
  }

  private finish(code: number): void {
    this.run++;
    this.phase = "idle";
    this.ctx.out.urc("+SMTPSEND: " + code);
  }
}
