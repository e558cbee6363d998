// Every user string that goes into an AT parameter passes through here first: a quote, a control
// character (CR, LF, Ctrl-Z, ESC, NUL...) or a non-ASCII byte could end the parameter, the command or
// a body early, so it is refused before anything is sent.
import { typedError } from "./errors";

// The module's own maximum lengths. The manual (V1.04) gives no number for any of them: each is what
// the firmware's test form answers (2.3 AT+SMTPSRV=? <smtpServerLength>; 2.4 AT+SMTPAUTH=?
// <userNameLength>,<passwordLength>; 2.5 AT+SMTPFROM=? <senderAddressLength>,<senderNameLength>;
// 2.6 AT+SMTPRCPT=? (range of <index>s),<rcptAddressLength>,<rcptNameLength>; 2.7 AT+SMTPSUB=?
// <subjectLength>; 2.8 AT+SMTPBODY=? <bodyLength>; 2.9 AT+SMTPFILE=? <fileNameLength>; 2.12
// AT+SMTPCS=? <charsetLength>; 2.13 AT+POP3SRV=? <pop3ServerLength>,<userNameLength>,<passwordLength>),
// so these are chosen to stay within what modules answer: 50 for a server, user, password, address,
// name or file name, 100 for the subject and 4096 for the body as sent (hex counts two a byte, 2.7,
// 2.8: public drivers see about 4 KB from AT+SMTPBODY=?), 5 recipients of each kind. The emulator
// (tools/sim900-emulator/limits.ts) makes its own choice from the same sections; neither reads the other.
// `whole`: the default maxSize of retrieve and fetch, the most of a message held in RAM at once.
// `field`: every server, user, password, address, name and file name (quote()'s default): one
// property, not six (on the board each is JsVars for as long as the module is loaded).
export var LIMITS = { whole: 4096, field: 50, subjectLen: 100, bodyLen: 4096, rcpt: 5, charsetLen: 16 };

/** What quote() refuses: anything but printable ASCII, and the quote. (Also what puts a subject into
 *  hex: src/mail/hex-mode.ts.) */
export var UNSAFE = /[^ !#-~]/;

/** `"value"`, or throws an ARGUMENT error naming the field (never its value: it may be a password).
 *  `max`: LIMITS.field unless given. */
export function quote(command: string, field: string, value: any, optional?: boolean | 0, max?: number): string {
  if (value === undefined || value === null || value === "") {
    if (optional) return '""';
    throw typedError(command, "ARGUMENT", field + " is missing");
  }
  var s = "" + value;
  if (UNSAFE.test(s)) throw typedError(command, "ARGUMENT", field + " has a quote, a control or a non-ASCII character");
  if (s.length > (max = max || LIMITS.field)) throw typedError(command, "ARGUMENT", field + " is longer than " + max);
  return '"' + s + '"';
}

/** A whole number within [min, max], or throws. */
export function int(command: string, field: string, value: any, min: number, max: number): number {
  var n = +value;
  if (n !== Math.floor(n) || n < min || n > max)
    throw typedError(command, "ARGUMENT", field + " must be a whole number from " + min + " to " + max);
  return n;
}
