// The sim800 model (EmulatorOptions.model, --model): the sessions of SIM800-EMAIL.md section 5
// (the SIM900 examples 3.1-3.7 adapted to SIM800 V1.09: AT+SMTPBODY=<length>, DOWNLOAD, exactly
// <length> bytes, OK) replayed byte for byte, then each difference from the sim900 model: the body
// input, AT+EMAILSSL, result codes 69 and 80-84, identification, reboot, and every SIM900 fault.
import { strict as assert } from "node:assert";
import * as net from "node:net";
import { HELP, parseArgs, startCli } from "../../tools/sim900-emulator/cli";
import { DIALECTS, Model } from "../../tools/sim900-emulator/dialect";
import { applyFaultSpec, Faults } from "../../tools/sim900-emulator/faults";
import { createEmulator } from "../../tools/sim900-emulator/modem";
import { dotStuff, FakeBackend, messageOfSize } from "./fake-backend";
import { ERROR, Harness, line, mailSettings, OK, pop3LoggedIn, readAll, setup, sleep, tcpModem } from "./harness";

const MODELS: Model[] = ["sim900", "sim800"];
const info = (s: string) => line(s) + OK;
const DOWNLOAD = "\r\nDOWNLOAD\r\n";
/** Echo on: the modem sends the command back, CR included, before its response. */
const echoed = (cmd: string, response: string) => [cmd + "\r", cmd + "\r" + response] as const;

async function smtpSettings(h: Harness, charset?: string): Promise<void> {
  await h.exchange("AT+EMAILCID=1\r", OK);
  await h.exchange("AT+EMAILTO=30\r", OK);
  if (charset) await h.exchange('AT+SMTPCS="' + charset + '"\r', OK);
  await h.exchange('AT+SMTPSRV="mail.sim.com",25\r', OK);
  await h.exchange('AT+SMTPAUTH=1,"john","123456"\r', OK);
  await h.exchange('AT+SMTPFROM="john@sim.com","john"\r', OK);
  await h.exchange('AT+SMTPRCPT=0,0,"john@sim.com","john"\r', OK);
  await h.exchange('AT+SMTPRCPT=1,0,"john@sim.com","john"\r', OK);
  await h.exchange('AT+SMTPRCPT=2,0,"john@sim.com","john"\r', OK);
}


async function pop3Login(h: Harness): Promise<void> {
  await h.exchange("AT+EMAILCID=1\r", OK);
  await h.exchange("AT+EMAILTO=30\r", OK);
  await h.exchange('AT+POP3SRV="mail.sim.com","john","123456",110\r', OK);
  await h.exchange("AT+POP3IN\r", OK + line("+POP3IN: 1"));
}

