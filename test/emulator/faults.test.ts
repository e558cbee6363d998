// Every injectable fault: result codes at a step, ERROR/silence on a command, bearer drops during
// attachment and POP3READ transfers, URC noise, reboot. Also the CLI fault spec parser.
import { strict as assert } from "node:assert";
import { applyFaultSpec, Faults } from "../../tools/sim900-emulator/faults";
import { ERROR, Harness, line, mailSettings, OK, pop3LoggedIn, setup, sleep } from "./harness";

const mail = mailSettings, pop3 = pop3LoggedIn;

describe("emulator: faults", () => {
  let h: Harness;
  afterEach(() => h.close());

  it("+SMTPSEND codes 61-68 and 80-84 as the final result (once by default)", async () => {
    h = setup();
    await mail(h);
    for (const code of [61, 62, 63, 64, 65, 66, 67, 68, 80, 81, 82, 83, 84]) {
      h.modem.faults.failSmtpSend(code);
      await h.exchange("AT+SMTPSEND\r", OK + line("+SMTPSEND: " + code));
    }
    await h.exchange("AT+SMTPSEND\r", OK + line("+SMTPSEND: 1"));
    assert.equal(h.backend.sent.length, 1);
  });

  it("+SMTPSEND code at the connect step: no +SMTPFT offer; 'always' repeats", async () => {
    h = setup();
    await mail(h, true);
    h.modem.faults.failSmtpSend(63, "connect", "always");
    await h.exchange("AT+SMTPSEND\r", OK + line("+SMTPSEND: 63"));
    await h.exchange("AT+SMTPSEND\r", OK + line("+SMTPSEND: 63"));
    h.modem.faults.clear();
    await h.exchange("AT+SMTPSEND\r", OK + line("+SMTPFT: 1,1360"));
    // A final-step code after the attachment went through.
    h.modem.faults.failSmtpSend(65);
    await h.exchange("AT+SMTPFT=0\r", OK + line("+SMTPSEND: 65"));
    assert.equal(h.backend.sent.length, 0);
  });

  it("+POP3IN codes, and +POP3OUT codes on named POP3 commands", async () => {
    h = setup();
    await h.ready();
    await h.exchange('AT+POP3SRV="mail.sim.com","john","123456"\r', OK);
    for (const code of [61, 62, 63, 64, 65, 66, 67, 68, 80, 84]) {
      h.modem.faults.failPop3In(code);
      await h.exchange("AT+POP3IN\r", OK + line("+POP3IN: " + code));
    }
    await h.exchange("AT+POP3IN\r", OK + line("+POP3IN: 1"));
    h.modem.faults.failPop3Command("AT+POP3LIST", 64);
    await h.exchange("AT+POP3NUM\r", OK + line("+POP3NUM: 1,2,11124"));
    await h.exchange("AT+POP3LIST=1\r", OK + line("+POP3OUT: 64"));
    await h.exchange("AT+POP3NUM\r", ERROR); // the session is gone
    assert.equal(h.backend.destroyed, 1);
    await h.exchange("AT+POP3IN\r", OK + line("+POP3IN: 1"));
    h.modem.faults.failPop3Command("POP3OUT", 63);
    await h.exchange("AT+POP3OUT\r", OK + line("+POP3OUT: 63"));
    await h.exchange("AT+POP3IN\r", OK + line("+POP3IN: 1"));
    h.modem.faults.failPop3Command("POP3CMD", 61);
    await h.exchange("AT+POP3CMD=4,1\r", OK + line("+POP3OUT: 61"));
  });

  it("ERROR on a named command, once or always", async () => {
    h = setup();
    await h.ready();
    h.modem.faults.errorOn("AT+CSQ");
    await h.exchange("AT+CSQ\r", ERROR);
    await h.exchange("AT+CSQ\r", line("+CSQ: 20,0") + OK);
    h.modem.faults.errorOn("AT", "always");
    await h.exchange("AT\r", ERROR);
    await h.exchange("AT\r", ERROR);
    await h.exchange("AT+CSQ\r", line("+CSQ: 20,0") + OK);
  });

  it("silence: a command gets no answer at all, the next one does", async () => {
    h = setup();
    await mail(h);
    h.modem.faults.silenceOn("SMTPSEND");
    await h.exchange("AT+SMTPSEND\r", "", 30);
    await h.exchange("AT\r", OK);
    assert.equal(h.backend.sent.length, 0);
    await h.exchange("AT+SMTPSEND\r", OK + line("+SMTPSEND: 1"));
  });

  it("bearer drop after N attachment bytes: DEACT, the chunk fails (ERROR), +SMTPSEND: 61", async () => {
    h = setup();
    await mail(h, true);
    h.modem.faults.dropBearerAfterAttachmentBytes(150);
    await h.exchange("AT+SMTPSEND\r", OK + line("+SMTPFT: 1,1360"));
    await h.exchange("AT+SMTPFT=100\r", line("+SMTPFT: 2,100"));
    await h.exchange("a".repeat(100), OK + line("+SMTPFT: 1,1360"));
    await h.exchange("AT+SMTPFT=100\r", line("+SMTPFT: 2,100"));
    await h.exchange("b".repeat(60), line("+SAPBR 1: DEACT"));
    await h.exchange("b".repeat(40), ERROR + line("+SMTPSEND: 61"));
    assert.equal(h.modem.state().smtp.attachmentSoFar.length, 150);
    await h.exchange("AT+SAPBR=2,1\r", line('+SAPBR: 1,3,"0.0.0.0"') + OK);
    await h.exchange("AT+SMTPSEND\r", OK + line("+SMTPSEND: 61"));
    assert.equal(h.backend.sent.length, 0);
  });

  it("bearer drop after N POP3READ bytes: a short read, DEACT, +POP3OUT: 61, lock released", async () => {
    h = setup();
    await pop3(h);
    h.modem.faults.dropBearerAfterPop3ReadBytes(2000);
    await h.exchange("AT+POP3CMD=4,1\r", OK + line("+POP3CMD: 1"));
    h.take();
    h.send("AT+POP3READ=1460\r");
    await sleep(5);
    assert.match(h.take(), /^\r\n\+POP3READ: 1,1460\r\n[^]{1460}\r\nOK\r\n$/);
    h.send("AT+POP3READ=1460\r");
    await sleep(5);
    const second = h.take();
    assert.ok(second.startsWith("\r\n+POP3READ: 1,540\r\n"), JSON.stringify(second.slice(0, 40)));
    assert.ok(second.endsWith(OK + line("+SAPBR 1: DEACT") + line("+POP3OUT: 61")), JSON.stringify(second.slice(-60)));
    assert.equal(second.length, "\r\n+POP3READ: 1,540\r\n".length + 540 + OK.length + line("+SAPBR 1: DEACT").length + line("+POP3OUT: 61").length);
    await h.exchange("AT\r", OK);
    await h.exchange("AT+POP3READ=10\r", ERROR);
  });

  it("a bearer drop outside transfers fails a pending send or a session", async () => {
    h = setup({ latencyMs: 30 });
    await mail(h);
    h.take();
    h.send("AT+SMTPSEND\r");
    await h.waitFor(OK);
    h.modem.dropBearer();
    await sleep(60);
    assert.equal(h.take(), OK + line("+SAPBR 1: DEACT") + line("+SMTPSEND: 61"));
    await h.exchange("AT+SAPBR=1,1\r", OK, 40);
    await h.exchange('AT+POP3SRV="mail.sim.com","john","123456"\r', OK);
    await h.exchange("AT+POP3IN\r", OK + line("+POP3IN: 1"), 40);
    h.modem.dropBearer();
    assert.equal(h.take(), line("+SAPBR 1: DEACT") + line("+POP3OUT: 61"));
    assert.equal(h.modem.state().pop3.active, false);
    assert.equal(h.backend.destroyed, 1);
  });

  it("URC noise comes between responses, never inside one", async () => {
    h = setup({ seed: 7 });
    await h.ready();
    h.modem.faults.setNoise(1, ["RING"]);
    await h.exchange("AT+CSQ\r", line("+CSQ: 20,0") + OK + line("RING"));
    h.modem.faults.setNoise(1);
    const seen = new Set<string>();
    for (let i = 0; i < 30; i++) {
      h.take();
      h.send("AT\r");
      await sleep(1);
      const out = h.take();
      assert.ok(out.startsWith(OK), JSON.stringify(out));
      seen.add(out.slice(OK.length));
    }
    assert.deepEqual([...seen].sort(), [line('+CMTI: "SM",1'), line("RING"), line("UNDER-VOLTAGE WARNNING")].sort());
    h.modem.faults.setNoise(0);
    await h.exchange("AT\r", OK);
    h.modem.injectUrc("RING");
    assert.equal(h.take(), line("RING"));
  });

  it("reboot: RDY, later Call Ready; settings forgotten, echo on, bearer closed, input ignored meanwhile", async () => {
    h = setup({ boot: { rdyMs: 5, callReadyMs: 30 } });
    await h.ready();
    await h.exchange('AT+SMTPSUB="kept?"\r', OK);
    await h.exchange("AT+EMAILTO=99\r", OK);
    h.modem.reboot();
    h.send("AT\r"); // booting: nobody listens
    await h.waitFor("RDY");
    assert.equal(h.take(), "\r\nRDY\r\n");
    await h.waitFor("Call Ready");
    assert.equal(h.take(), "\r\nCall Ready\r\n");
    await h.exchange("AT\r", "AT\r" + OK);
    await h.exchange("AT+SMTPSUB?\r", "AT+SMTPSUB?\r" + line('+SMTPSUB: ""') + OK);
    await h.exchange("AT+EMAILTO?\r", "AT+EMAILTO?\r" + line("+EMAILTO: 30") + OK);
    await h.exchange("AT+SAPBR=2,1\r", "AT+SAPBR=2,1\r" + line('+SAPBR: 1,3,"0.0.0.0"') + OK);
  });

  it("reboot on a named command drops a POP3 session silently", async () => {
    h = setup({ boot: { rdyMs: 0, callReadyMs: 5 } });
    await pop3(h);
    h.modem.faults.rebootOn("POP3NUM");
    h.take();
    h.send("AT+POP3NUM\r");
    await h.waitFor("Call Ready");
    assert.equal(h.take(), "\r\nRDY\r\n\r\nCall Ready\r\n");
    assert.equal(h.backend.destroyed, 1);
    assert.equal(h.modem.state().pop3.active, false);
  });

  it("CLI fault specs", () => {
    const f = new Faults();
    applyFaultSpec(f, "smtpsend:65:connect");
    applyFaultSpec(f, "pop3in:67:always");
    applyFaultSpec(f, "pop3cmd:POP3NUM:64");
    applyFaultSpec(f, "error:AT+SMTPSUB");
    applyFaultSpec(f, "silence:POP3LIST:always");
    applyFaultSpec(f, "drop-attachment:500");
    applyFaultSpec(f, "drop-pop3read:2000");
    applyFaultSpec(f, "noise:0.25");
    assert.equal(f.takeSmtpSend("final"), null);
    assert.equal(f.takeSmtpSend("connect"), 65);
    assert.equal(f.takeSmtpSend("connect"), null);
    assert.equal(f.takePop3In(), 67);
    assert.equal(f.takePop3In(), 67);
    assert.equal(f.takePop3Command("POP3NUM"), 64);
    assert.equal(f.takeError("SMTPSUB"), true);
    assert.equal(f.takeError("SMTPSUB"), false);
    assert.equal(f.takeSilence("POP3LIST") && f.takeSilence("POP3LIST"), true);
    assert.equal(f.dropAfterAttachmentBytes, 500);
    assert.equal(f.dropAfterPop3ReadBytes, 2000);
    assert.equal(f.noise.probability, 0.25);
    assert.throws(() => applyFaultSpec(f, "smtpsend:x"));
    assert.throws(() => applyFaultSpec(f, "bogus:1"));
  });
});
