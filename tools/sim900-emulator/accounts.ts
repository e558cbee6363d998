// The mailboxes the embedded mail system serves to the demo, the bench and the tests, and the
// connect options that reach them through the emulator (any host name does).
import { createBackend, EmailBackend } from "./mail";

export const ACCOUNTS = ["unit7", "ops", "lab", "boss", "audit"].map((user) => ({ user, pass: "secret" }));

export const OPTIONS = {
  apn: "internet",
  smtp: { host: "smtp.example.com", port: 25, user: "unit7", password: "secret" },
  pop3: { host: "pop.example.com", port: 110, user: "unit7", password: "secret" },
  from: { address: "unit7@example.com", name: "Unit 7" },
  chunk: 512,
};

let shared: EmailBackend | undefined;
/** One embedded mail system for the whole run: starting one costs a certificate and four listeners. */
export async function sharedBackend(): Promise<EmailBackend> {
  if (!shared) shared = createBackend({ accounts: ACCOUNTS });
  await shared.ready;
  return shared;
}
