// Test harness: an emulator on the fake backend, unpaced, with its output captured as a latin1
// string so exchanges can be asserted byte for byte.
import { strict as assert } from "node:assert";
import * as net from "node:net";
import { createEmulator, Emulator, EmulatorOptions } from "../../tools/sim900-emulator/modem";
import { FakeBackend, FakeBackendOptions } from "./fake-backend";

export interface Harness {
  modem: Emulator;
  backend: FakeBackend;
  /** Output since the last take()/exchange(). */
  readonly output: string;
  take(): string;
  send(data: string | Buffer): void;
  /** Sends input, waits until at least `expected.length` bytes came back, settles, compares exactly. */
  exchange(input: string | Buffer, expected: string, settleMs?: number): Promise<void>;
  /** Waits until the pending output contains `text`. */
  waitFor(text: string, timeoutMs?: number): Promise<string>;
  /** Echo off, bearer 1 open: the usual starting point. */
  ready(): Promise<void>;
  close(): void;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** `backendOpts`: options of a new FakeBackend, or the (possibly patched) FakeBackend to use. */
export function setup(opts: Partial<EmulatorOptions> = {}, backendOpts: FakeBackendOptions | FakeBackend = {}): Harness {
  const backend = backendOpts instanceof FakeBackend ? backendOpts : new FakeBackend(backendOpts);
  const modem = createEmulator({ backend, baud: 0, ...opts });
  let out = "";
  modem.on("data", (chunk: Buffer) => (out += chunk.toString("latin1")));
  const h: Harness = {
    modem,
    backend,
    get output() { return out; },
    take() {
      const s = out;
      out = "";
      return s;
    },
    send(data) { modem.input(data); },
    async exchange(input, expected, settleMs = 5) {
      out = "";
      modem.input(input);
      const until = Date.now() + 2000;
      while (out.length < expected.length && Date.now() < until) await sleep(1);
      await sleep(settleMs); // anything extra shows up here
      assert.equal(JSON.stringify(h.take()), JSON.stringify(expected), "after input " + JSON.stringify(input.toString()));
    },
    async waitFor(text, timeoutMs = 2000) {
      const until = Date.now() + timeoutMs;
      while (!out.includes(text)) {
        if (Date.now() > until) assert.fail("timed out waiting for " + JSON.stringify(text) + ", got " + JSON.stringify(out));
        await sleep(1);
      }
      return out;
    },
    async ready() {
      await h.exchange("ATE0\r", "ATE0\r\r\nOK\r\n");
      await h.exchange("AT+SAPBR=1,1\r", "\r\nOK\r\n");
    },
    close() { modem.close(); },
  };
  return h;
}

export const OK = "\r\nOK\r\n";
export const ERROR = "\r\nERROR\r\n";
export const line = (s: string) => "\r\n" + s + "\r\n";

/** A buffered POP3 response read in 1460-byte pieces (manual 2.19), the framing of each checked. */
export async function readAll(h: Harness, raw: Buffer): Promise<void> {
  for (let at = 0; at < raw.length; at += 1460) {
    const piece = raw.subarray(at, at + 1460);
    const last = at + 1460 >= raw.length;
    await h.exchange("AT+POP3READ=1460\r",
      "\r\n+POP3READ: " + (last ? 2 : 1) + "," + piece.length + "\r\n" + piece.toString("latin1") + OK);
  }
}

/** Ready, then the least SMTP settings of an email (with a binary attachment slot if asked). */
export async function mailSettings(h: Harness, attachment = false): Promise<void> {
  await h.ready();
  await h.exchange('AT+SMTPSRV="mail.sim.com"\r', OK);
  await h.exchange('AT+SMTPFROM="john@sim.com"\r', OK);
  await h.exchange('AT+SMTPRCPT=0,0,"bob@sim.com"\r', OK);
  if (attachment) await h.exchange('AT+SMTPFILE=2,"a.bin",1\r', OK);
}

/** Ready, then logged in to POP3. */
export async function pop3LoggedIn(h: Harness): Promise<void> {
  await h.ready();
  await h.exchange('AT+POP3SRV="mail.sim.com","john","123456"\r', OK);
  await h.exchange("AT+POP3IN\r", OK + line("+POP3IN: 1"));
}

/** A socket to the emulator's TCP server: exchange() writes input and asserts the whole answer. */
export async function tcpModem(port: number): Promise<{ sock: net.Socket; exchange(input: string, expected: string): Promise<void> }> {
  const sock = net.connect(port, "127.0.0.1");
  let got = "";
  sock.on("data", (d) => (got += d.toString("latin1")));
  await new Promise((r) => sock.once("connect", r));
  return {
    sock,
    async exchange(input, expected) {
      got = "";
      sock.write(Buffer.from(input, "latin1"));
      const until = Date.now() + 2000;
      while (got.length < expected.length && Date.now() < until) await sleep(1);
      await sleep(5);
      assert.equal(JSON.stringify(got), JSON.stringify(expected));
    },
  };
}
