// Whether a message's subject and body go to the modem as hex (AT+SMTPCS non-ASCII mode, manual
// 2.12): decided in the send part, before any command; the encoding itself is hex.ts's (its own part).
import { UNSAFE } from "../params";

/**
 * True when s can go in the modem's ASCII text mode: every char is printable ASCII 0x20-0x7E, TAB,
 * LF or CR. Anything else (bytes 0x80 and up, other control chars such as Ctrl-Z 0x1A or ESC 0x1B,
 * which end or cancel the modem's text entry) means: use hex mode.
 */
export function isAscii(s: string): boolean {
  return !/[^\t\n\r -~]/.test(s);
}

/** Whether subject and body go to the modem as hex of their UTF-8 bytes (manual 2.12: the way a
 *  charset other than ASCII is sent): with a charset, or when the subject has a character quote()
 *  refuses (UNSAFE: a quote, a control or a non-ASCII one) or the body one that is not ASCII
 *  text (Ctrl-Z or ESC would end or cancel it). In hex, nothing can end either early. (Here, in the
 *  send part, not in the core: only sending needs it.) */
export function hexMode(charset: string | undefined, subject: string, body: string): boolean {
  return !!charset || UNSAFE.test(subject) || !isAscii(body);
}
