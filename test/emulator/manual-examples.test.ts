// The nine example sessions of manual section 3, replayed byte for byte (typos of the manual
// corrected: SMTPEFROM, SMTPCPT, SMTSEND, SMTPPFT, SMTDFILE; the stray comma of 3.4's SMTPFROM).
// 3.1 and 3.2 run with echo as at power-up (ON); the others switch it off with ATE0 first.
import { strict as assert } from "node:assert";
import { dotStuff, messageOfSize } from "./fake-backend";
import { ERROR, Harness, line, OK, readAll, setup } from "./harness";

/** Echo on: the modem sends the command back, CR included, before its response. */
const echoed = (cmd: string, response: string) => [cmd + "\r", cmd + "\r" + response] as const;

async function smtpSettings(h: Harness): Promise<void> {
  await h.exchange('AT+EMAILCID=1\r', OK);
  await h.exchange('AT+EMAILTO=30\r', OK);
  await h.exchange('AT+SMTPSRV="mail.sim.com",25\r', OK);
  await h.exchange('AT+SMTPAUTH=1,"john","123456"\r', OK);
  await h.exchange('AT+SMTPFROM="john@sim.com" ,"john"\r', OK); // the manual's space before the comma
  await h.exchange('AT+SMTPRCPT=0,0,"john@sim.com", "john"\r', OK);
  await h.exchange('AT+SMTPRCPT=1,0,"john@sim.com", "john"\r', OK);
  await h.exchange('AT+SMTPRCPT=2,0,"john@sim.com", "john"\r', OK);
  await h.exchange('AT+SMTPSUB="Test"\r', OK);
  await h.exchange("AT+SMTPBODY\r", "\r\n> ");
  await h.exchange("This is a new Email\x1a", OK);
}


