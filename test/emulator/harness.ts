// Test harness: an emulator on the fake backend, unpaced, with its output captured as a latin1
// string so exchanges can be asserted byte for byte.
import { strict as assert } from "node:assert";
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
