// Builds the RFC 5322 message the way the SIM900 does from its AT settings, with nodemailer's MIME
// composer (MimeNode): we choose the charset label and the attachment encoding, nodemailer does the rest.
import MimeNode from "nodemailer/lib/mime-node";
import type { Mailbox, OutgoingEmail } from "../backend";

export type Envelope = { from: string; to: string[] };

/** The charset label for Content-Type, and how the decoded string turns back into bytes. */
export function charsetOf(charset: string): { label: string; encode: (s: string) => Buffer | string } {
  const c = charset.trim().toUpperCase();
  if (c === "" || c === "ASCII" || c === "US-ASCII") return { label: "us-ascii", encode: (s) => s };
  if (c === "UTF-8" || c === "UTF8") return { label: "utf-8", encode: (s) => Buffer.from(s, "utf8") };
  // Any other charset: the AT side decodes the hex one byte per char, so latin1 gives the bytes back.
  return { label: charset.trim().toLowerCase(), encode: (s) => Buffer.from(s, "latin1") };
}

const addr = (m: Mailbox) => (m.name ? { name: m.name, address: m.address } : { address: m.address });

/** Every recipient goes into the envelope; Bcc never into the headers. */
export function envelopeOf(mail: OutgoingEmail): Envelope {
  return { from: mail.from.address, to: [...mail.to, ...mail.cc, ...mail.bcc].map((m) => m.address) };
}

export function composeNode(mail: OutgoingEmail): MimeNode {
  const cs = charsetOf(mail.charset);
  const root = new MimeNode(mail.attachment ? "multipart/mixed" : `text/plain; charset=${cs.label}`,
    { newline: "win", hostname: "sim900.local" });
  root.setHeader("From", addr(mail.from));
  if (mail.to.length) root.setHeader("To", mail.to.map(addr));
  if (mail.cc.length) root.setHeader("Cc", mail.cc.map(addr));
  root.setHeader("Subject", mail.subject);
  root.setEnvelope(envelopeOf(mail));

  const text = mail.attachment ? root.createChild(`text/plain; charset=${cs.label}`) : root;
  text.setContent(cs.encode(mail.body));

  const att = mail.attachment;
  if (att) {
    const part = root.createChild(att.binary ? "application/octet-stream" : "text/plain", { filename: att.name });
    part.setHeader("Content-Disposition", "attachment");
    if (att.binary) {
      part.setHeader("Content-Transfer-Encoding", "base64");
      part.setContent(att.data);
    } else {
      // As a string nodemailer labels 7-bit data with short lines "7bit" (the SIM900's encodeType 0) and
      // falls back to quoted-printable only when the data could not travel as 7bit.
      part.setContent(att.data.toString("latin1"));
    }
  }
  return root;
}

/** The complete message, CRLF line ends, as it goes into DATA. */
export function compose(mail: OutgoingEmail): Promise<Buffer> {
  return composeNode(mail).build();
}
