// The reader is the port's data handler itself (one JS call fewer per serial chunk on Espruino), so
// what the channel's own handler did is now the reader's and the channel's events: nothing thrown
// escapes to the port (Espruino removes a data handler that throws, for good), and while a cut
// payload drains every chunk, payload or not, restarts the wait for quiet.
import { strict as assert } from "node:assert";
import { lib, target } from "../target";
import { scriptPort } from "../helpers/script-port";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function read(ch: any, timeout: number, onData: (s: string) => void, done: (err: any) => void) {
  ch.at("AT+POP3READ=100", {
    ms: timeout,
    onLine: (line: string) => {
      const x = /^\+POP3READ: ([12]),(\d+)/.exec(line);
      if (!x) return false;
      ch.expect(+x[2]);
      return true;
    },
    sink: onData,
  }, done);
}

describe(`AT channel: the port's data handler @dist (${target})`, () => {
  it("an onData that throws fails its command; nothing reaches the port, the channel goes on", async () => {
    const port = scriptPort();
    const ch = lib.createChannel(port);
    let err: any = "pending";
    read(ch, 200, () => { throw new Error("disk full"); }, (e) => { err = e; });
    let next: any = "pending";
    ch.at("AT", { ms: 1000 }, (e: any) => { next = e; });
    assert.doesNotThrow(() => port.feed("\r\n+POP3READ: 2,100\r\n" + "a".repeat(40)));
    assert.equal(err.type, "ERROR");
    assert.equal(err.message, "internal error: Error: disk full");
    assert.doesNotThrow(() => port.feed("b".repeat(60) + "\r\nOK\r\n"), "the rest is drained, not thrown");
    assert.deepEqual(port.written, ["AT+POP3READ=100\r", "AT\r"], "the cut command's OK cleared the line");
    port.feed("\r\nOK\r\n");
    assert.equal(next, null);
    ch.shut();
  });

  it("while a cut payload drains, chunks that are not payload also restart the wait for quiet", async () => {
    const port = scriptPort();
    const ch = lib.createChannel(port);
    let err: any = "pending";
    read(ch, 50, () => {}, (e) => { err = e; });
    ch.at("AT", { ms: 5000 }, () => {});
    port.feed("\r\n+POP3READ: 2,100\r\n" + "c".repeat(40));
    await sleep(100);
    assert.equal(err.type, "TIMEOUT");
    port.feed("d".repeat(60)); // the payload's rest: its OK is still to come
    // a half line every 250 ms, for 1 s: never 500 ms (QUIET) of quiet
    for (let i = 0; i < 4; i++) {
      await sleep(250);
      port.feed("x");
    }
    assert.deepEqual(port.written, ["AT+POP3READ=100\r"], "the line was never quiet: nothing goes out");
    await sleep(800);
    assert.deepEqual(port.written, ["AT+POP3READ=100\r", "AT\r"], "quiet at last: the next command goes out");
    ch.shut();
  });
});

describe(`AT reader: push @dist (${target})`, () => {
  const events = (extra: any) => ({ line() { throw new Error("boom"); }, piece() {}, overflow() {}, ...extra });

  it("without a fault handler, what a handler throws comes out of push", () => {
    const r = lib.createReader(events({}));
    assert.throws(() => r.push("OK\r\n"), /boom/);
  });

  it("with one, push never throws, and it is told", () => {
    const seen: any[] = [];
    const r = lib.createReader(events({ fault: (e: any) => seen.push(String(e)) }));
    assert.doesNotThrow(() => r.push("OK\r\n"));
    assert.deepEqual(seen, ["Error: boom"]);
  });

  it("last is when push last returned", () => {
    const r = lib.createReader(events({ line() {} }));
    assert.equal(r.lastAt, 0);
    const t0 = Date.now();
    r.push("OK\r\n");
    assert.ok(r.lastAt >= t0 && r.lastAt <= Date.now());
  });
});
