// Fault injection: what the tests (or --fault on the CLI) ask the modem to get wrong, and when.
// Each rule fires once unless made "always". A result code the modem's model never reports on that
// command (dialect.ts: 69 on POP3IN/POP3OUT for a sim900, 80-84 for a sim800) is refused when set.
import { absentCode, DIALECTS, Dialect } from "./dialect";

export type Times = "once" | "always";

/** Where an SMTP failure code is reported: right after AT+SMTPSEND's OK, or as the final result. */
export type SmtpStep = "connect" | "final";

interface Rule<T> { value: T; times: Times }

/** URC lines a real modem may emit at any time (manual of the SIM900 AT command set). */
export const DEFAULT_NOISE = ["RING", '+CMTI: "SM",1', "UNDER-VOLTAGE WARNNING"];

/** "AT+SMTPSUB", "+smtpsub" and "SMTPSUB" all name the same command; "AT" is plain AT. */
export function normalizeName(name: string): string {
  const n = name.trim().toUpperCase();
  if (n === "AT") return "";
  return n.replace(/^AT/, "").replace(/^\+/, "");
}

export class Faults {
  private smtpSend: Array<Rule<{ code: number; step: SmtpStep }>> = [];
  private pop3In: Array<Rule<number>> = [];
  private pop3Cmd = new Map<string, Rule<number>>();
  private errors = new Map<string, Times>();
  private silences = new Map<string, Times>();
  private reboots = new Map<string, Times>();
  /** Bearer drops after this many attachment bytes (AT+SMTPFT data), counted per email. */
  dropAfterAttachmentBytes: number | null = null;
  /** Bearer drops after this many AT+POP3READ payload bytes, counted per POP3 response. */
  dropAfterPop3ReadBytes: number | null = null;
  /** Probability (0..1) of a noise URC after each complete response, and the lines to pick from. */
  noise = { probability: 0, lines: DEFAULT_NOISE.slice() };

  /** `dialect`: the model whose result codes the rules must use (default sim900). */
  constructor(private readonly dialect: Dialect = DIALECTS.sim900) {}

  /** +SMTPSEND: <code> instead of the backend's result (manual 2.10: 61-68, 80-84). */
  failSmtpSend(code: number, step: SmtpStep = "final", times: Times = "once"): this {
    this.check("SMTPSEND", "+SMTPSEND", code);
    this.smtpSend.push({ value: { code, step }, times });
    return this;
  }
  /** +POP3IN: <code> instead of logging in (manual 2.14; 69 on a sim800 only). */
  failPop3In(code: number, times: Times = "once"): this {
    this.check("POP3IN", "+POP3IN", code);
    this.pop3In.push({ value: code, times });
    return this;
  }
  /** The named POP3 command (POP3NUM, POP3LIST, POP3CMD, POP3DEL...) loses its connection: +POP3OUT: <code>. */
  failPop3Command(command: string, code: number, times: Times = "once"): this {
    const name = normalizeName(command);
    this.check(name, "+POP3OUT", code);
    this.pop3Cmd.set(name, { value: code, times });
    return this;
  }
  /** AT+POP3OUT answers OK, then +POP3OUT: <code> (manual 2.22; 69 on a sim800 only). */
  failPop3Out(code: number, times: Times = "once"): this {
    return this.failPop3Command("POP3OUT", code, times);
  }
  /** The named command answers ERROR. */
  errorOn(command: string, times: Times = "once"): this {
    this.errors.set(normalizeName(command), times);
    return this;
  }
  /** The named command gets no answer at all (its input is swallowed). */
  silenceOn(command: string, times: Times = "once"): this {
    this.silences.set(normalizeName(command), times);
    return this;
  }
  /** The modem reboots on receiving the named command instead of answering it. */
  rebootOn(command: string, times: Times = "once"): this {
    this.reboots.set(normalizeName(command), times);
    return this;
  }
  dropBearerAfterAttachmentBytes(n: number | null): this {
    this.dropAfterAttachmentBytes = n;
    return this;
  }
  dropBearerAfterPop3ReadBytes(n: number | null): this {
    this.dropAfterPop3ReadBytes = n;
    return this;
  }
  setNoise(probability: number, lines?: string[]): this {
    this.noise = { probability, lines: lines ? lines.slice() : DEFAULT_NOISE.slice() };
    return this;
  }
  clear(): this {
    this.smtpSend = [];
    this.pop3In = [];
    this.pop3Cmd.clear();
    this.errors.clear();
    this.silences.clear();
    this.reboots.clear();
    this.dropAfterAttachmentBytes = null;
    this.dropAfterPop3ReadBytes = null;
    this.noise = { probability: 0, lines: DEFAULT_NOISE.slice() };
    return this;
  }