describe("emulator sim800: SIM800-EMAIL.md section 5 sessions, byte for byte", () => {
  let h: Harness;
  afterEach(() => h.close());

  it("bearer set-up (V1.09 20.13) and a plain send (echo on, as at power-up): DOWNLOAD, 19 bytes not echoed, OK", async () => {
    h = setup({ model: "sim800" });
    await h.exchange(...echoed('AT+SAPBR=3,1,"Contype","GPRS"', OK));
    await h.exchange(...echoed('AT+SAPBR=3,1,"APN","CMNET"', OK));
    await h.exchange(...echoed("AT+SAPBR=1,1", OK));
    await h.exchange(...echoed("AT+SAPBR=2,1", info('+SAPBR: 1,1,"10.89.193.1"')));
    await h.exchange(...echoed("AT+EMAILCID=1", OK));
    await h.exchange(...echoed("AT+EMAILTO=30", OK));
    await h.exchange(...echoed('AT+SMTPSRV="mail.sim.com",25', OK));
    await h.exchange(...echoed('AT+SMTPAUTH=1,"john","123456"', OK));
    await h.exchange(...echoed('AT+SMTPFROM="john@sim.com" ,"john"', OK));
    await h.exchange(...echoed('AT+SMTPRCPT=0,0,"john@sim.com", "john"', OK));
    await h.exchange(...echoed('AT+SMTPRCPT=1,0,"john@sim.com", "john"', OK));
    await h.exchange(...echoed('AT+SMTPRCPT=2,0,"john@sim.com", "john"', OK));
    await h.exchange(...echoed('AT+SMTPSUB="Test"', OK));
    await h.exchange(...echoed("AT+SMTPBODY=19", DOWNLOAD));
    assert.equal(h.modem.state().mode, "data");
    await h.exchange("This is a new Email", OK); // no echo of the data, no terminator
    assert.equal(h.modem.state().mode, "command");
    await h.exchange(...echoed("AT+SMTPSEND", OK + line("+SMTPSEND: 1")));
    await h.exchange(...echoed("AT+SAPBR=0,1", OK));
    assert.equal(h.backend.sent.length, 1);
    const m = h.backend.sent[0];
    assert.deepEqual(m.smtp, { host: "mail.sim.com", port: 25, ssl: false, auth: { user: "john", pass: "123456" } });
    assert.deepEqual(m.from, { address: "john@sim.com", name: "john" });
    const john = [{ address: "john@sim.com", name: "john" }];
    assert.deepEqual([m.to, m.cc, m.bcc], [john, john, john]);
    assert.equal(m.subject, "Test");
    assert.equal(m.body, "This is a new Email");
    assert.equal(m.charset, "ASCII");
    assert.equal(m.timeoutMs, 30000);
    assert.equal(m.attachment, undefined);
  });

  it("with an attachment (echo off): the new body step, then +SMTPFT chunks as on the SIM900", async () => {
    h = setup({ model: "sim800" });
    await h.ready();
    await smtpSettings(h);
    await h.exchange('AT+SMTPSUB="Test"\r', OK);
    await h.exchange("AT+SMTPBODY=19\r", DOWNLOAD);
    await h.exchange("This is a new Email", OK);
    await h.exchange('AT+SMTPFILE=1,"test.txt",0\r', OK);
    await h.exchange("AT+SMTPSEND\r", OK + line("+SMTPFT: 1,1360"));
    const one = Buffer.from("first hundred\r\n" + "a".repeat(83) + "\r\n", "latin1");
    const two = Buffer.from("second hundred\r\n" + "b".repeat(82) + "\r\n", "latin1");
    assert.deepEqual([one.length, two.length], [100, 100]);
    await h.exchange("AT+SMTPFT=100\r", line("+SMTPFT: 2,100"));
    await h.exchange(one, OK + line("+SMTPFT: 1,1360"));
    await h.exchange("AT+SMTPFT=100\r", line("+SMTPFT: 2,100")); // repeated after the new +SMTPFT: 1 URC
    await h.exchange(two, OK + line("+SMTPFT: 1,1360"));
    await h.exchange("AT+SMTPFT=0\r", OK + line("+SMTPSEND: 1"));
    const m = h.backend.sent[0];
    assert.equal(m.body, "This is a new Email");
    assert.deepEqual(m.attachment, { name: "test.txt", binary: false, data: Buffer.concat([one, two]) });
  });

  it("UTF-8 (echo off): hex subject, AT+SMTPBODY=<length of the hex text>", async () => {
    h = setup({ model: "sim800" });
    await h.ready();
    await smtpSettings(h, "UTF-8");
    await h.exchange('AT+SMTPSUB="54455354"\r', OK);
    const hex = "546869732069732061206E657720456D61696C";
    assert.equal(hex.length, 38);
    await h.exchange("AT+SMTPBODY=38\r", DOWNLOAD);
    await h.exchange(hex, OK);
    await h.exchange("AT+SMTPSEND\r", OK + line("+SMTPSEND: 1"));
    const m = h.backend.sent[0];
    assert.deepEqual([m.charset, m.subject, m.body], ["UTF-8", "TEST", "This is a new Email"]);
  });

  it("POP3 retrieve (3.5 adapted): POP3NUM, POP3LIST, POP3CMD=4,1, POP3READ until 2, POP3OUT", async () => {
    h = setup({ model: "sim800" });
    await h.ready();
    await pop3Login(h);
    await h.exchange("AT+POP3NUM\r", OK + line("+POP3NUM: 1,2,11124"));
    await h.exchange("AT+POP3LIST=1\r", OK + line("+POP3LIST: 1,1,5556"));
    await h.exchange("AT+POP3CMD=4,1\r", OK + line("+POP3CMD: 1"));
    const raw = Buffer.concat([Buffer.from("+OK 5556 octets\r\n"), dotStuff(messageOfSize(5556, "First")), Buffer.from(".\r\n")]);
    await readAll(h, raw);
    await h.exchange("AT+POP3OUT\r", OK + line("+POP3OUT: 1"));
    assert.deepEqual(h.backend.commands, ["STAT", "LIST 1", "RETR 1"]);
    assert.deepEqual(h.backend.logins.map((l) => [l.host, l.port, l.ssl, l.user, l.pass, l.timeoutMs]),
      [["mail.sim.com", 110, false, "john", "123456", 30000]]);
  });

  it("POP3 delete (3.6 adapted): POP3DEL=1, removed at the normal logout", async () => {
    h = setup({ model: "sim800" });
    await h.ready();
    await pop3Login(h);
    await h.exchange("AT+POP3NUM\r", OK + line("+POP3NUM: 1,2,11124"));
    await h.exchange("AT+POP3DEL=1\r", OK + line("+POP3DEL: 1"));
    await h.exchange("AT+POP3OUT\r", OK + line("+POP3OUT: 1"));
    assert.deepEqual(h.backend.messages.map((m) => m.data.length), [5568]);
  });

  it("POP3 size and uid (3.7 adapted): POP3LIST=1, POP3UIDL=1", async () => {
    h = setup({ model: "sim800" }, {
      messages: [
        { uid: "AAAFOpdCAAAv60+tkFqRqk3/6ogog+g", data: messageOfSize(16601) },
        { uid: "other", data: messageOfSize(19196) },
      ],
    });
    await h.ready();
    await pop3Login(h);
    await h.exchange("AT+POP3NUM\r", OK + line("+POP3NUM: 1,2,35797"));
    await h.exchange("AT+POP3LIST=1\r", OK + line("+POP3LIST: 1,1,16601"));
    await h.exchange("AT+POP3UIDL=1\r", OK + line("+POP3UIDL: 1,1,AAAFOpdCAAAv60+tkFqRqk3/6ogog+g"));
    await h.exchange("AT+POP3OUT\r", OK + line("+POP3OUT: 1"));
  });

  it("SMTPS and POP3S (3.8, 3.9): no counterpart, AT+EMAILSSL=1 is ERROR and the email goes plain", async () => {
    h = setup({ model: "sim800" });
    await h.ready();
    await h.exchange("AT+EMAILSSL=1\r", ERROR);
    await smtpSettings(h);
    await h.exchange("AT+SMTPSEND\r", OK + line("+SMTPSEND: 1"));
    assert.equal(h.backend.sent[0].smtp.ssl, false);
  });
});

