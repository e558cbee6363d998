// The contract between the emulated modem (AT side) and the mail system behind it (SMTP/POP3 side).
// The modem decides WHAT to send (from its AT settings); the backend does the network work for real.

export interface Mailbox { address: string; name?: string }

/** An email as the modem has assembled it from AT+SMTPFROM/RCPT/SUB/BODY/CS/FILE (manual 2.3-2.12). */
export interface OutgoingEmail {
  smtp: { host: string; port: number; ssl: boolean; auth?: { user: string; pass: string } };
  from: Mailbox;
  to: Mailbox[];
  cc: Mailbox[];
  bcc: Mailbox[];
  subject: string;         // already decoded from hex when the charset is not ASCII
  body: string;            // likewise
  charset: string;         // "ASCII" (default) or what AT+SMTPCS set, e.g. "UTF-8"
  attachment?: { name: string; binary: boolean; data: Buffer }; // binary: base64, else 7bit text
  timeoutMs: number;       // AT+EMAILTO
}

/** 1 = sent; otherwise a +SMTPSEND code of manual 2.10 (61-68, 80-84). Never rejects. */
export type SmtpCode = number;

export interface Pop3Reply {
  ok: boolean;            // +OK or -ERR
  status: string;         // the status line without CRLF
  raw: Buffer;            // the whole server response, byte for byte: status line, CRLF, dot-stuffed
                          // lines and the final ".\r\n" for multi-line replies
}

export interface Pop3Session {
  /** Sends one POP3 command line (without CRLF). multiline: read up to the final dot line when +OK. */
  command(line: string, multiline: boolean): Promise<Pop3Reply>;
  /** QUIT and close. Resolves 1 or a +POP3OUT code of manual 2.22. */
  quit(): Promise<number>;
  /** Drops the connection without QUIT (bearer lost, reboot). */
  destroy(): void;
}

export interface Pop3Login {
  host: string; port: number; ssl: boolean; user: string; pass: string; timeoutMs: number;
}

export interface MailBackend {
  send(mail: OutgoingEmail): Promise<SmtpCode>;
  /** Resolves { code: 1, session } on success, else { code } with a +POP3IN code of manual 2.14. */
  pop3Login(login: Pop3Login): Promise<{ code: number; session?: Pop3Session }>;
  close(): Promise<void>;
}
