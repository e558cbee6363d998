// The part sim900-email-hex: the UTF-8 hex encoding of a non-ASCII subject or body (AT+SMTPCS,
// manual 2.12), which the send part finds only when a message needs it.
export { toHex } from "./mail/hex";