describe("emulator: manual section 3 examples, byte for byte", () => {
  let h: Harness;
  afterEach(() => h.close());

  it("3.1 bearer profile (echo on, as at power-up)", async () => {
    h = setup();
    await h.exchange(...echoed('AT+SAPBR=3,1,"Contype","GPRS"', OK));
    await h.exchange(...echoed('AT+SAPBR=3,1,"APN","CMNET"', OK));
    await h.exchange(...echoed("AT+SAPBR=2,1", line('+SAPBR: 1,3,"0.0.0.0"') + OK));
    await h.exchange(...echoed("AT+SAPBR=1,1", OK));
    await h.exchange(...echoed("AT+SAPBR=2,1", line('+SAPBR: 1,1,"10.89.193.1"') + OK));
    await h.exchange(...echoed("AT+SAPBR=0,1", OK));
    await h.exchange(...echoed("AT+SAPBR=2,1", line('+SAPBR: 1,3,"0.0.0.0"') + OK));
    // "GPRS context is released by network"
    await h.exchange(...echoed("AT+SAPBR=1,1", OK));
    h.modem.dropBearer(1);
    assert.equal(h.take(), "\r\n+SAPBR 1: DEACT\r\n");
    await h.exchange(...echoed("AT+SAPBR=2,1", line('+SAPBR: 1,3,"0.0.0.0"') + OK));
  });

  it("3.2 send an email (echo on, as at power-up)", async () => {
    h = setup();
    await h.exchange(...echoed("AT+SAPBR=1,1", OK));
    await h.exchange(...echoed("AT+EMAILCID=1", OK));
    await h.exchange(...echoed("AT+EMAILTO=30", OK));
    await h.exchange(...echoed('AT+SMTPSRV="mail.sim.com",25', OK));
    await h.exchange(...echoed('AT+SMTPAUTH=1,"john","123456"', OK));
    await h.exchange(...echoed('AT+SMTPFROM="john@sim.com" ,"john"', OK));
    await h.exchange(...echoed('AT+SMTPRCPT=0,0,"john@sim.com", "john"', OK));
    await h.exchange(...echoed('AT+SMTPRCPT=1,0,"john@sim.com", "john"', OK));
    await h.exchange(...echoed('AT+SMTPRCPT=2,0,"john@sim.com", "john"', OK));
    await h.exchange(...echoed('AT+SMTPSUB="Test"', OK));
    await h.exchange(...echoed("AT+SMTPBODY", "\r\n> "));
    // Body text is echoed too; Ctrl-Z is not.
    await h.exchange("This is a new Email\x1a", "This is a new Email" + OK);
    await h.exchange(...echoed("AT+SMTPSEND", OK + line("+SMTPSEND: 1")));
    assert.equal(h.backend.sent.length, 1);
    const m = h.backend.sent[0];
    assert.deepEqual(m.smtp, { host: "mail.sim.com", port: 25, ssl: false, auth: { user: "john", pass: "123456" } });
    assert.deepEqual(m.from, { address: "john@sim.com", name: "john" });
    assert.deepEqual([m.to, m.cc, m.bcc], [[{ address: "john@sim.com", name: "john" }], [{ address: "john@sim.com", name: "john" }], [{ address: "john@sim.com", name: "john" }]]);
    assert.equal(m.subject, "Test");
    assert.equal(m.body, "This is a new Email");
    assert.equal(m.charset, "ASCII");
    assert.equal(m.timeoutMs, 30000);
    assert.equal(m.attachment, undefined);
  });

  it("3.3 send an email with an attachment (echo off)", async () => {
    h = setup();
    await h.ready();
    await smtpSettings(h);
    await h.exchange('AT+SMTPFILE=1,"test.txt",0\r', OK);
    await h.exchange("AT+SMTPSEND\r", OK + line("+SMTPFT: 1,1360"));
    await h.exchange("AT+SMTPFT=100\r", line("+SMTPFT: 2,100"));
    // Exactly 100 raw bytes, whatever they hold (CR, Ctrl-Z, ESC, NUL, "AT\r").
    const data = Buffer.from("line one\r\nAT\r\x1a\x1b\x00" + "x".repeat(82) + "\r\n", "latin1");
    assert.equal(data.length, 100);
    await h.exchange(data, OK + line("+SMTPFT: 1,1360"));
    await h.exchange("AT+SMTPFT=0\r", OK + line("+SMTPSEND: 1"));
    const m = h.backend.sent[0];
    assert.deepEqual(m.attachment, { name: "test.txt", binary: false, data });
  });

  it("3.4 send a UTF-8 email (echo off)", async () => {
    h = setup();
    await h.ready();
    await h.exchange("AT+EMAILCID=1\r", OK);
    await h.exchange("AT+EMAILTO=30\r", OK);
    await h.exchange('AT+SMTPCS="UTF-8"\r', OK);
    await h.exchange('AT+SMTPSRV="mail.sim.com",25\r', OK);
    await h.exchange('AT+SMTPAUTH=1,"john","123456"\r', OK);
    await h.exchange('AT+SMTPFROM="john@sim.com","john"\r', OK);
    await h.exchange('AT+SMTPRCPT=0,0,"john@sim.com","john"\r', OK);
    await h.exchange('AT+SMTPRCPT=1,0,"john@sim.com","john"\r', OK);
    await h.exchange('AT+SMTPRCPT=2,0,"john@sim.com","john"\r', OK);
    await h.exchange('AT+SMTPSUB="54455354"\r', OK);
    await h.exchange("AT+SMTPBODY\r", "\r\n> ");
    await h.exchange("546869732069732061206E657720456D61696C\x1a", OK);
    await h.exchange("AT+SMTPSEND\r", OK + line("+SMTPSEND: 1"));
    const m = h.backend.sent[0];
    assert.equal(m.charset, "UTF-8");
    assert.equal(m.subject, "TEST");
    assert.equal(m.body, "This is a new Email");
  });

  it("3.5 retrieve the email (echo off)", async () => {
    h = setup();
    await h.ready();
    await h.exchange("AT+EMAILCID=1\r", OK);
    await h.exchange("AT+EMAILTO=30\r", OK);
    await h.exchange('AT+POP3SRV="mail.sim.com","john", "123456",110\r', OK);
    await h.exchange("AT+POP3IN\r", OK + line("+POP3IN: 1"));
    await h.exchange("AT+POP3NUM\r", OK + line("+POP3NUM: 1,2,11124"));
    await h.exchange("AT+POP3LIST=1\r", OK + line("+POP3LIST: 1,1,5556"));
    await h.exchange("AT+POP3CMD=4,1\r", OK + line("+POP3CMD: 1"));
    // The server's raw response: status line, dot-stuffed message, final dot line.
    const raw = Buffer.concat([Buffer.from("+OK 5556 octets\r\n"), dotStuff(messageOfSize(5556, "First")), Buffer.from(".\r\n")]);
    assert.ok(raw.includes("\r\n..a line starting with a dot"));
    await readAll(h, raw);
    await h.exchange("AT+POP3OUT\r", OK + line("+POP3OUT: 1"));
    assert.deepEqual(h.backend.commands, ["STAT", "LIST 1", "RETR 1"]);
    assert.equal(h.backend.quits, 1);
    assert.deepEqual(h.backend.logins.map((l) => [l.host, l.port, l.ssl, l.user, l.pass, l.timeoutMs]),
      [["mail.sim.com", 110, false, "john", "123456", 30000]]);
  });

  it("3.6 delete the email (echo off)", async () => {
    h = setup();
    await h.ready();
    await h.exchange("AT+EMAILCID=1\r", OK);
    await h.exchange("AT+EMAILTO=30\r", OK);
    await h.exchange('AT+POP3SRV="mail.sim.com","john", "123456",110\r', OK);
    await h.exchange("AT+POP3IN\r", OK + line("+POP3IN: 1"));
    await h.exchange("AT+POP3NUM\r", OK + line("+POP3NUM: 1,2,11124"));
    await h.exchange("AT+POP3DEL=1\r", OK + line("+POP3DEL: 1"));
    await h.exchange("AT+POP3OUT\r", OK + line("+POP3OUT: 1"));
    assert.equal(h.backend.messages.length, 1);
    assert.equal(h.backend.messages[0].data.length, 5568);
  });

  it("3.7 get the email's size and unique-id (echo off)", async () => {
    h = setup({}, {
      messages: [
        { uid: "AAAFOpdCAAAv60+tkFqRqk3/6ogog+g", data: messageOfSize(16601) },
        { uid: "other", data: messageOfSize(19196) },
      ],
    });
    await h.ready();
    await h.exchange("AT+EMAILCID=1\r", OK);
    await h.exchange("AT+EMAILTO=30\r", OK);
    await h.exchange('AT+POP3SRV="mail.sim.com","john","123456",110\r', OK);
    await h.exchange("AT+POP3IN\r", OK + line("+POP3IN: 1"));
    await h.exchange("AT+POP3NUM\r", OK + line("+POP3NUM: 1,2,35797"));
    await h.exchange("AT+POP3LIST=1\r", OK + line("+POP3LIST: 1,1,16601"));
    await h.exchange("AT+POP3UIDL=1\r", OK + line("+POP3UIDL: 1,1,AAAFOpdCAAAv60+tkFqRqk3/6ogog+g"));
    await h.exchange("AT+POP3OUT\r", OK + line("+POP3OUT: 1"));
  });

  it("3.8 send an email with an attachment using SMTPS (echo off)", async () => {
    h = setup();
    await h.ready();
    await h.exchange("AT+EMAILSSL=1\r", OK);
    await h.exchange("AT+EMAILCID=1\r", OK);
    await h.exchange("AT+EMAILTO=30\r", OK);
    await h.exchange('AT+SMTPSRV="smtp.google.com", 465\r', OK);
    await h.exchange('AT+SMTPAUTH=1,"mike","123456"\r', OK);
    await h.exchange('AT+SMTPFROM="mike@google.com" ,"mike"\r', OK);
    await h.exchange('AT+SMTPRCPT=0,0,"john@sim.com","john"\r', OK);
    await h.exchange('AT+SMTPRCPT=1,0,"john@sim.com","john"\r', OK);
    await h.exchange('AT+SMTPRCPT=2,0,"john@sim.com","john"\r', OK);
    await h.exchange('AT+SMTPSUB="Test"\r', OK);
    await h.exchange("AT+SMTPBODY\r", "\r\n> ");
    await h.exchange("This is a new Email\x1a", OK);
    await h.exchange('AT+SMTPFILE=1,"test.txt",0\r', OK);
    await h.exchange("AT+SMTPSEND\r", OK + line("+SMTPFT: 1,1360"));
    await h.exchange("AT+SMTPFT=100\r", line("+SMTPFT: 2,100"));
    await h.exchange("y".repeat(100), OK + line("+SMTPFT: 1,1360"));
    await h.exchange("AT+SMTPFT=0\r", OK + line("+SMTPSEND: 1"));
    const m = h.backend.sent[0];
    assert.deepEqual(m.smtp, { host: "smtp.google.com", port: 465, ssl: true, auth: { user: "mike", pass: "123456" } });
    assert.equal(m.attachment?.data.toString(), "y".repeat(100));
  });

  it("3.9 retrieve the email using POP3S (echo off)", async () => {
    h = setup({}, { account: { user: "mike", pass: "123456" } });
    await h.ready();
    await h.exchange("AT+EMAILSSL=1\r", OK);
    await h.exchange("AT+EMAILCID=1\r", OK);
    await h.exchange("AT+EMAILTO=30\r", OK);
    await h.exchange('AT+POP3SRV="pop.google.com","mike","123456",995\r', OK);
    await h.exchange("AT+POP3IN\r", OK + line("+POP3IN: 1"));
    await h.exchange("AT+POP3NUM\r", OK + line("+POP3NUM: 1,2,11124"));
    await h.exchange("AT+POP3LIST=1\r", OK + line("+POP3LIST: 1,1,5556"));
    await h.exchange("AT+POP3CMD=4,1\r", OK + line("+POP3CMD: 1"));
    const raw = Buffer.concat([Buffer.from("+OK 5556 octets\r\n"), dotStuff(messageOfSize(5556, "First")), Buffer.from(".\r\n")]);
    await readAll(h, raw);
    await h.exchange("AT+POP3OUT\r", OK + line("+POP3OUT: 1"));
    assert.deepEqual(h.backend.logins.map((l) => [l.host, l.port, l.ssl]), [["pop.google.com", 995, true]]);
  });

  it("the manual's typos are not commands", async () => {
    h = setup();
    await h.ready();
    for (const typo of ['AT+SMTPEFROM="a@b.c"', 'AT+SMTPCPT=0,0,"a@b.c"', "AT+SMTSEND", "AT+SMTPPFT=0", 'AT+SMTDFILE=1,"t",0', "AT+POP3REST"])
      await h.exchange(typo + "\r", ERROR);
  });
});
