// A raw payload (manual 2.19) that a timeout or an abort cuts short is still the modem's payload:
// its rest and the OK after it are discarded, never read as lines or taken by the next command.
// And a timeout measures the modem, not the caller's onData.
import { strict as assert } from "node:assert";
import { lib, target } from "../target";
import { scriptPort } from "../helpers/script-port";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function busy(ms: number) {
  const end = Date.now() + ms;
  while (Date.now() < end) { /* the caller's slow handler */ }
}

/** AT+POP3READ=<n> as pop3.ts issues it: the header line announces the payload. */
function read(ch: any, timeout: number, got: string[], done: (err: any) => void, onData?: (s: string) => void) {
  ch.at("AT+POP3READ=100", {
    ms: timeout,
    onLine: (line: string) => {
      const x = /^\+POP3READ: ([12]),(\d+)/.exec(line);
      if (!x) return false;
      ch.expect(+x[2]);
      return true;
    },
    sink: (s: string) => { got.push(s); if (onData) onData(s); },
  }, done);
}

describe(`AT channel: payloads cut short @dist (${target})`, () => {
  it("a timeout inside a payload reports the bytes that came; the rest and its OK are discarded", async () => {
    const port = scriptPort();
    const urcs: string[] = [];
    const ch = lib.createChannel(port, undefined, undefined, (l: string) => l === "RDY" && (urcs.push(l), true));
    const got: string[] = [];
    let err: any = "pending";
    read(ch, 100, got, (e) => { err = e; });
    let next: any = "pending";
    ch.at("AT", { ms: 1000 }, (e: any) => { next = e; });
    port.feed("\r\n+POP3READ: 2,100\r\n" + "a".repeat(40));
    await sleep(150);
    assert.equal(err.type, "TIMEOUT");
    assert.equal(err.message, "POP3READ: payload incomplete (40 of 100 bytes)");
    assert.deepEqual(port.written, ["AT+POP3READ=100\r"], "nothing is written while the payload still comes");
    // the rest: a body line "RDY" and a stray "OK" inside it are data, not the modem's lines
    port.feed("\r\nRDY\r\nOK\r\n" + "b".repeat(60 - 13));
    port.feed("\r\nOK\r\n");
    assert.deepEqual(urcs, []);
    assert.equal(got.join(""), "a".repeat(40), "nothing after the timeout reaches the cut command");
    assert.deepEqual(port.written, ["AT+POP3READ=100\r", "AT\r"]);
    assert.equal(next, "pending", "the cut command's OK was not taken by the next one");
    port.feed("\r\nOK\r\n");
    assert.equal(next, null);
    ch.shut();
  });

  it("when the rest never comes, the next command goes out once the line has been quiet", async () => {
    const port = scriptPort();
    const ch = lib.createChannel(port);
    let err: any;
    read(ch, 50, [], (e) => { err = e; });
    let next: any = "pending";
    ch.at("AT", { ms: 2000 }, (e: any) => { next = e; });
    port.feed("\r\n+POP3READ: 1,100\r\n" + "x".repeat(10));
    await sleep(100);
    assert.equal(err.message, "POP3READ: payload incomplete (10 of 100 bytes)");
    await sleep(300);
    assert.deepEqual(port.written, ["AT+POP3READ=100\r"], "still waiting for quiet");
    await sleep(400);
    assert.deepEqual(port.written, ["AT+POP3READ=100\r", "AT\r"]);
    port.feed("\r\nOK\r\n");
    assert.equal(next, null, "after the quiet wait, lines are lines again");
    ch.shut();
  });

  it("an abort inside a payload (close, bearer drop) discards the rest as well", async () => {
    const port = scriptPort();
    const urcs: string[] = [];
    const ch = lib.createChannel(port, undefined, undefined, (l: string) => l === "RDY" && (urcs.push(l), true));
    let err: any;
    read(ch, 1000, [], (e) => { err = e; });
    let next: any = "pending";
    ch.at("AT", { ms: 1000 }, (e: any) => { next = e; });
    port.feed("\r\n+POP3READ: 2,20\r\n" + "y".repeat(5));
    ch.abort("DEACT", "the network closed the GPRS bearer");
    assert.equal(err.type, "DEACT");
    port.feed("\r\nRDY\r\n" + "z".repeat(15 - 7) + "\r\nOK\r\n");
    assert.deepEqual(urcs, []);
    port.feed("\r\nOK\r\n");
    assert.equal(next, null);
    ch.shut();
  });

  it("a slow onData does not make the command time out: the timer restarts after each slice", async () => {
    const port = scriptPort();
    const ch = lib.createChannel(port);
    const got: string[] = [];
    let err: any = "pending";
    read(ch, 120, got, (e) => { err = e; }, () => busy(200));
    port.feed("\r\n+POP3READ: 2,100\r\n");
    for (let i = 0; i < 5; i++) {
      port.feed("c".repeat(20)); // each slice's handler takes 200 ms, longer than the 120 ms timeout
      await sleep(10);
    }
    port.feed("\r\nOK\r\n");
    assert.equal(err, null);
    assert.equal(got.join(""), "c".repeat(100));
    ch.shut();
  });

  it("but a modem that stops in the middle of a payload still times out", async () => {
    const port = scriptPort();
    const ch = lib.createChannel(port);
    let err: any = "pending";
    read(ch, 80, [], (e) => { err = e; }, () => busy(100));
    port.feed("\r\n+POP3READ: 2,100\r\n" + "d".repeat(30));
    await sleep(60);
    assert.equal(err, "pending");
    await sleep(100);
    assert.equal((err as any).message, "POP3READ: payload incomplete (30 of 100 bytes)");
    ch.shut();
  });
});