describe("emulator sim800: AT+SMTPBODY=<length>", () => {
  let h: Harness;
  afterEach(() => h.close());

  async function mailSetup(model: Model = "sim800"): Promise<void> {
    h = setup({ model });
    await h.ready();
    await h.exchange('AT+SMTPSRV="mail.sim.com"\r', OK);
    await h.exchange('AT+SMTPFROM="john@sim.com"\r', OK);
    await h.exchange('AT+SMTPRCPT=0,0,"bob@sim.com"\r', OK);
  }

  it("Ctrl-Z (0x1A) and ESC (0x1B) are plain data and reach the sent email intact", async () => {
    await mailSetup();
    const body = "Dear Bob,\r\n\x1a is Ctrl-Z and \x1b is ESC.\r\n.\r\nAT\r\nAT+SMTPSEND\r\n\x00\xff end";
    await h.exchange("AT+SMTPBODY=" + body.length + "\r", DOWNLOAD);
    await h.exchange(body, OK);
    assert.equal(h.modem.state().smtp.body.toString("latin1"), body);
    await h.exchange("AT+SMTPSEND\r", OK + line("+SMTPSEND: 1"));
    assert.equal(h.backend.sent.length, 1);
    assert.equal(h.backend.sent[0].body, body);
    assert.ok(h.backend.sent[0].body.includes("\x1a") && h.backend.sent[0].body.includes("\x1b"));
  });

  it("a body split across many small writes: nothing is answered until the last byte, then OK once", async () => {
    await mailSetup();
    const body = Buffer.from(Array.from({ length: 600 }, (_, i) => (i * 7 + 3) % 256)); // every byte value
    await h.exchange("AT+SMTPBODY=600\r", DOWNLOAD);
    let sizes = 0;
    for (let at = 0, n = 1; at < body.length - 1; at += n, n = (n % 9) + 1) {
      const piece = body.subarray(at, Math.min(at + n, body.length - 1));
      h.send(piece);
      sizes++;
      if (sizes % 20 === 0) await sleep(1);
      assert.equal(h.output, "", "answered after " + (at + piece.length) + " bytes");
    }
    assert.ok(sizes > 100, sizes + " writes");
    assert.equal(h.modem.state().mode, "data");
    await h.exchange(body.subarray(body.length - 1), OK);
    assert.deepEqual(h.modem.state().smtp.body, body);
    await h.exchange("AT+SMTPSEND\r", OK + line("+SMTPSEND: 1"));
    assert.equal(h.backend.sent[0].body, body.toString("latin1"));
  });

  it("<length> counts bytes, not characters: 'Grüße €' is 7 characters and 11 UTF-8 bytes", async () => {
    await mailSetup();
    const text = Buffer.from("Grüße €", "utf8");
    assert.equal(text.length, 11);
    await h.exchange("AT+SMTPBODY=11\r", DOWNLOAD);
    await h.exchange(text.subarray(0, 7), "", 10); // 7 bytes in: still taking data
    assert.equal(h.modem.state().mode, "data");
    await h.exchange(text.subarray(7), OK);
    assert.deepEqual(h.modem.state().smtp.body, text);
    // The same bytes hex-encoded under UTF-8: <length> is the hex text's length, 22.
    await h.exchange('AT+SMTPCS="UTF-8"\r', OK);
    await h.exchange('AT+SMTPSUB="4869"\r', OK);
    await h.exchange("AT+SMTPBODY=22\r", DOWNLOAD);
    await h.exchange(text.toString("hex").toUpperCase(), OK);
    await h.exchange("AT+SMTPSEND\r", OK + line("+SMTPSEND: 1"));
    assert.deepEqual([h.backend.sent[0].subject, h.backend.sent[0].body], ["Hi", "Grüße €"]);
  });

  it("the body limit, malformed lengths and the execution form answer ERROR; the body is kept", async () => {
    await mailSetup();
    await h.exchange("AT+SMTPBODY=?\r", info("+SMTPBODY: 4096"));
    await h.exchange("AT+SMTPBODY=4\r", DOWNLOAD);
    await h.exchange("kept", OK);
    for (const bad of ["AT+SMTPBODY", "AT+SMTPBODY=", "AT+SMTPBODY?", "AT+SMTPBODY=4097", "AT+SMTPBODY=99999",
      "AT+SMTPBODY=abc", 'AT+SMTPBODY="19"', "AT+SMTPBODY=-1", "AT+SMTPBODY=1.5", "AT+SMTPBODY=1,2", "AT+SMTPBODY=,"])
      await h.exchange(bad + "\r", ERROR);
    assert.equal(h.modem.state().smtp.body.toString(), "kept");
    assert.equal(h.modem.state().mode, "command");
    // Exactly the limit is accepted.
    await h.exchange("AT+SMTPBODY=4096\r", DOWNLOAD);
    await h.exchange("m".repeat(4096), OK);
    assert.equal(h.modem.state().smtp.body.length, 4096);
    // 0: DOWNLOAD, then OK at once, the body is emptied.
    await h.exchange("AT+SMTPBODY=0\r", DOWNLOAD + OK);
    assert.equal(h.modem.state().smtp.body.length, 0);
    await h.exchange("AT\r", OK);
  });

  it("the host stops early: the input stays open (no timeout), later bytes, 'AT\\r' too, are body", async () => {
    h = setup({ model: "sim800", boot: { rdyMs: 0, callReadyMs: 5 } });
    await h.ready();
    await h.exchange("AT+SMTPBODY=10\r", DOWNLOAD);
    await h.exchange("abcd", "", 60);
    assert.equal(h.modem.state().mode, "data");
    await h.exchange("AT\r", "", 10); // not a command: 7 bytes in
    await h.exchange("xyz", OK);
    assert.equal(h.modem.state().smtp.body.toString(), "abcdAT\rxyz");
    // A reboot ends an open input; nothing of it is kept.
    await h.exchange("AT+SMTPBODY=10\r", DOWNLOAD);
    await h.exchange("half", "", 5);
    h.modem.reboot();
    await h.waitFor("Call Ready");
    assert.equal(h.modem.state().mode, "command");
    assert.equal(h.modem.state().smtp.body.length, 0);
    await h.exchange("AT\r", "AT\r" + OK);
  });

  it("while a send is in progress AT+SMTPBODY=<n> is ERROR, like the other settings commands", async () => {
    await mailSetup();
    await h.exchange('AT+SMTPFILE=1,"t.txt",0\r', OK);
    await h.exchange("AT+SMTPSEND\r", OK + line("+SMTPFT: 1,1360"));
    await h.exchange("AT+SMTPBODY=3\r", ERROR);
    await h.exchange("AT+SMTPFT=0\r", OK + line("+SMTPSEND: 1"));
    await h.exchange("AT+SMTPBODY=3\r", DOWNLOAD);
    await h.exchange("end", OK);
  });

  it("sim900 keeps the prompt form only: AT+SMTPBODY=<digits> is ERROR there", async () => {
    await mailSetup("sim900");
    await h.exchange("AT+SMTPBODY=19\r", ERROR);
    await h.exchange("AT+SMTPBODY\r", "\r\n> ");
    await h.exchange("This is a new Email\x1a", OK);
    assert.equal(h.modem.state().smtp.body.toString(), "This is a new Email");
  });
});

