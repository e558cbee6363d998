// Random content for the soak: message lines that look like modem lines, dot lines, bare CRs and
// raw bytes (what a payload must survive), and attachment bytes full of CR, LF and dots.
import { Rng, randInt } from "../sim900-emulator/rng";

/** Lines a reader could take for the modem's own (manual 2.19, 3.1) or for POP3 framing. */
export const TRICKY_LINES = [
  ".", "..", "...", ". ", ".x", "OK", "ERROR", "RDY", "Call Ready", "+POP3READ: 3,1", "+POP3READ: 1,10", "+POP3READ: 2,0",
  "+POP3OUT: 1", "+POP3OUT: 61", "+SAPBR 1: DEACT", "NORMAL POWER DOWN", "UNDER-VOLTAGE WARNNING", "+SMTPSEND: 1",
  "+SMTPFT: 1,1360", "> ", ">", "AT", "ATE0", "+CME ERROR: 3", "RING", "+CMTI: \"SM\",1", "", "\x1a", "\x1b",
];

export const pick = <T>(rng: Rng, a: readonly T[]): T => a[randInt(rng, 0, a.length - 1)];

function chars(rng: Rng, n: number, lo: number, hi: number, not = ""): string {
  let s = "";
  while (s.length < n) {
    const c = String.fromCharCode(randInt(rng, lo, hi));
    if (not.indexOf(c) < 0) s += c;
  }
  return s;
}

export interface LineOptions {
  /** Bare CR and LF inside lines, and raw bytes (retrieve); otherwise printable 7-bit text (fetch bodies). */
  raw: boolean;
}

/** One message line, without its CRLF. */
export function messageLine(rng: Rng, o: LineOptions): string {
  const r = rng();
  if (r < 0.3) return pick(rng, TRICKY_LINES);
  if (r < 0.7) return chars(rng, randInt(rng, 0, 120), 32, 126);
  if (r < 0.75) return chars(rng, randInt(rng, 257, 900), 32, 126); // longer than the module's line bound
  if (!o.raw) return pick(rng, TRICKY_LINES) + " " + chars(rng, randInt(rng, 0, 40), 32, 126);
  if (r < 0.88) return chars(rng, randInt(rng, 0, 80), 0, 255, "\r\n");
  // a bare CR or LF before something that would be a line of its own, or alone
  return pick(rng, ["", "x", "abc"]) + pick(rng, ["\r", "\n"]) + pick(rng, ["OK", ".", "..", "RDY", "+POP3READ: 3,1", "", "\r"]);
}

/** Body lines, CRLF after each, about `size` bytes. */
export function bodyText(rng: Rng, size: number, o: LineOptions): string {
  let s = "";
  while (s.length < size) s += messageLine(rng, o) + "\r\n";
  return s;
}

/** Attachment bytes: random, with runs of CR, LF, dots, Ctrl-Z and ESC; text attachments printable lines. */
export function attachmentBytes(rng: Rng, size: number, binary: boolean): Buffer {
  const parts: string[] = [];
  let n = 0;
  const SPECIAL = ["\r\n.\r\n", "\r\n..", ".\r\n", "\r", "\n", "\r\n", ".", "\x1a", "\x1b", "\x00", "\xff", "AT+SMTPSEND\r"];
  const TEXT = ["\r\n.\r\n", "\r\n..\r\n", ".\r\n", "\r\n", "OK\r\n", "ERROR\r\n", "+SMTPFT: 1,1360\r\n", "."];
  while (n < size) {
    const p = binary
      ? rng() < 0.3 ? pick(rng, SPECIAL) : chars(rng, randInt(rng, 1, 200), 0, 255)
      : rng() < 0.3 ? pick(rng, TEXT) : chars(rng, randInt(rng, 1, 70), 32, 126) + "\r\n";
    parts.push(p);
    n += p.length;
  }
  let s = parts.join("").slice(0, size);
  if (!binary && s.endsWith("\r")) s = s.slice(0, -1) + "x"; // text: CRLF line ends only
  return Buffer.from(s, "latin1");
}
