// Test/read/write forms of every command, ranges and malformed input → ERROR, recipient deletion,
// the SMTPBODY prompt (ESC, over-long body), charset hex checks, bearer rules.
import { strict as assert } from "node:assert";
import { parseCommandLine, parseParams } from "../../tools/sim900-emulator/at-parser";
import { LIMITS } from "../../tools/sim900-emulator/limits";
import { ERROR, Harness, line, OK, setup } from "./harness";

const info = (s: string) => line(s) + OK;

describe("emulator: AT parser", () => {
  it("splits forms and parameters", () => {
    assert.deepEqual(parseCommandLine('at+smtpsrv="a,b", 25'), {
      name: "SMTPSRV", extended: true, form: "write",
      params: [{ kind: "str", value: "a,b" }, { kind: "int", value: 25 }],
    });
    assert.equal(parseCommandLine("AT+X=?")?.form, "test");
    assert.equal(parseCommandLine("AT+X?")?.form, "read");
    assert.equal(parseCommandLine("AT+X")?.form, "exec");
    assert.deepEqual(parseCommandLine("ATE0"), { name: "E", extended: false, form: "exec", params: [{ kind: "int", value: 0 }] });
    assert.deepEqual(parseParams("1,,2"), [{ kind: "int", value: 1 }, { kind: "empty" }, { kind: "int", value: 2 }]);
  });
  it("rejects unterminated quotes, quotes inside strings, bare words, signs", () => {
    for (const bad of ['"abc', '"a"b"', "abc", "-1", '"a" x', "1.5"]) assert.equal(parseParams(bad), null, bad);
    assert.equal(parseCommandLine("XYZ"), null);
    assert.equal(parseCommandLine("AT+X=?junk"), null);
  });
});

