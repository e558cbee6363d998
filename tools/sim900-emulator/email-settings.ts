// AT+EMAILCID, AT+EMAILTO, AT+EMAILSSL (manual 2.1, 2.2, 2.23): shared by SMTP and POP3.
// AT+EMAILSSL exists only when the dialect has it (not on a SIM800: every form is then ERROR).
import { Command, intArg } from "./at-parser";
import { CIDS } from "./bearer";
import type { Handler, Output } from "./context";
import type { Dialect } from "./dialect";

export class EmailSettings {
  cid = 1;
  timeoutSec = 30; // manual 2.2 default
  ssl = false;

  readonly handlers: Record<string, Handler>;

  constructor(private out: Output, dialect: Dialect) {
    this.handlers = {
      EMAILCID: (cmd) => this.number(cmd, "EMAILCID", 1, CIDS, () => this.cid, (v) => (this.cid = v)),
      EMAILTO: (cmd) => this.number(cmd, "EMAILTO", 10, 120, () => this.timeoutSec, (v) => (this.timeoutSec = v)),
    };
    if (dialect.emailSsl)
      this.handlers.EMAILSSL = (cmd) => {
        if (cmd.form === "test") return this.reply("+EMAILSSL: (0,1)");
        return this.number(cmd, "EMAILSSL", 0, 1, () => (this.ssl ? 1 : 0), (v) => (this.ssl = v === 1));
      };
  }

  private number(cmd: Command, name: string, min: number, max: number, get: () => number, set: (v: number) => void): void {
    switch (cmd.form) {
      case "test": return this.reply("+" + name + ": (" + min + "-" + max + ")");
      case "read": return this.reply("+" + name + ": " + get());
      case "write": {
        const v = intArg(cmd.params, 0, min, max);
        if (cmd.params.length !== 1 || v === null) return this.out.error();
        set(v);
        return this.out.ok();
      }
      default: return this.out.error();
    }
  }

  private reply(line: string): void {
    this.out.info(line);
    this.out.ok();
  }
}
