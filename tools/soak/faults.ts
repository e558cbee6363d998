// The faults the soak injects, after test/fault-matrix.test.ts: ERROR, silence, reboot, bearer drop,
// garbage and an over-long line at a command, result codes (+SMTPSEND, +POP3IN, +POP3OUT), a bearer
// drop in the middle of a transfer, and URC noise. Each is armed on the port and strikes just before
// its command reaches the modem.
import type { Emulator } from "../sim900-emulator/modem";
import type { FaultyPort } from "../sim900-emulator/faulty-port";
import { Rng, randInt } from "../sim900-emulator/rng";
import { pick } from "./content";

export type OpKind = "send" | "streamed" | "whole" | "fetch";

export interface Fault {
  /** e.g. "POP3READ#2 × SILENCE", "SMTPSEND × +SMTPSEND: 64 (final)". */
  name: string;
  /** The operation may still succeed (its data must then be intact). */
  harmless: boolean;
  arm(emu: Emulator, port: FaultyPort): void;
  /** Did it strike? `received`: what the module was handed during the operation. */
  struck(port: FaultyPort, received: string): boolean;
}

const GARBAGE = "\x00\xff\x1b\x7f#%garbage\xfe\x80";
const LONG_LINE = "\r\n+CUSD: " + "x".repeat(300) + "\r\n";
const SMTP_CODES = [61, 62, 63, 64, 65, 66, 67, 68, 80, 81, 82, 83, 84];
const POP3OUT_CODES = [61, 62, 63, 64, 80, 81, 82, 83, 84];
const GENERIC = ["ERROR", "SILENCE", "REBOOT", "DEACT", "GARBAGE", "LONG"] as const;

/** Commands each operation always issues (with the logout the soak makes before each POP3 operation). */
const COMMANDS: Record<OpKind, string[]> = {
  send: ["SMTPSUB", "SMTPBODY", "SMTPFILE", "SMTPSEND", "SMTPFT"],
  streamed: ["POP3SRV", "POP3IN", "POP3CMD", "POP3READ"],
  whole: ["POP3SRV", "POP3IN", "POP3CMD", "POP3READ"],
  fetch: ["POP3SRV", "POP3IN", "POP3CMD", "POP3READ", "POP3DEL", "POP3OUT"],
};

function commandRe(cmd: string): RegExp {
  return cmd === "SMTPFT" ? /^AT\+SMTPFT=[1-9]/ : new RegExp("^AT\\+" + cmd + "(=|\\r)");
}

function atCommand(cmd: string, nth: number, what: string, harmless: boolean, action: (emu: Emulator, port: FaultyPort) => void): Fault {
  return {
    name: `${cmd}${nth > 1 ? "#" + nth : ""} × ${what}`,
    harmless,
    arm: (emu, port) => port.arm(commandRe(cmd), () => action(emu, port), nth),
    struck: (port) => !port.armed(),
  };
}

function generic(kind: (typeof GENERIC)[number], cmd: string, nth: number): Fault {
  const harmless = kind === "GARBAGE" || (kind === "ERROR" && cmd === "POP3SRV"); // the module logs out and retries
  return atCommand(cmd, nth, kind, harmless, (emu, port) => {
    switch (kind) {
      case "ERROR": emu.faults.errorOn(cmd); break;
      case "SILENCE": emu.faults.silenceOn(cmd); break;
      case "REBOOT": emu.faults.rebootOn(cmd); break;
      case "DEACT":
        if (!emu.dropBearer(1)) port.inject("\r\n+SAPBR 1: DEACT\r\n");
        break;
      case "GARBAGE": port.inject(GARBAGE); break;
      case "LONG": port.inject(LONG_LINE); break;
    }
  });
}

/** A fault for an operation of `kind` whose payload (attachment or message) has `bytes` bytes. */
export function pickFault(rng: Rng, kind: OpKind, bytes: number): Fault {
  const r = rng();
  if (r < 0.08) {
    const p = 0.2 + rng() * 0.6;
    return {
      name: `URC noise ${p.toFixed(2)}`, harmless: true,
      arm: (emu) => void emu.faults.setNoise(p), struck: () => true,
    };
  }
  if (r < 0.2 && bytes > 1) {
    const at = randInt(rng, 1, bytes - 1);
    const send = kind === "send";
    return {
      name: `bearer drop after ${at} ${send ? "attachment" : "AT+POP3READ payload"} bytes`, harmless: false,
      arm: (emu) => void (send ? emu.faults.dropBearerAfterAttachmentBytes(at) : emu.faults.dropBearerAfterPop3ReadBytes(at)),
      struck: (_port, received) => received.indexOf("+SAPBR 1: DEACT") >= 0,
    };
  }
  const cmd = pick(rng, COMMANDS[kind]);
  const nth = cmd === "POP3READ" || cmd === "POP3CMD" || cmd === "SMTPFT" ? randInt(rng, 1, 2) : 1;
  if (r < 0.75) return generic(pick(rng, GENERIC), cmd, nth);
  // the codes the manual gives each command
  if (kind === "send") {
    const code = pick(rng, SMTP_CODES);
    const step = rng() < 0.5 ? "connect" : "final";
    const c = step === "final" && rng() < 0.5 ? "SMTPFT" : "SMTPSEND";
    const at = c === "SMTPFT" ? /^AT\+SMTPFT=0\r/ : /^AT\+SMTPSEND\r/;
    return {
      name: `${c} × +SMTPSEND: ${code} (${step})`, harmless: false,
      arm: (emu, port) => port.arm(at, () => void emu.faults.failSmtpSend(code, step)),
      struck: (port) => !port.armed(),
    };
  }
  if (cmd === "POP3IN" || cmd === "POP3SRV") {
    const code = pick(rng, SMTP_CODES);
    return atCommand("POP3IN", 1, `+POP3IN: ${code}`, false, (emu) => void emu.faults.failPop3In(code));
  }
  const codes = cmd === "POP3READ" ? [...POP3OUT_CODES, 69] : POP3OUT_CODES;
  const code = pick(rng, codes);
  return atCommand(cmd, nth, `+POP3OUT: ${code}`, false, (emu) => void emu.faults.failPop3Command(cmd, code));
}

/** Undoes whatever of a fault did not strike, so it cannot hit a later operation. */
export function clearFaults(emu: Emulator, port: FaultyPort): void {
  port.disarm();
  emu.faults.clear();
}