describe("emulator sim800: the other differences", () => {
  let h: Harness;
  afterEach(() => h.close());

  it("ATI, AT+CGMM and AT+CGMR per model", async () => {
    const expect: Record<Model, string[]> = {
      sim900: ["SIM900 R11.0", "SIMCOM_SIM900", "Revision:1137B06SIM900M64_ST_ENHANCE"],
      sim800: ["SIM800 R14.18", "SIMCOM_SIM800", "Revision:1418B04SIM800L24"],
    };
    for (const model of MODELS) {
      h = setup({ model });
      await h.ready();
      await h.exchange("ATI\r", info(expect[model][0]));
      await h.exchange("AT+CGMM\r", info(expect[model][1]));
      await h.exchange("AT+CGMM=?\r", OK);
      await h.exchange("AT+CGMM?\r", ERROR);
      await h.exchange("AT+CGMR\r", info(expect[model][2]));
      assert.equal(h.modem.state().model, model);
      h.close();
    }
    h = setup({ model: "sim800", revision: "Revision:X" });
    await h.exchange("AT+CGMR\r", "AT+CGMR\r" + info("Revision:X"));
    const plain = setup();
    assert.equal(plain.modem.state().model, "sim900"); // the default
    plain.close();
    assert.throws(() => createEmulator({ backend: new FakeBackend(), model: "sim700" as Model }), /unknown modem model "sim700"/);
  });

  it("AT+EMAILSSL in any form is ERROR on sim800; sim900 still has it", async () => {
    h = setup({ model: "sim800" });
    await h.ready();
    for (const form of ["AT+EMAILSSL=?", "AT+EMAILSSL?", "AT+EMAILSSL=0", "AT+EMAILSSL=1", "AT+EMAILSSL", "AT+EMAILSSL="])
      await h.exchange(form + "\r", ERROR);
    assert.equal(h.modem.state().email.ssl, false);
    h.close();
    h = setup({ model: "sim900" });
    await h.ready();
    await h.exchange("AT+EMAILSSL=?\r", info("+EMAILSSL: (0,1)"));
    await h.exchange("AT+EMAILSSL=1\r", OK);
    await h.exchange("AT+EMAILSSL?\r", info("+EMAILSSL: 1"));
  });

  it("code 69 (read-data timeout) on AT+POP3IN and AT+POP3OUT: faults on sim800, refused on sim900", async () => {
    h = setup({ model: "sim800" });
    await h.ready();
    await h.exchange('AT+POP3SRV="mail.sim.com","john","123456"\r', OK);
    h.modem.faults.failPop3In(69);
    await h.exchange("AT+POP3IN\r", OK + line("+POP3IN: 69"));
    applyFaultSpec(h.modem.faults, "pop3in:69");
    await h.exchange("AT+POP3IN\r", OK + line("+POP3IN: 69"));
    await h.exchange("AT+POP3IN\r", OK + line("+POP3IN: 1"));
    h.modem.faults.failPop3Out(69);
    await h.exchange("AT+POP3OUT\r", OK + line("+POP3OUT: 69"));
    await h.exchange("AT+POP3NUM\r", ERROR); // the session is gone
    await h.exchange("AT+POP3IN\r", OK + line("+POP3IN: 1"));
    applyFaultSpec(h.modem.faults, "pop3out:69");
    await h.exchange("AT+POP3OUT\r", OK + line("+POP3OUT: 69"));
    await h.exchange("AT+POP3IN\r", OK + line("+POP3IN: 1"));
    applyFaultSpec(h.modem.faults, "pop3cmd:POP3OUT:69");
    await h.exchange("AT+POP3OUT\r", OK + line("+POP3OUT: 69"));
    // POP3READ has 69 on both models.
    await h.exchange("AT+POP3IN\r", OK + line("+POP3IN: 1"));
    await h.exchange("AT+POP3CMD=4,1\r", OK + line("+POP3CMD: 1"));
    applyFaultSpec(h.modem.faults, "pop3cmd:POP3READ:69");
    await h.exchange("AT+POP3READ=1460\r", line("+POP3OUT: 69"));
    await h.exchange("AT\r", OK);
    h.close();

    h = setup({ model: "sim900" });
    const f = h.modem.faults;
    assert.throws(() => f.failPop3In(69), /fault refused: the sim900 model never reports \+POP3IN: 69 on AT\+POP3IN/);
    assert.throws(() => f.failPop3Out(69), /the sim900 model never reports \+POP3OUT: 69 on AT\+POP3OUT/);
    assert.throws(() => f.failPop3Command("AT+POP3OUT", 69), /sim900/);
    assert.throws(() => applyFaultSpec(f, "pop3in:69:always"), /sim900/);
    assert.throws(() => applyFaultSpec(f, "pop3out:69"), /sim900/);
    assert.throws(() => applyFaultSpec(new Faults(), "pop3out:69"), /sim900/); // a Faults of its own is a sim900's
    f.failPop3Command("POP3READ", 69); // listed for POP3READ in SIM900 2.19
    f.failPop3Out(83).failPop3In(80).failSmtpSend(84); // SSL codes are fine there
    await h.ready();
    await h.exchange('AT+POP3SRV="mail.sim.com","john","123456"\r', OK);
    await h.exchange("AT+POP3IN\r", OK + line("+POP3IN: 80")); // the refused rules left nothing behind
  });

  it("SSL codes 80-84 never occur on sim800: faults asking for them are refused, backend codes are mapped", async () => {
    const f = new Faults(DIALECTS.sim800);
    for (const code of [80, 81, 82, 83, 84]) {
      assert.throws(() => f.failSmtpSend(code), new RegExp("the sim800 model never reports \\+SMTPSEND: " + code + " on AT\\+SMTPSEND"));
      assert.throws(() => f.failSmtpSend(code, "connect"), /sim800/);
      assert.throws(() => f.failPop3In(code), /sim800.*\+POP3IN/);
      assert.throws(() => f.failPop3Out(code), /sim800.*\+POP3OUT/);
      for (const cmd of ["POP3NUM", "POP3LIST", "POP3UIDL", "POP3CMD", "POP3READ", "POP3DEL", "POP3RSET"])
        assert.throws(() => f.failPop3Command(cmd, code), new RegExp("sim800.*AT\\+" + cmd));
      for (const spec of ["smtpsend:" + code, "smtpsend:" + code + ":connect", "pop3in:" + code, "pop3out:" + code, "pop3cmd:POP3READ:" + code])
        assert.throws(() => applyFaultSpec(f, spec), /80-84 are SSL codes/);
    }
    assert.equal(f.takeSmtpSend("final"), null);
    assert.equal(f.takePop3In(), null);

    // A backend that answers with an SSL code anyway (the mail backend does only with ssl on):
    // +SMTPSEND/+POP3IN 65 (bad server reply) on sim800, passed through unchanged on sim900.
    for (const model of MODELS) {
      const backend = new FakeBackend({ sendCode: 83 });
      backend.pop3Login = async () => ({ code: 82 });
      h = setup({ model }, backend);
      await h.ready();
      await h.exchange('AT+SMTPSRV="mail.sim.com"\r', OK);
      await h.exchange('AT+SMTPFROM="john@sim.com"\r', OK);
      await h.exchange('AT+SMTPRCPT=0,0,"bob@sim.com"\r', OK);
      await h.exchange("AT+SMTPSEND\r", OK + line("+SMTPSEND: " + (model === "sim800" ? 65 : 83)));
      await h.exchange('AT+POP3SRV="mail.sim.com","john","123456"\r', OK);
      await h.exchange("AT+POP3IN\r", OK + line("+POP3IN: " + (model === "sim800" ? 65 : 82)));
      h.close();
    }
    // A session whose command breaks with an SSL code: +POP3OUT: 61 on sim800, the code on sim900.
    for (const model of MODELS) {
      const backend = new FakeBackend();
      const login = backend.pop3Login.bind(backend);
      backend.pop3Login = async (l) => {
        const r = await login(l);
        return { code: r.code, session: { ...r.session!, command: async () => { throw Object.assign(new Error("tls"), { code: 84 }); } } };
      };
      h = setup({ model }, backend);
      await h.ready();
      await h.exchange('AT+POP3SRV="mail.sim.com","john","123456"\r', OK);
      await h.exchange("AT+POP3IN\r", OK + line("+POP3IN: 1"));
      await h.exchange("AT+POP3NUM\r", OK + line("+POP3OUT: " + (model === "sim800" ? 61 : 84)));
      h.close();
    }
  });

  it("a reboot clears every email setting to its power-up default, on both models", async () => {
    const reads = ["AT+EMAILCID?", "AT+EMAILTO?", "AT+EMAILSSL?", "AT+SMTPSRV?", "AT+SMTPAUTH?", "AT+SMTPFROM?",
      "AT+SMTPRCPT?", "AT+SMTPSUB?", "AT+SMTPFILE?", "AT+SMTPCS?", "AT+POP3SRV?", "AT+SAPBR=2,1"];
    const readAllSettings = async (x: Harness) => {
      const out: string[] = [];
      for (const r of reads) {
        x.take();
        x.send(r + "\r");
        await sleep(2);
        out.push(x.take());
      }
      return out;
    };
    for (const model of MODELS) {
      const fresh = setup({ model, echo: false });
      const defaults = await readAllSettings(fresh);
      fresh.close();
      h = setup({ model, echo: false, boot: { rdyMs: 0, callReadyMs: 5 } });
      await h.exchange("AT+SAPBR=1,1\r", OK);
      await h.exchange("AT+SAPBR=3,2,\"APN\",\"other\"\r", OK);
      await h.exchange("AT+EMAILCID=2\r", OK);
      await h.exchange("AT+EMAILTO=99\r", OK);
      if (h.modem.dialect.emailSsl) await h.exchange("AT+EMAILSSL=1\r", OK);
      await h.exchange('AT+SMTPSRV="smtp.x.org",2525\r', OK);
      await h.exchange('AT+SMTPAUTH=1,"u","p"\r', OK);
      await h.exchange('AT+SMTPFROM="a@x.org","A"\r', OK);
      await h.exchange('AT+SMTPRCPT=1,3,"c@x.org","C"\r', OK);
      await h.exchange('AT+SMTPSUB="5375626A"\r', OK);
      if (h.modem.dialect.body === "download") {
        await h.exchange("AT+SMTPBODY=4\r", DOWNLOAD);
        await h.exchange("B0DY", OK);
      } else {
        await h.exchange("AT+SMTPBODY\r", "\r\n> ");
        await h.exchange("B0DY\x1a", OK);
      }
      await h.exchange('AT+SMTPFILE=2,"p.bin",1\r', OK);
      await h.exchange('AT+SMTPCS="UTF-8"\r', OK);
      await h.exchange('AT+POP3SRV="pop.x.org","u","p",1110\r', OK);
      const set = await readAllSettings(h);
      const changed = set.filter((s, i) => s !== defaults[i]).length;
      assert.equal(changed, reads.length - (h.modem.dialect.emailSsl ? 0 : 1), model + ": every setting was changed");
      applyFaultSpec(h.modem.faults, "reboot:CSQ");
      h.take();
      h.send("AT+CSQ\r");
      await h.waitFor("Call Ready");
      assert.equal(h.take(), "\r\nRDY\r\n\r\nCall Ready\r\n");
      await h.exchange("ATE0\r", "ATE0\r" + OK); // echo is back on after a reboot
      assert.deepEqual(await readAllSettings(h), defaults, model);
      const s = h.modem.state();
      assert.equal(s.smtp.body.length, 0);
      assert.deepEqual(s.bearers.map((b) => [b.open, b.apn]), [[false, "CMNET"], [false, "CMNET"], [false, "CMNET"]]);
      h.close();
    }
  });
});

