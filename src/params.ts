// Every user string that goes into an AT parameter passes through here first: a quote, a control
// character (CR, LF, Ctrl-Z, ESC, NUL...) or a non-ASCII byte could end the parameter, the command or
// a body early, so it is refused before anything is sent. Limits are the module's, kept within what
// the SIM900 test commands report.
import { typedError } from "./errors";
import { isAscii } from "./mail/hex";

// What a SIM900 reports in its test forms is firmware-dependent; these fit the emulator's (tools/).
export var LIMITS = { host: 50, user: 50, password: 50, address: 50, name: 50, subject: 100, file: 50, body: 4096, rcpt: 5, charset: 16 };

var UNSAFE = /[^ !#-~]/; // printable ASCII but the quote

/** `"value"`, or throws an ARGUMENT error naming the field (never its value: it may be a password). */
export function quote(command: string, field: string, value: any, max: number, optional?: boolean): string {
  if (value === undefined || value === null || value === "") {
    if (optional) return '""';
    throw typedError(command, "ARGUMENT", field + " is missing");
  }
  var s = "" + value;
  if (UNSAFE.test(s)) throw typedError(command, "ARGUMENT", field + " has a quote, a control or a non-ASCII character");
  if (s.length > max) throw typedError(command, "ARGUMENT", field + " is longer than " + max);
  return '"' + s + '"';
}

/** Whether subject and body go to the modem as hex of their UTF-8 bytes (manual 2.12: the way a
 *  charset other than ASCII is sent): with a charset, or when the subject has a character quote()
 *  refuses or the body one that is not ASCII text (Ctrl-Z or ESC would end or cancel it). In hex,
 *  nothing can end either early. */
export function hexMode(charset: string | undefined, subject: string, body: string): boolean {
  return !!charset || UNSAFE.test(subject) || !isAscii(body);
}

/** A whole number within [min, max], or throws. */
export function int(command: string, field: string, value: any, min: number, max: number): number {
  var n = +value;
  if (n !== Math.floor(n) || n < min || n > max)
    throw typedError(command, "ARGUMENT", field + " must be a whole number from " + min + " to " + max);
  return n;
}
