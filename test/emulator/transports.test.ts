// Output pacing and chunking, the in-process Espruino-like port, the transcript, and the TCP
// server of cli.ts driven by a plain socket typing manual examples 3.2 and 3.5.
import { strict as assert } from "node:assert";
import * as net from "node:net";
import { parseArgs, startCli } from "../../tools/sim900-emulator/cli";
import { createEmulator } from "../../tools/sim900-emulator/modem";
import { createPort } from "../../tools/sim900-emulator/transports";
import { dotStuff, FakeBackend, messageOfSize } from "./fake-backend";
import { line, OK, sleep, tcpModem } from "./harness";

function chunksOf(seed: number, maxChunk: number): Promise<number[]> {
  const modem = createEmulator({ backend: new FakeBackend(), baud: 0, maxChunk, seed });
  const sizes: number[] = [];
  modem.on("data", (c: Buffer) => sizes.push(c.length));
  modem.input("AT+SMTPRCPT=?\r");
  modem.close();
  return Promise.resolve(sizes);
}

describe("emulator: pacing, ports, TCP", () => {
  it("splits output into random chunks of at most maxChunk, reproducibly from the seed", async () => {
    const a = await chunksOf(42, 5);
    const b = await chunksOf(42, 5);
    const c = await chunksOf(43, 5);
    const total = "AT+SMTPRCPT=?\r".length + line("+SMTPRCPT: (0-2),(0-4),50,50").length + OK.length;
    assert.equal(a.reduce((x, y) => x + y, 0), total);
    assert.ok(a.every((n) => n >= 1 && n <= 5));
    assert.ok(a.length > total / 5);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
  });

  it("paces output at the baud rate (10 bits a byte)", async () => {
    const modem = createEmulator({ backend: new FakeBackend(), baud: 9600, maxChunk: 16, echo: false });
    let got = "";
    modem.on("data", (c: Buffer) => (got += c.toString("latin1")));
    const start = performance.now();
    modem.input("AT+SMTPBODY=?\r".repeat(6)); // 6 × 24 bytes = 144 bytes = 150 ms at 9600 baud
    await sleep(50);
    assert.ok(got.length > 0 && got.length < 144, "partial after 50 ms: " + got.length);
    await modem.idle();
    const ms = performance.now() - start;
    assert.equal(got, (line("+SMTPBODY: 4096") + OK).repeat(6));
    assert.ok(ms >= 140 && ms < 400, "took " + ms);
    modem.close();
  });

  it("createPort: asynchronous 'data' events of at most 64 characters, latin1 intact", async () => {
    const modem = createEmulator({ backend: new FakeBackend(), baud: 0, echo: false });
    const port = createPort(modem);
    const events: string[] = [];
    port.on("data", (d) => events.push(d));
    port.write("AT+SMTPRCPT=?\r");
    assert.equal(events.length, 0, "never inside write()");
    port.write("AT+SMTPBODY\r");
    port.write("\xe9\xff\x1a");
    await sleep(5);
    port.write('AT+SMTPSRV="' + "h".repeat(50) + '"\rAT+SMTPSRV?\r');
    await sleep(5);
    assert.ok(events.every((e) => e.length <= 64));
    assert.ok(events.some((e) => e.length === 64));
    assert.equal(events.join(""), line("+SMTPRCPT: (0-2),(0-4),50,50") + OK + "\r\n> " + OK + OK + line('+SMTPSRV: "' + "h".repeat(50) + '",25') + OK);
    assert.equal(modem.state().smtp.body.toString("latin1"), "\xe9\xff");
    port.close();
    modem.close();
  });

  it("keeps a transcript of both directions", () => {
    const modem = createEmulator({ backend: new FakeBackend(), baud: 0 });
    modem.input("AT\r");
    assert.equal(modem.transcript.bytes("in").toString(), "AT\r");
    assert.equal(modem.transcript.bytes("out").toString(), "AT\r" + OK);
    modem.close();
  });

  it("parses CLI flags", () => {
    const o = parseArgs(["--listen", "127.0.0.1:0", "--baud", "0", "--smtp", "localhost:2525", "--account", "unit7:se:cret",
      "--fault", "smtpsend:65", "--pop3-delivery", "0:500:20", "--chunk", "8"]);
    assert.deepEqual([o.host, o.port, o.baud, o.smtp, o.account, o.faults, o.pop3Delivery, o.maxChunk],
      ["127.0.0.1", 0, 0, { host: "localhost", port: 2525 }, { user: "unit7", pass: "se:cret" }, ["smtpsend:65"],
        { initial: 0, chunk: 500, intervalMs: 20 }, 8]);
    assert.throws(() => parseArgs(["--bogus", "1"]));
  });

  it("TCP: one modem per connection; a plain socket types manual examples 3.2 and 3.5", async () => {
    const backend = new FakeBackend();
    const server = await startCli(parseArgs(["--listen", "127.0.0.1:0", "--baud", "0"]), backend);
    const { sock, exchange } = await tcpModem(server.port);
    try {
      await exchange("ATE0\r", "ATE0\r" + OK);
      await exchange("AT+SAPBR=1,1\r", OK);
      // 3.2
      for (const cmd of ["AT+EMAILCID=1", "AT+EMAILTO=30", 'AT+SMTPSRV="mail.sim.com",25', 'AT+SMTPAUTH=1,"john","123456"',
        'AT+SMTPFROM="john@sim.com" ,"john"', 'AT+SMTPRCPT=0,0,"john@sim.com", "john"', 'AT+SMTPRCPT=1,0,"john@sim.com", "john"',
        'AT+SMTPRCPT=2,0,"john@sim.com", "john"', 'AT+SMTPSUB="Test"']) await exchange(cmd + "\r", OK);
      await exchange("AT+SMTPBODY\r", "\r\n> ");
      await exchange("This is a new Email\x1a", OK);
      await exchange("AT+SMTPSEND\r", OK + line("+SMTPSEND: 1"));
      assert.equal(backend.sent[0].body, "This is a new Email");
      // 3.5
      await exchange('AT+POP3SRV="mail.sim.com","john", "123456",110\r', OK);
      await exchange("AT+POP3IN\r", OK + line("+POP3IN: 1"));
      await exchange("AT+POP3NUM\r", OK + line("+POP3NUM: 1,2,11124"));
      await exchange("AT+POP3LIST=1\r", OK + line("+POP3LIST: 1,1,5556"));
      await exchange("AT+POP3CMD=4,1\r", OK + line("+POP3CMD: 1"));
      const raw = Buffer.concat([Buffer.from("+OK 5556 octets\r\n"), dotStuff(messageOfSize(5556, "First")), Buffer.from(".\r\n")]);
      for (let at = 0; at < raw.length; at += 1460) {
        const piece = raw.subarray(at, at + 1460);
        await exchange("AT+POP3READ=1460\r",
          "\r\n+POP3READ: " + (at + 1460 >= raw.length ? 2 : 1) + "," + piece.length + "\r\n" + piece.toString("latin1") + OK);
      }
      await exchange("AT+POP3OUT\r", OK + line("+POP3OUT: 1"));
      // A second connection is a fresh modem (echo on, bearer closed).
      const sock2 = net.connect(server.port, "127.0.0.1");
      let got2 = "";
      sock2.on("data", (d) => (got2 += d.toString("latin1")));
      await new Promise((r) => sock2.once("connect", r));
      sock2.write("AT+SAPBR=2,1\r");
      await sleep(30);
      assert.equal(got2, "AT+SAPBR=2,1\r" + line('+SAPBR: 1,3,"0.0.0.0"') + OK);
      sock2.destroy();
    } finally {
      sock.destroy();
      await server.close();
    }
  });
});