// Each kind of fault the sim900 model has (README "Faults"), set through its CLI spec where it has
// one, run on both models: the same exchanges, byte for byte, and the same whole transcript.
describe("emulator sim800: every SIM900 fault works on both models", () => {
  const mail = mailSettings, pop3 = pop3LoggedIn;
  const fault = (h: Harness, spec: string) => applyFaultSpec(h.modem.faults, spec);

  const KINDS: Array<[string, (h: Harness) => Promise<void>]> = [
    ["smtpsend:65 (final)", async (h) => {
      await mail(h);
      fault(h, "smtpsend:65");
      await h.exchange("AT+SMTPSEND\r", OK + line("+SMTPSEND: 65"));
      await h.exchange("AT+SMTPSEND\r", OK + line("+SMTPSEND: 1"));
      assert.equal(h.backend.sent.length, 1);
    }],
    ["smtpsend:63:connect:always", async (h) => {
      await mail(h, true);
      fault(h, "smtpsend:63:connect:always");
      await h.exchange("AT+SMTPSEND\r", OK + line("+SMTPSEND: 63"));
      await h.exchange("AT+SMTPSEND\r", OK + line("+SMTPSEND: 63"));
      h.modem.faults.clear();
      await h.exchange("AT+SMTPSEND\r", OK + line("+SMTPFT: 1,1360"));
      await h.exchange("AT+SMTPFT=0\r", OK + line("+SMTPSEND: 1"));
    }],
    ["pop3in:67", async (h) => {
      await h.ready();
      await h.exchange('AT+POP3SRV="mail.sim.com","john","123456"\r', OK);
      fault(h, "pop3in:67");
      await h.exchange("AT+POP3IN\r", OK + line("+POP3IN: 67"));
      await h.exchange("AT+POP3IN\r", OK + line("+POP3IN: 1"));
    }],
    ["pop3cmd:<each POP3 command>:64", async (h) => {
      await h.ready();
      await h.exchange('AT+POP3SRV="mail.sim.com","john","123456"\r', OK);
      for (const [cmd, at] of [["POP3NUM", "AT+POP3NUM"], ["POP3LIST", "AT+POP3LIST=1"], ["POP3UIDL", "AT+POP3UIDL=1"],
        ["POP3CMD", "AT+POP3CMD=4,1"], ["POP3DEL", "AT+POP3DEL=1"], ["POP3RSET", "AT+POP3RSET"], ["POP3OUT", "AT+POP3OUT"]]) {
        await h.exchange("AT+POP3IN\r", OK + line("+POP3IN: 1"));
        fault(h, "pop3cmd:" + cmd + ":64");
        await h.exchange(at + "\r", OK + line("+POP3OUT: 64"));
        await h.exchange("AT+POP3NUM\r", ERROR); // the session is gone
      }
      await h.exchange("AT+POP3IN\r", OK + line("+POP3IN: 1"));
      await h.exchange("AT+POP3CMD=4,1\r", OK + line("+POP3CMD: 1"));
      fault(h, "pop3cmd:POP3READ:64");
      await h.exchange("AT+POP3READ=100\r", line("+POP3OUT: 64"));
    }],
    ["pop3out:62 (the new shorthand)", async (h) => {
      await pop3(h);
      fault(h, "pop3out:62");
      await h.exchange("AT+POP3OUT\r", OK + line("+POP3OUT: 62"));
    }],
    ["error:SMTPSUB and error:AT:always", async (h) => {
      await h.ready();
      fault(h, "error:AT+SMTPSUB");
      await h.exchange('AT+SMTPSUB="x"\r', ERROR);
      await h.exchange('AT+SMTPSUB="x"\r', OK);
      fault(h, "error:AT:always");
      await h.exchange("AT\r", ERROR);
      await h.exchange("AT\r", ERROR);
    }],
    ["silence:POP3LIST", async (h) => {
      await pop3(h);
      fault(h, "silence:POP3LIST");
      await h.exchange("AT+POP3LIST=1\r", "", 30);
      await h.exchange("AT+POP3LIST=1\r", OK + line("+POP3LIST: 1,1,5556"));
    }],
    ["reboot:SMTPSEND", async (h) => {
      await mail(h);
      fault(h, "reboot:SMTPSEND");
      h.take();
      h.send("AT+SMTPSEND\r");
      await h.waitFor("Call Ready");
      assert.equal(h.take(), "\r\nRDY\r\n\r\nCall Ready\r\n");
      await h.exchange("AT+SMTPSRV?\r", "AT+SMTPSRV?\r" + info('+SMTPSRV: "",25'));
      assert.equal(h.backend.sent.length, 0);
    }],
    ["drop-attachment:150", async (h) => {
      await mail(h, true);
      fault(h, "drop-attachment:150");
      await h.exchange("AT+SMTPSEND\r", OK + line("+SMTPFT: 1,1360"));
      await h.exchange("AT+SMTPFT=100\r", line("+SMTPFT: 2,100"));
      await h.exchange("a".repeat(100), OK + line("+SMTPFT: 1,1360"));
      await h.exchange("AT+SMTPFT=100\r", line("+SMTPFT: 2,100"));
      await h.exchange("b".repeat(60), line("+SAPBR 1: DEACT"));
      await h.exchange("b".repeat(40), ERROR + line("+SMTPSEND: 61"));
      assert.equal(h.modem.state().smtp.attachmentSoFar.length, 150);
    }],
    ["drop-pop3read:2000", async (h) => {
      await pop3(h);
      fault(h, "drop-pop3read:2000");
      await h.exchange("AT+POP3CMD=4,1\r", OK + line("+POP3CMD: 1"));
      const raw = Buffer.concat([Buffer.from("+OK 5556 octets\r\n"), dotStuff(messageOfSize(5556, "First")), Buffer.from(".\r\n")]);
      await h.exchange("AT+POP3READ=1460\r", "\r\n+POP3READ: 1,1460\r\n" + raw.subarray(0, 1460).toString("latin1") + OK);
      await h.exchange("AT+POP3READ=1460\r", "\r\n+POP3READ: 1,540\r\n" + raw.subarray(1460, 2000).toString("latin1") + OK +
        line("+SAPBR 1: DEACT") + line("+POP3OUT: 61"));
      await h.exchange("AT\r", OK);
    }],
    ["noise:1", async (h) => {
      await h.ready();
      fault(h, "noise:1");
      for (let i = 0; i < 5; i++) {
        h.take();
        h.send("AT\r");
        await sleep(2);
        const out = h.take();
        assert.ok([line("RING"), line('+CMTI: "SM",1'), line("UNDER-VOLTAGE WARNNING")].includes(out.slice(OK.length)) && out.startsWith(OK), out);
      }
    }],
    ["dropBearer() and injectUrc()", async (h) => {
      await pop3(h);
      h.modem.dropBearer();
      assert.equal(h.take(), line("+SAPBR 1: DEACT") + line("+POP3OUT: 61"));
      h.modem.injectUrc("RING");
      assert.equal(h.take(), line("RING"));
    }],
    ["reboot()", async (h) => {
      await pop3(h);
      h.modem.reboot();
      await h.waitFor("Call Ready");
      assert.equal(h.take(), "\r\nRDY\r\n\r\nCall Ready\r\n");
      assert.equal(h.modem.state().pop3.active, false);
      assert.equal(h.backend.destroyed, 1);
    }],
  ];

  for (const [name, run] of KINDS)
    it(name, async () => {
      const transcripts: string[] = [];
      for (const model of MODELS) {
        const h = setup({ model, seed: 3, boot: { rdyMs: 0, callReadyMs: 5 } });
        try {
          await run(h);
          transcripts.push(h.modem.transcript.bytes("in").toString("latin1") + "\n<<\n" + h.modem.transcript.bytes("out").toString("latin1"));
        } catch (e) {
          (e as Error).message = model + ": " + (e as Error).message;
          throw e;
        } finally {
          h.close();
        }
      }
      assert.equal(transcripts[0], transcripts[1], "the two models' transcripts differ");
    });
});