  private check(command: string, result: string, code: number): void {
    const why = absentCode(this.dialect, command, code);
    if (why !== null)
      throw new Error("fault refused: the " + this.dialect.model + " model never reports " + result + ": " + code +
        " on AT+" + command + " (" + why + ")");
  }

  // --- consumed by the modem ---

  takeSmtpSend(step: SmtpStep): number | null {
    const i = this.smtpSend.findIndex((r) => r.value.step === step);
    if (i < 0) return null;
    const rule = this.smtpSend[i];
    if (rule.times === "once") this.smtpSend.splice(i, 1);
    return rule.value.code;
  }
  takePop3In(): number | null {
    const rule = this.pop3In[0];
    if (!rule) return null;
    if (rule.times === "once") this.pop3In.shift();
    return rule.value;
  }
  takePop3Command(name: string): number | null {
    const rule = this.pop3Cmd.get(name);
    if (!rule) return null;
    if (rule.times === "once") this.pop3Cmd.delete(name);
    return rule.value;
  }
  takeError(name: string): boolean { return take(this.errors, name); }
  takeSilence(name: string): boolean { return take(this.silences, name); }
  takeReboot(name: string): boolean { return take(this.reboots, name); }
}

function take(map: Map<string, Times>, name: string): boolean {
  const times = map.get(name);
  if (!times) return false;
  if (times === "once") map.delete(name);
  return true;
}

/**
 * Applies a CLI fault spec (see README): smtpsend:65[:connect], pop3in:67, pop3cmd:POP3NUM:64,
 * pop3out:63 (= pop3cmd:POP3OUT:63), error:SMTPSUB, silence:POP3LIST, reboot:SMTPSEND,
 * drop-attachment:500, drop-pop3read:2000, noise:0.2. Append ":always" to repeat a rule. Throws on a
 * malformed spec, and on a result code the model of `faults` never reports there.
 */
export function applyFaultSpec(faults: Faults, spec: string): void {
  const parts = spec.split(":");
  const times: Times = parts[parts.length - 1].toLowerCase() === "always" ? (parts.pop(), "always") : "once";
  const kind = parts[0].toLowerCase();
  const num = (s: string | undefined): number => {
    if (s === undefined || !/^\d+(\.\d+)?$/.test(s)) throw new Error("bad fault spec: " + spec);
    return Number(s);
  };
  switch (kind) {
    case "smtpsend": {
      const step = (parts[2] || "final").toLowerCase();
      if (step !== "connect" && step !== "final") throw new Error("bad fault spec: " + spec);
      faults.failSmtpSend(num(parts[1]), step, times);
      return;
    }
    case "pop3in": faults.failPop3In(num(parts[1]), times); return;
    case "pop3cmd": faults.failPop3Command(need(parts[1], spec), num(parts[2]), times); return;
    case "pop3out": faults.failPop3Out(num(parts[1]), times); return;
    case "error": faults.errorOn(need(parts[1], spec), times); return;
    case "silence": faults.silenceOn(need(parts[1], spec), times); return;
    case "reboot": faults.rebootOn(need(parts[1], spec), times); return;
    case "drop-attachment": faults.dropBearerAfterAttachmentBytes(num(parts[1])); return;
    case "drop-pop3read": faults.dropBearerAfterPop3ReadBytes(num(parts[1])); return;
    case "noise": faults.setNoise(num(parts[1])); return;
    default: throw new Error("unknown fault: " + spec);
  }
}

function need(s: string | undefined, spec: string): string {
  if (!s) throw new Error("bad fault spec: " + spec);
  return s;
}
