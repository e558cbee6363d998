// The manual's texts for the modem's result codes (2.10 +SMTPSEND, 2.14 +POP3IN, 2.19/2.22
// +POP3OUT), for the PC: on the board an error carries only the command and the code
// ("SMTPSEND failed (67)", src/errors.ts); the CLI adds the text, and docs/API.md has the table.

/** Codes SMTP and POP3 share; "%" is the protocol's name. */
const SHARED: Record<number, string> = {
  61: "Network error", 62: "DNS resolve error", 63: "% TCP connection error", 64: "Timeout of % server response",
  69: "Read data timeout", 80: "SSL insufficient resource", 81: "TCP send timeout in SSL transmission",
  82: "SSL handshake timeout", 83: "SSL handshake error", 84: "SSL alert error",
};
/** The codes only +SMTPSEND and +POP3IN give. */
const OWN: Record<string, Record<number, string>> = {
  SMTPSEND: { 65: "SMTP server response error", 66: "SMTP server requires authentication", 67: "SMTP authentication failed", 68: "Bad recipient" },
  POP3IN: { 65: "POP3 server response error", 66: "POP3 server rejects login", 67: "Incorrect POP3 user name", 68: "Incorrect POP3 user name or password" },
};

/** Every code the tables hold. */
export const RESULT_CODES: number[] = [...new Set([...Object.keys(SHARED), ...Object.values(OWN).flatMap(Object.keys)].map(Number))].sort();

/** The manual's text for `code` given to `command` ("SMTPSEND", "POP3IN", "POP3OUT"...), if it has one. */
export function resultText(command: string, code: number): string | undefined {
  const t = (OWN[command] && OWN[command][code]) || (/^(SMTP|POP3)/.test(command) ? SHARED[code] : undefined);
  return t && t.replace("%", command.slice(0, 4));
}

/** An error's message with the manual's text after it, when it has a code the tables know. */
export function explain(err: { message?: string; code?: number; command?: string }): string {
  const t = err.code !== undefined && err.command ? resultText(err.command, err.code) : undefined;
  return (err.message || String(err)) + (t ? ": " + t : "");
}