describe("emulator sim800: --model on the CLI", () => {
  it("parses --model and --help; refuses an unknown model", () => {
    assert.equal(parseArgs(["--model", "sim800"]).model, "sim800");
    assert.equal(parseArgs(["--model", "sim900"]).model, "sim900");
    assert.equal(parseArgs([]).model, undefined);
    assert.throws(() => parseArgs(["--model", "sim808"]), /--model wants sim900 or sim800, got sim808/);
    assert.throws(() => parseArgs(["--model"]), /needs a value/);
    assert.equal(parseArgs(["--help"]).help, true);
    assert.equal(parseArgs(["--listen", "127.0.0.1:0", "-h"]).help, true);
    assert.match(HELP, /--model sim900\|sim800/);
    assert.match(HELP, /pop3out:CODE/);
  });

  it("refuses at start-up a fault code the model never reports", async () => {
    await assert.rejects(startCli(parseArgs(["--listen", "127.0.0.1:0", "--fault", "pop3in:69"]), new FakeBackend()), /sim900.*\+POP3IN: 69/);
    await assert.rejects(startCli(parseArgs(["--listen", "127.0.0.1:0", "--model", "sim800", "--fault", "smtpsend:83"]), new FakeBackend()),
      /sim800.*\+SMTPSEND: 83/);
    await assert.rejects(startCli(parseArgs(["--listen", "127.0.0.1:0", "--fault", "pop3out:x"]), new FakeBackend()), /bad fault spec/);
  });

  it("TCP: --model sim800 serves a SIM800 on every connection (ATI, DOWNLOAD body, pop3out:69 fault)", async () => {
    const backend = new FakeBackend();
    const server = await startCli(parseArgs(["--listen", "127.0.0.1:0", "--baud", "0", "--model", "sim800",
      "--fault", "pop3out:69"]), backend);
    const { sock, exchange } = await tcpModem(server.port);
    try {
      await exchange("ATI\r", "ATI\r" + info("SIM800 R14.18"));
      await exchange("ATE0\r", "ATE0\r" + OK);
      await exchange("AT+SAPBR=1,1\r", OK);
      for (const cmd of ['AT+SMTPSRV="mail.sim.com",25', 'AT+SMTPFROM="john@sim.com"', 'AT+SMTPRCPT=0,0,"bob@sim.com"'])
        await exchange(cmd + "\r", OK);
      await exchange("AT+SMTPBODY=5\r", DOWNLOAD);
      await exchange("a\x1ab\x1bc", OK);
      await exchange("AT+SMTPSEND\r", OK + line("+SMTPSEND: 1"));
      assert.equal(backend.sent[0].body, "a\x1ab\x1bc");
      await exchange('AT+POP3SRV="mail.sim.com","john","123456"\r', OK);
      await exchange("AT+POP3IN\r", OK + line("+POP3IN: 1"));
      await exchange("AT+POP3OUT\r", OK + line("+POP3OUT: 69"));
      await exchange("AT+EMAILSSL=?\r", ERROR);
    } finally {
      sock.destroy();
      await server.close();
    }
  });
});
