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

/** `what` is the modem's numeric code, or one of EmailError's types when it gave none. */
export function emailError(command: string, what: number | string, message?: string): EmailError {
  var numeric = typeof what === "number";
  var text = message || (numeric ? describe(command, what as number) : command + " failed");
  var e = new Error(numeric ? text + " (" + what + ")" : text) as EmailError;
  if (numeric) e.code = what as number;
  else e.type = what as string;
  e.command = command;
  return e;
}
