import { strict as assert } from "node:assert";
import { lib, target } from "../target";
import { scriptPort } from "../helpers/script-port";

function setup() {
  const port = scriptPort();
  const log: string[] = [];
  const ch = lib.createChannel(port, (l: string) => log.push(l));
  return { port, ch, log };
}

describe(`AT channel @dist (${target})`, () => {
  it("writes one command at a time and ends it on OK with its intermediate lines", (done) => {
    const { port, ch } = setup();
    const results: unknown[] = [];
    ch.at("AT+SAPBR=2,1", { ms: 1000 }, (err: any, res: any) => results.push([err, [...res.reply]]));
    ch.at("AT+EMAILCID=1", { ms: 1000 }, (err: any) => {
      results.push([err]);
      assert.deepEqual(results, [[null, ['+SAPBR: 1,1,"10.89.193.1"']], [null]]);
      done();
    });
    assert.deepEqual(port.written, ["AT+SAPBR=2,1\r"]);
    port.feed('\r\n+SAPBR: 1,1,"10.89.193.1"\r\n\r\nOK\r\n');
    assert.deepEqual(port.written, ["AT+SAPBR=2,1\r", "AT+EMAILCID=1\r"]);
    port.feed("\r\nOK\r\n");
  });

  it("ends on ERROR and +CME ERROR with code and command", () => {
    const { port, ch } = setup();
    const errs: any[] = [];
    ch.at("AT+EMAILSSL=1", { ms: 1000 }, (e: any) => errs.push(e));
    port.feed("\r\n+CME ERROR: 3\r\n");
    ch.at("AT+SMTPSUB=\"x\"", { ms: 1000 }, (e: any) => errs.push(e));
    port.feed("\r\nERROR\r\n");
    assert.equal(errs[0].code, 3);
    assert.equal(errs[0].command, "EMAILSSL");
    assert.equal(errs[1].code, undefined);
    assert.equal(errs[1].type, "ERROR");
    assert.equal(errs[1].command, "SMTPSUB");
  });

  it("waits for the result line after OK when told to, and gives the layer above's URCs to its news", () => {
    const port = scriptPort();
    const urcs: string[] = [];
    const ch = lib.createChannel(port, undefined, undefined, (l: string) => (l === "RING" || l === "+SAPBR 1: DEACT") && (urcs.push(l), true));
    let result = "";
    ch.at("AT+POP3IN", { ms: 1000, until: ["+POP3IN:", "+POP3OUT:"] }, (_e: any, r: any) => { result = r.result; });
    port.feed("\r\nOK\r\n\r\nRING\r\n");
    assert.equal(result, "");
    port.feed("\r\n+POP3IN: 1\r\n\r\n+SAPBR 1: DEACT\r\n");
    assert.equal(result, "+POP3IN: 1");
    assert.deepEqual(urcs, ["RING", "+SAPBR 1: DEACT"]);
  });

  it("between commands gives the waiter each line news does not take, none while a command is in flight; abort ends it", () => {
    const port = scriptPort();
    const ch = lib.createChannel(port, undefined, undefined, (l: string) => l === "RING");
    const seen: unknown[][] = [];
    ch.waiter = (...a: unknown[]) => { seen.push(a); };
    port.feed("\r\n+POP3READ: 3,120\r\n\r\nRING\r\n");
    assert.deepEqual(seen, [["+POP3READ: 3,120"]], "news took RING");
    let lines: string[] = [];
    ch.at("AT+POP3READ=10", { ms: 1000 }, (_e: any, r: any) => { lines = [...r.reply]; });
    port.feed("\r\n+POP3READ: 3,7\r\nOK\r\n");
    assert.deepEqual(lines, ["+POP3READ: 3,7"], "in flight, the line is the command's");
    assert.equal(seen.length, 1);
    ch.abort("DEACT", "the network closed the GPRS bearer");
    assert.deepEqual(seen[1], ["DEACT", "the network closed the GPRS bearer"]);
    assert.equal(ch.waiter, null);
    port.feed("\r\nhello\r\n");
    assert.equal(seen.length, 2, "no waiter after abort");
  });

  it("answers the prompt and streams announced payloads to the command", () => {
    const { port, ch } = setup();
    const data: string[] = [];
    ch.at("AT+SMTPBODY", { ms: 1000, onLine: (l: string) => l === ">" && (ch.serial.write("hello\x1a"), true) }, () => {});
    port.feed("\r\n> ");
    assert.equal(port.written[1], "hello\x1a");
    port.feed("\r\nOK\r\n");
    ch.at("AT+POP3READ=10", {
      ms: 1000,
      onLine: (l: string) => { const m = /^\+POP3READ: [12],(\d+)/.exec(l); if (m) { ch.expect(+m[1]); return true; } return false; },
      sink: (s: string) => data.push(s),
    }, (e: any, r: any) => data.push("end:" + e + ":" + r.reply.length));
    port.feed("\r\n+POP3READ: 2,9\r\nOK\r\nERROR\r\nOK\r\n");
    assert.deepEqual(data, ["OK\r\nERROR", "end:null:0"]);
  });

  it("cancels a prompt that nobody takes with ESC, in flight or not, and never collects it", () => {
    const { port, ch } = setup();
    let lines: string[] | null = null;
    port.feed("\r\n> ");
    assert.deepEqual(port.written, ["\x1b"]);
    ch.at("AT+CSQ", { ms: 1000, onLine: (l: string) => l === "DOWNLOAD" }, (_e: any, r: any) => { lines = r.reply; });
    port.feed("\r\n> ");
    port.feed("\r\n+CSQ: 20,0\r\n\r\nOK\r\n");
    assert.deepEqual(port.written, ["\x1b", "AT+CSQ\r", "\x1b"]);
    assert.deepEqual(lines && [...(lines as string[])], ["+CSQ: 20,0"]);
  });

  it("times out a silent command exactly once and goes on with the next", (done) => {
    const { port, ch } = setup();
    const calls: any[] = [];
    ch.at("AT+CSQ", { ms: 30 }, (e: any) => calls.push(e.type));
    ch.at("AT", { ms: 1000 }, (e: any) => {
      calls.push(e);
      assert.deepEqual(calls, ["TIMEOUT", null]);
      done();
    });
    setTimeout(() => port.feed("\r\nOK\r\n"), 60);
  });

  it("survives a throwing callback and an over-long line, and close fails what is queued", () => {
    const { port, ch, log } = setup();
    ch.at("AT", { ms: 1000 }, () => { throw new Error("user bug"); });
    port.feed("\r\nOK\r\n");
    assert.ok(log.some((l) => l.includes("user bug")));
    const errs: any[] = [];
    ch.at("AT+CREG?", { ms: 1000 }, (e: any) => errs.push(e.type));
    port.feed("x".repeat(300) + "\r\n");
    assert.equal(errs.length, 0, "an over-long line fails its command only when the command's own answer comes");
    port.feed("\r\nOK\r\n");
    ch.at("AT", { ms: 1000 }, (e: any) => errs.push(e.type));
    ch.at("AT", { ms: 1000 }, (e: any) => errs.push(e.type));
    ch.shut();
    assert.deepEqual(errs, ["OVERFLOW", "CLOSED", "CLOSED"]);
    assert.equal(port.listeners, 0);
  });
});
