import * as net from "node:net";
// Shared builders for the mail-backend suites.
import type { OutgoingEmail, Pop3Login } from "../../tools/sim900-emulator/backend";

export function email(over: Partial<OutgoingEmail> = {}): OutgoingEmail {
  return {
    smtp: { host: "smtp.example.com", port: 25, ssl: false, auth: { user: "unit7", pass: "secret" } },
    from: { address: "unit7@example.com", name: "Unit Seven" },
    to: [{ address: "bob@example.com", name: "Bob Builder" }],
    cc: [{ address: "carol@example.com", name: "Carol C" }],
    bcc: [],
    subject: "Reading 42",
    body: "Temperature 21.5 C\r\nHumidity 40 %\r\n",
    charset: "ASCII",
    timeoutMs: 5000,
    ...over,
  };
}

export function login(over: Partial<Pop3Login> = {}): Pop3Login {
  return { host: "pop.example.com", port: 110, ssl: false, user: "unit7", pass: "secret", timeoutMs: 5000, ...over };
}

/** A message that exercises dot-stuffing: a lone ".", a leading "." and a leading "..". */
export function trickyMessage(tag: string): string {
  return [
    "From: Sender <sender@example.com>",
    "To: unit7@example.com",
    `Subject: ${tag}`,
    `Message-ID: <${tag}@example.com>`,
    "",
    "first line",
    ".",
    ".hidden",
    "..double",
    "last line",
    "",
  ].join("\r\n");
}

/** A random binary buffer that is not all printable, so base64 is actually needed. */
export function binary(size: number, seed = 7): Buffer {
  const b = Buffer.alloc(size);
  let x = seed;
  for (let i = 0; i < size; i++) { x = (x * 1103515245 + 12345) & 0x7fffffff; b[i] = x >> 16; }
  return b;
}

/** A loopback port nobody listens on (taken from the OS, then released). */
export async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}
