// Errors carry `code` (the modem's result code where there is one), `command` (e.g. "SMTPSEND") and a
// readable message from the manual's tables (2.10 +SMTPSEND, 2.14 +POP3IN, 2.19/2.22 +POP3OUT).

export interface EmailError extends Error {
  /** The modem's result code (61..84, +CME ERROR n), absent when it gave none. */
  code?: number;
  command?: string;
  /** What went wrong when there is no code: "ERROR", "TIMEOUT", "DEACT", "REBOOT", "OVERFLOW", "ARGUMENT", "OPTIONS", "CLOSED", "SERVER". */
  type?: string;
}

// Codes shared by SMTP and POP3; "%" is replaced by the protocol name.
var COMMON: { [code: number]: string } = {
  61: "Network error",
  62: "DNS resolve error",
  63: "% TCP connection error",
  64: "Timeout of % server response",
  69: "Read data timeout",
  80: "SSL insufficient resource",
  81: "TCP send timeout in SSL transmission",
  82: "SSL handshake timeout",
  83: "SSL handshake error",
  84: "SSL alert error",
};
var SMTP: { [code: number]: string } = {
  65: "SMTP server response error",
  66: "SMTP server requires authentication",
  67: "SMTP authentication failed",
  68: "Bad recipient",
};
var POP3IN: { [code: number]: string } = {
  65: "POP3 server response error",
  66: "POP3 server rejects login",
  67: "Incorrect POP3 user name",
  68: "Incorrect POP3 user name or password",
};

/** The manual's text for a result code of `command`, e.g. describe("SMTPSEND", 67). */
export function describe(command: string, code: number): string {
  var smtp = command.indexOf("SMTP") === 0;
  var text = (smtp ? SMTP : command === "POP3IN" ? POP3IN : {})[code] || COMMON[code];
  return text ? text.replace("%", smtp ? "SMTP" : "POP3") : command + " failed";
}

function make(command: string, message: string): EmailError {
  var e = new Error(message) as EmailError;
  e.command = command;
  return e;
}

/** An error the modem gave no code for; `type` is one of EmailError's types. Without the manual's
 *  tables, so the companion modules that only make these do not carry them. */
export function emailError(command: string, type: string, message?: string): EmailError {
  var e = make(command, message || command + " failed");
  e.type = type;
  return e;
}

/** An error with the modem's result code and the manual's text for it: "SMTP authentication failed (67)". */
export function codeError(command: string, code: number): EmailError {
  var e = make(command, describe(command, code) + " (" + code + ")");
  e.code = code;
  return e;
}
