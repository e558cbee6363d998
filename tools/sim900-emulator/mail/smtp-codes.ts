// nodemailer's errors → the +SMTPSEND codes of manual 2.10. Kept apart so each rule can be unit-tested.

export const SMTP = {
  OK: 1, NETWORK: 61, DNS: 62, TCP: 63, TIMEOUT: 64, SERVER: 65, NO_AUTH: 66, AUTH_FAILED: 67,
  BAD_RECIPIENT: 68, TLS_HANDSHAKE: 83,
} as const;

interface MailError { code?: string; originalCode?: string; responseCode?: number; command?: string; message?: string }

/** True for errors raised by the TLS layer itself (handshake, certificate). */
export function isTlsError(e: { code?: string; originalCode?: string; library?: string; reason?: string }): boolean {
  const c = String(e.originalCode ?? e.code ?? "");
  return /^ERR_SSL_|^ERR_TLS_|^EPROTO$|CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)/.test(c) || e.library === "SSL routines";
}

export function smtpCodeOf(err: unknown, ssl: boolean): number {
  const e = (err ?? {}) as MailError;
  const orig = e.originalCode ?? "";
  if (e.code === "EDNS" || orig === "ENOTFOUND" || orig === "EAI_AGAIN") return SMTP.DNS;
  if (e.code === "ETIMEDOUT") return SMTP.TIMEOUT;
  if (e.code === "ETLS" || (ssl && isTlsError(e))) return SMTP.TLS_HANDSHAKE;
  if (e.code === "EAUTH") return SMTP.AUTH_FAILED;
  if (e.code === "ENOAUTH" || e.responseCode === 530) return SMTP.NO_AUTH;
  if (e.code === "EENVELOPE" && e.command === "RCPT TO") return SMTP.BAD_RECIPIENT;
  if (orig === "ECONNREFUSED" || orig === "EHOSTUNREACH" || orig === "ENETUNREACH") return SMTP.TCP;
  // The peer vanished before the TLS session was up: on a real modem that is a failed handshake.
  if (ssl && (orig === "ECONNRESET" || /socket disconnected before secure/i.test(e.message ?? ""))) return SMTP.TLS_HANDSHAKE;
  if (e.code === "ESOCKET" || e.code === "ECONNECTION") return e.responseCode ? SMTP.SERVER : SMTP.NETWORK;
  return SMTP.SERVER;
}
