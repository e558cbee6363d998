// Errors carry `code` (the modem's result code where there is one), `command` (e.g. "SMTPSEND") and a
// message. A result code's meaning (the manual's tables 2.10 +SMTPSEND, 2.14 +POP3IN, 2.19/2.22
// +POP3OUT) is in docs/API.md and in the CLI (tools/result-codes.ts), not on the board: about 660 B
// of flash across the parts.

export interface EmailError extends Error {
  /** The modem's result code (61..84, +CME ERROR n), absent when it gave none. */
  code?: number;
  command?: string;
  /** What went wrong when there is no code: "ERROR", "TIMEOUT", "DEACT", "REBOOT", "POWERDOWN", "OVERFLOW",
   *  "FIFO_FULL", "ARGUMENT", "OPTIONS", "MODULE", "CLOSED", "SERVER", "SIZE". */
  type?: string;
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

/** An error with the modem's result code: "SMTPSEND failed (67)". */
export function codeError(command: string, code: number): EmailError {
  var e = make(command, command + " failed (" + code + ")");
  e.code = code;
  return e;
}
