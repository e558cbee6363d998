// One AT+SMTPSEND: a real SMTP session (plain, or implicit TLS when ssl) through nodemailer's transport.
// The SIM900 has no STARTTLS, so we never upgrade a plain connection either.
import nodemailer from "nodemailer";
import type { OutgoingEmail } from "../backend";
import { composeNode, envelopeOf } from "./compose";
import { sniName, type Target } from "./routing";
import { SMTP, smtpCodeOf } from "./smtp-codes";

export interface SendOptions { rejectUnauthorized: boolean }

/** target null: the name did not resolve. Resolves an +SMTPSEND code; never rejects. */
export async function smtpSend(mail: OutgoingEmail, target: Target | null, opts: SendOptions): Promise<number> {
  if (!target) return SMTP.DNS;
  const timeout = Math.max(1, mail.timeoutMs);
  const transport = nodemailer.createTransport({
    host: target.host, port: target.port, secure: mail.smtp.ssl, ignoreTLS: true, name: "sim900",
    auth: mail.smtp.auth ? { user: mail.smtp.auth.user, pass: mail.smtp.auth.pass } : undefined,
    connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout, dnsTimeout: timeout,
    tls: { rejectUnauthorized: opts.rejectUnauthorized, servername: sniName(mail.smtp.host) },
  });
  try {
    const raw = await composeNode(mail).build();
    const info: { rejected?: unknown[] } = await transport.sendMail({ envelope: envelopeOf(mail), raw });
    // nodemailer sends when at least one recipient was accepted; the modem reports any refusal.
    return info.rejected && info.rejected.length ? SMTP.BAD_RECIPIENT : SMTP.OK;
  } catch (err) {
    return smtpCodeOf(err, mail.smtp.ssl);
  } finally {
    transport.close();
  }
}