describe("emulator: commands of manual section 2", () => {
  let h: Harness;
  beforeEach(async () => {
    h = setup();
    await h.ready();
  });
  afterEach(() => h.close());

  it("basic commands", async () => {
    await h.exchange("AT\r", OK);
    await h.exchange("AT+CPIN?\r", info("+CPIN: READY"));
    await h.exchange("AT+CREG?\r", info("+CREG: 0,1"));
    await h.exchange("AT+CGATT?\r", info("+CGATT: 1"));
    await h.exchange("AT+CSQ\r", info("+CSQ: 20,0"));
    await h.exchange("AT+CGMR\r", info("Revision:1137B06SIM900M64_ST_ENHANCE"));
    await h.exchange("AT+NOPE\r", ERROR);
    await h.exchange("hello\r", ERROR);
    await h.exchange("\r", "");
    await h.exchange("ATE1\r", OK); // echo was off while ATE1 was typed: ATE1 itself is not echoed
    await h.exchange("AT\r\n", "AT\r" + OK + "\n"); // the LF arrives after the CR ended the line: its echo follows the answer
    await h.exchange("ATE0\r", "ATE0\r" + OK);
    await h.exchange("AT\r", OK);
  });

  it("test forms report the documented ranges and max lengths", async () => {
    const expect: Array<[string, string]> = [
      ["EMAILCID", "+EMAILCID: (1-3)"],
      ["EMAILTO", "+EMAILTO: (10-120)"],
      ["EMAILSSL", "+EMAILSSL: (0,1)"],
      ["SMTPSRV", "+SMTPSRV: 50,(1-65535)"],
      ["SMTPAUTH", "+SMTPAUTH: (0,1),50,50"],
      ["SMTPFROM", "+SMTPFROM: 50,50"],
      ["SMTPRCPT", "+SMTPRCPT: (0-2),(0-4),50,50"],
      ["SMTPSUB", "+SMTPSUB: " + LIMITS.subject],
      ["SMTPBODY", "+SMTPBODY: 4096"],
      ["SMTPFILE", "+SMTPFILE: (0-2),50,(0,1)"],
      ["SMTPCS", "+SMTPCS: 20"],
      ["POP3SRV", "+POP3SRV: 50,50,50,(1-65535)"],
      ["POP3LIST", "+POP3LIST: (1-65535)"],
      ["POP3UIDL", "+POP3UIDL: (1-65535)"],
      ["POP3CMD", "+POP3CMD: (1-4),(1-65535),(0-65535)"],
      ["POP3READ", "+POP3READ: (1-1460)"],
      ["POP3DEL", "+POP3DEL: (1-65535)"],
    ];
    for (const [cmd, resp] of expect) await h.exchange("AT+" + cmd + "=?\r", info(resp));
    for (const cmd of ["SMTPSEND", "SMTPFT", "POP3IN", "POP3NUM", "POP3RSET", "POP3OUT"]) await h.exchange("AT+" + cmd + "=?\r", OK);
  });

  it("read forms show defaults, then what was written", async () => {
    await h.exchange("AT+EMAILCID?\r", info("+EMAILCID: 1"));
    await h.exchange("AT+EMAILTO?\r", info("+EMAILTO: 30"));
    await h.exchange("AT+EMAILSSL?\r", info("+EMAILSSL: 0"));
    await h.exchange("AT+SMTPSRV?\r", info('+SMTPSRV: "",25'));
    await h.exchange("AT+SMTPCS?\r", info('+SMTPCS: "ASCII"'));
    await h.exchange("AT+SMTPFILE?\r", info("+SMTPFILE: 0"));
    await h.exchange("AT+SMTPRCPT?\r", OK);
    await h.exchange("AT+EMAILCID=2\r", OK);
    await h.exchange("AT+EMAILTO=120\r", OK);
    await h.exchange('AT+SMTPSRV="smtp.x.org"\r', OK);
    await h.exchange('AT+SMTPAUTH=1,"u","p"\r', OK);
    await h.exchange('AT+SMTPFROM="a@x.org"\r', OK);
    await h.exchange('AT+SMTPSUB="Hi"\r', OK);
    await h.exchange('AT+SMTPFILE=2,"p.bin",1\r', OK);
    await h.exchange('AT+POP3SRV="pop.x.org","u","p"\r', OK);
    await h.exchange("AT+EMAILCID?\r", info("+EMAILCID: 2"));
    await h.exchange("AT+EMAILTO?\r", info("+EMAILTO: 120"));
    await h.exchange("AT+SMTPSRV?\r", info('+SMTPSRV: "smtp.x.org",25'));
    await h.exchange("AT+SMTPAUTH?\r", info('+SMTPAUTH: 1,"u","p"'));
    await h.exchange("AT+SMTPFROM?\r", info('+SMTPFROM: "a@x.org",""'));
    await h.exchange("AT+SMTPSUB?\r", info('+SMTPSUB: "Hi"'));
    await h.exchange("AT+SMTPFILE?\r", info('+SMTPFILE: 2,"p.bin",1'));
    await h.exchange("AT+POP3SRV?\r", info('+POP3SRV: "pop.x.org","u","p",110'));
    await h.exchange("AT+SMTPAUTH=0\r", OK);
    await h.exchange("AT+SMTPAUTH?\r", info('+SMTPAUTH: 0,"",""'));
  });

  it("out-of-range numbers, wrong parameter counts and malformed strings answer ERROR", async () => {
    const bad = [
      "AT+EMAILCID=0", "AT+EMAILCID=4", "AT+EMAILTO=9", "AT+EMAILTO=121", "AT+EMAILTO=30,1", "AT+EMAILTO=",
      "AT+EMAILSSL=2",
      'AT+SMTPSRV="a",0', 'AT+SMTPSRV="a",65536', 'AT+SMTPSRV="a",25,1', "AT+SMTPSRV=mail,25", 'AT+SMTPSRV="mail,25',
      'AT+SMTPSRV=""', 'AT+SMTPSRV="' + "s".repeat(51) + '"',
      'AT+SMTPAUTH=0,"u","p"', "AT+SMTPAUTH=1", 'AT+SMTPAUTH=1,"u"', 'AT+SMTPAUTH=2,"u","p"',
      'AT+SMTPFROM="a"b"', 'AT+SMTPFROM="a","b","c"', 'AT+SMTPFROM="a@b.c", ,"john"',
      'AT+SMTPRCPT=3,0,"a@b.c"', 'AT+SMTPRCPT=0,5,"a@b.c"', 'AT+SMTPRCPT=0,0,""', 'AT+SMTPRCPT=0,0,"a","b","c"',
      'AT+SMTPSUB="' + "s".repeat(LIMITS.subject + 1) + '"', "AT+SMTPSUB=1", 'AT+SMTPSUB="a","b"',
      'AT+SMTPFILE=1,"t.txt",1', 'AT+SMTPFILE=2,"t.bin",0', 'AT+SMTPFILE=3,"t",0', 'AT+SMTPFILE=1,"t.txt"', 'AT+SMTPFILE=0,"t",0',
      "AT+SMTPBODY=1", "AT+SMTPBODY?", "AT+SMTPSEND=1", "AT+SMTPFT=1361", "AT+SMTPFT=5",
      'AT+SMTPCS=""',
      'AT+POP3SRV="a","b"', 'AT+POP3SRV="a","b","c",0', 'AT+POP3SRV="a","b","c",1,2',
      "AT+POP3IN=1", "AT+POP3LIST=0", "AT+POP3LIST=65536", "AT+POP3UIDL=", "AT+POP3DEL=0",
      "AT+POP3CMD=1,1", "AT+POP3CMD=3,1", "AT+POP3CMD=4", "AT+POP3CMD=5,1", "AT+POP3CMD=2,1,1",
      "AT+POP3READ=0", "AT+POP3READ=1461", "AT+POP3READ=10", // nothing buffered
      "AT+POP3NUM", "AT+POP3OUT", "AT+POP3RSET", // not logged in
      "AT+SAPBR=1,1", // already open
      "AT+SAPBR=2,4", 'AT+SAPBR=3,1,"Bogus","x"', "AT+SAPBR=5,1", "ATE2", "AT+CPIN=1",
    ];
    for (const cmd of bad) await h.exchange(cmd + "\r", ERROR);
  });

  it("recipients: set, replace, delete one (type,index), delete a type (type only)", async () => {
    await h.exchange('AT+SMTPRCPT=0,0,"a@x.org","A"\r', OK);
    await h.exchange('AT+SMTPRCPT=0,1,"b@x.org"\r', OK);
    await h.exchange('AT+SMTPRCPT=1,0,"c@x.org","C"\r', OK);
    await h.exchange('AT+SMTPRCPT=2,4,"d@x.org","D"\r', OK);
    await h.exchange('AT+SMTPRCPT=0,0,"e@x.org","E"\r', OK); // same slot: replaced
    await h.exchange("AT+SMTPRCPT?\r", line(
      '+SMTPRCPT: 0,0,"e@x.org","E"\r\n+SMTPRCPT: 0,1,"b@x.org",""\r\n+SMTPRCPT: 1,0,"c@x.org","C"\r\n+SMTPRCPT: 2,4,"d@x.org","D"',
    ) + OK);
    await h.exchange("AT+SMTPRCPT=0,1\r", OK);
    await h.exchange("AT+SMTPRCPT?\r", line('+SMTPRCPT: 0,0,"e@x.org","E"\r\n+SMTPRCPT: 1,0,"c@x.org","C"\r\n+SMTPRCPT: 2,4,"d@x.org","D"') + OK);
    await h.exchange('AT+SMTPRCPT=0,1,"f@x.org"\r', OK);
    await h.exchange("AT+SMTPRCPT=0\r", OK);
    await h.exchange("AT+SMTPRCPT?\r", line('+SMTPRCPT: 1,0,"c@x.org","C"\r\n+SMTPRCPT: 2,4,"d@x.org","D"') + OK);
    assert.deepEqual(h.modem.state().smtp.recipients.map((r) => r.address), ["c@x.org", "d@x.org"]);
  });

  it("SMTPBODY: ESC cancels and keeps the old body; too long a body is ERROR; '=' form accepted", async () => {
    await h.exchange("AT+SMTPBODY=\r", "\r\n> ");
    await h.exchange("first\x1a", OK);
    await h.exchange("AT+SMTPBODY\r", "\r\n> ");
    await h.exchange("second\x1b", OK);
    assert.equal(h.modem.state().smtp.body.toString(), "first");
    await h.exchange("AT+SMTPBODY\r", "\r\n> ");
    await h.exchange("b".repeat(4097) + "\x1a", ERROR);
    assert.equal(h.modem.state().smtp.body.toString(), "first");
    await h.exchange("AT+SMTPBODY\r", "\r\n> ");
    const exact = "line1\r\nline2\r\n" + "c".repeat(4096 - 14);
    await h.exchange(exact + "\x1a", OK);
    assert.equal(h.modem.state().smtp.body.toString(), exact);
    assert.equal(h.modem.state().mode, "command");
  });

  async function mailSetup(): Promise<void> {
    await h.exchange('AT+SMTPSRV="mail.sim.com"\r', OK);
    await h.exchange('AT+SMTPFROM="john@sim.com"\r', OK);
    await h.exchange('AT+SMTPRCPT=0,0,"bob@sim.com"\r', OK);
  }

  it("charset: invalid hex subject/body is ERROR at AT+SMTPSEND (checked at send time)", async () => {
    await mailSetup();
    await h.exchange('AT+SMTPCS="UTF-8"\r', OK);
    await h.exchange('AT+SMTPSUB="4G"\r', OK);
    await h.exchange("AT+SMTPSEND\r", ERROR);
    await h.exchange('AT+SMTPSUB="C3A9"\r', OK);
    await h.exchange("AT+SMTPBODY\r", "\r\n> ");
    await h.exchange("ABC\x1a", OK); // odd length
    await h.exchange("AT+SMTPSEND\r", ERROR);
    await h.exchange("AT+SMTPBODY\r", "\r\n> ");
    await h.exchange("E282AC\x1a", OK);
    await h.exchange("AT+SMTPSEND\r", OK + line("+SMTPSEND: 1"));
    assert.equal(h.backend.sent[0].subject, "é");
    assert.equal(h.backend.sent[0].body, "€");
  });

  it("SMTPSEND without server, sender or recipient is ERROR; settings persist across emails", async () => {
    await h.exchange("AT+SMTPSEND\r", ERROR);
    await mailSetup();
    await h.exchange('AT+SMTPSUB="one"\r', OK);
    await h.exchange("AT+SMTPSEND\r", OK + line("+SMTPSEND: 1"));
    await h.exchange("AT+SMTPSEND\r", OK + line("+SMTPSEND: 1"));
    await h.exchange('AT+SMTPSUB="two"\r', OK);
    await h.exchange("AT+SMTPSEND\r", OK + line("+SMTPSEND: 1"));
    assert.deepEqual(h.backend.sent.map((m) => [m.subject, m.to[0].address]), [["one", "bob@sim.com"], ["one", "bob@sim.com"], ["two", "bob@sim.com"]]);
    await h.exchange("AT+SMTPRCPT=0\r", OK);
    await h.exchange("AT+SMTPSEND\r", ERROR);
  });

  it("backend result codes pass through; binary attachments are flagged", async () => {
    await mailSetup();
    h.backend.sendCode = 67;
    await h.exchange("AT+SMTPSEND\r", OK + line("+SMTPSEND: 67"));
    h.backend.sendCode = 1;
    await h.exchange('AT+SMTPFILE=2,"x.bin",1\r', OK);
    await h.exchange("AT+SMTPSEND\r", OK + line("+SMTPFT: 1,1360"));
    await h.exchange("AT+SMTPFT=3\r", line("+SMTPFT: 2,3"));
    await h.exchange("\x00\xff\x1a", OK + line("+SMTPFT: 1,1360"));
    await h.exchange("AT+SMTPFT=2\r", line("+SMTPFT: 2,2"));
    await h.exchange("\r\n", OK + line("+SMTPFT: 1,1360"));
    await h.exchange("AT+SMTPFT=0\r", OK + line("+SMTPSEND: 1"));
    assert.deepEqual(h.backend.sent[1].attachment, { name: "x.bin", binary: true, data: Buffer.from([0, 255, 0x1a, 13, 10]) });
  });

  it("settings commands answer ERROR while a send is in progress; AT+SMTPFT only after the +SMTPFT: 1 URC", async () => {
    await mailSetup();
    await h.exchange('AT+SMTPFILE=1,"t.txt",0\r', OK);
    await h.exchange("AT+SMTPFT=0\r", ERROR);
    await h.exchange("AT+SMTPSEND\r", OK + line("+SMTPFT: 1,1360"));
    await h.exchange("AT+SMTPSEND\r", ERROR);
    await h.exchange('AT+SMTPSUB="x"\r', ERROR);
    await h.exchange("AT+SMTPSUB?\r", info('+SMTPSUB: ""'));
    await h.exchange("AT+SMTPFT=1361\r", ERROR);
    await h.exchange("AT+SMTPFT=1360\r", line("+SMTPFT: 2,1360"));
    await h.exchange("q".repeat(1360), OK + line("+SMTPFT: 1,1360"));
    await h.exchange("AT+SMTPFT=0\r", OK + line("+SMTPSEND: 1"));
    await h.exchange('AT+SMTPSUB="x"\r', OK);
  });

  it("email commands need the EMAILCID bearer open: +SMTPSEND: 61 / +POP3IN: 61", async () => {
    await mailSetup();
    await h.exchange("AT+EMAILCID=2\r", OK);
    await h.exchange("AT+SMTPSEND\r", OK + line("+SMTPSEND: 61"));
    await h.exchange('AT+POP3SRV="mail.sim.com","john","123456"\r', OK);
    await h.exchange("AT+POP3IN\r", OK + line("+POP3IN: 61"));
    await h.exchange("AT+SAPBR=2,2\r", info('+SAPBR: 2,3,"0.0.0.0"'));
    await h.exchange("AT+SAPBR=1,2\r", OK);
    await h.exchange("AT+POP3IN\r", OK + line("+POP3IN: 1"));
    await h.exchange("AT+POP3OUT\r", OK + line("+POP3OUT: 1"));
    await h.exchange("AT+SAPBR=0,2\r", OK);
    await h.exchange("AT+SAPBR=0,2\r", ERROR);
    await h.exchange("AT+SMTPSEND\r", OK + line("+SMTPSEND: 61"));
    assert.equal(h.backend.sent.length, 0);
  });

  it("AT+SAPBR=3/4 store and show the profile parameters", async () => {
    await h.exchange('AT+SAPBR=3,1,"APN","internet"\r', OK);
    await h.exchange('AT+SAPBR=3,1,"user","me"\r', OK);
    await h.exchange("AT+SAPBR=4,1\r", info("+SAPBR:\r\nCONTYPE: GPRS\r\nAPN: internet\r\nUSER: me\r\nPWD: \r\nPHONENUM: \r\nRATE: 2"));
    assert.equal(h.modem.state().bearers[0].apn, "internet");
  });
});
