// What the command modules (bearer, SMTP, POP3) may use of the modem core. Kept as an interface
// so each module is testable and none imports modem.ts (no cycles).
import type { Command } from "./at-parser";
import type { MailBackend } from "./backend";
import type { Dialect } from "./dialect";
import type { Faults } from "./faults";

export type Handler = (cmd: Command) => void | Promise<void>;

export interface Output {
  /** An information line before the final result: "\r\n<text>\r\n". */
  info(text: string): void;
  ok(): void;
  error(): void;
  /** An unsolicited result code, "\r\n<text>\r\n"; noise may follow it. */
  urc(text: string): void;
  /** Bytes exactly as given (prompts, payloads). */
  raw(data: Buffer | string): void;
}

export interface ModemContext {
  out: Output;
  /** The emulated model's differences (dialect.ts). */
  dialect: Dialect;
  backend: MailBackend;
  faults: Faults;
  /** Waits one network step (options.latencyMs). */
  delay(): Promise<void>;
  /** The bearer profile AT+EMAILCID names is open (manual 2.1). */
  emailBearerOpen(): boolean;
  /** The network drops the email bearer: "+SAPBR <cid>: DEACT" and the email ops fail. */
  dropEmailBearer(): void;
  email: { cid: number; timeoutSec: number; ssl: boolean };
  /** Switches input to AT+SMTPBODY text mode until Ctrl-Z (body) or ESC (null). */
  enterBody(done: (body: Buffer | null) => void): void;
  /** Switches input to raw data mode for exactly n bytes (AT+SMTPFT, SIM800 AT+SMTPBODY=<n>); no echo. */
  enterData(n: number, onData: (chunk: Buffer) => void, done: () => void): void;
  smtpBusy(): boolean;
  pop3Active(): boolean;
}
