// Errors carry `code` (the modem's result code where there is one), `command` (e.g. "SMTPSEND") and a
// readable message from the manual's tables (2.10 +SMTPSEND, 2.14 +POP3IN, 2.19/2.22 +POP3OUT).
import { find } from "./strings";

export interface EmailError extends Error {
  /** The modem's result code (61..84, +CME ERROR n), absent when it gave none. */
  code?: number;
  command?: string;
  /** What went wrong when there is no code: "ERROR", "TIMEOUT", "DEACT", "REBOOT", "POWERDOWN", "OVERFLOW",
   *  "FIFO_FULL", "ARGUMENT", "OPTIONS", "MODULE", "CLOSED", "SERVER", "SIZE". */
  type?: string;
}

/** The manual's text for a result code of `command`, e.g. describe("SMTPSEND", 67, SMTP_CODES).
 *  `own`: the codes only that command gives (65..68 of +SMTPSEND, of +POP3IN), "|<code><text>" each,
 *  passed by the part that sends it (src/smtp.ts, src/pop3.ts): the core carries only the shared ones. */
export function describe(command: string, code: number, own?: string): string {
  var smtp = command.indexOf("SMTP") === 0;
  // The tables as strings inside the functions: on a board running the module from flash they stay
  // there until an error needs them, rather than taking JsVars as objects for the whole session.
  // Codes shared by SMTP and POP3 come last; "%" is replaced by the protocol name.
  var t = (own || "") + "|61Network error|62DNS resolve error|63% TCP connection error|64Timeout of % server response|69Read data timeout" +
    "|80SSL insufficient resource|81TCP send timeout in SSL transmission|82SSL handshake timeout|83SSL handshake error|84SSL alert error|";
  var i = code > 9 && code < 100 ? find(t, "|" + code) : -1; // every code in the tables has two digits
  return i < 0 ? command + " failed" : t.substring(i + 3, t.indexOf("|", i + 1)).replace("%", smtp ? "SMTP" : "POP3");
}

function make(command: string, message: string): EmailError {
  var e = new Error(message) as EmailError;
  // Espruino gives every Error a type ("Error") and a stack string (JsVars for as long as the error
  // lives): only our own type stays, and only when there is no code.
  delete e.type;
  delete e.stack;
  e.command = command;
  return e;
}

/** An error the modem gave no code for; `type` is one of EmailError's types. Without the manual's
 *  tables, so the companion modules that only make these do not carry them. */
export function typedError(command: string, type: string, message?: string): EmailError {
  var e = make(command, message || command + " failed");
  e.type = type;
  return e;
}

/** An error with the modem's result code and the manual's text for it: "SMTP authentication failed (67)"
 *  (`own`: as for describe()). */
export function codeError(command: string, code: number, own?: string): EmailError {
  var e = make(command, describe(command, code, own) + " (" + code + ")");
  e.code = code;
  return e;
}
