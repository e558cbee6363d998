// connect() and send() against the emulated SIM900 and the embedded mail system, through the real
// SMTP path; every message is parsed back with mailparser.
import { strict as assert } from "node:assert";
import { randomBytes } from "node:crypto";
import { simpleParser, ParsedMail, AddressObject } from "mailparser";
import { startRig, Rig, sharedBackend } from "./helpers/rig";
import { model, target } from "./target";

const latin1 = (s: string) => Buffer.from(s, "utf8").toString("latin1"); // a UTF-8 string as Espruino holds it

async function lastMail(rig: Rig, user: string): Promise<ParsedMail> {
  const box = rig.backend.mailbox(user);
  assert.ok(box.length, "no mail for " + user);
  return simpleParser(box[box.length - 1].raw);
}
function addrs(a: AddressObject | AddressObject[] | undefined) {
  return (Array.isArray(a) ? a : a ? [a] : []).flatMap((x) => x.value.map((v) => `${v.name}|${v.address}`));
}
function clear() {
  return sharedBackend().then((b) => { for (const u of ["unit7", "ops", "lab", "boss", "audit"]) b.mailbox(u).length = 0; });
}

/** The SSL result codes 80..84: the SIM800 has no SSL (V1.09), so it reports none. */
const SSL_CODES = model === "sim900" ? [80, 81, 82, 83, 84] : [];

describe(`send @dist @model (${target}, ${model})`, function () {
  this.timeout(60000);
  let rig: Rig;
  beforeEach(async () => { await clear(); rig = await startRig({ mod: { serverTimeout: 3000, atTimeout: 500 } }); });
  afterEach(async () => { await rig.stop(); });

  it("delivers To and Cc with names, Bcc only in the envelope", async () => {
    const [err] = await rig.call("send", {
      to: ["ops@example.com", { address: "lab@example.com", name: "Lab" }],
      cc: [{ address: "boss@example.com", name: "The Boss" }],
      bcc: ["audit@example.com"],
      subject: "Reading 42",
      body: "t=21.5C\r\nh=40%",
    });
    assert.equal(err, null);
    const m = await lastMail(rig, "ops");
    assert.deepEqual(addrs(m.from), ["Unit 7|unit7@example.com"]);
    assert.deepEqual(addrs(m.to), ["|ops@example.com", "Lab|lab@example.com"]);
    assert.deepEqual(addrs(m.cc), ["The Boss|boss@example.com"]);
    assert.equal(m.headers.has("bcc"), false);
    assert.equal(m.subject, "Reading 42");
    assert.equal(m.text?.trim(), "t=21.5C\nh=40%");
    assert.equal(rig.backend.mailbox("audit").length, 1, "Bcc recipient got it");
    assert.equal(rig.backend.mailbox("lab").length, 1);
  });

  it("sends a UTF-8 subject and body hex-encoded with AT+SMTPCS (manual 2.12)", async () => {
    const from = rig.log.length;
    const [err] = await rig.call("send", { to: "ops@example.com", subject: latin1("Température 21°C"), body: latin1("Grüße aus dem Keller ✓") });
    assert.equal(err, null);
    const m = await lastMail(rig, "ops");
    assert.equal(m.subject, "Température 21°C");
    assert.equal(m.text?.trim(), "Grüße aus dem Keller ✓");
    const cmds = rig.commands(from);
    assert.ok(cmds.includes('AT+SMTPCS="UTF-8"'));
    assert.ok(cmds.includes('AT+SMTPSUB="' + Buffer.from("Température 21°C").toString("hex").toUpperCase() + '"'));
  });

  it("streams a 200 KB binary attachment byte-identical through the fixed ring", async () => {
    const data = new Uint8Array(randomBytes(200 * 1024));
    let off = 0;
    const asked: number[] = [];
    const progress: number[] = [];
    const [err, info] = await rig.call("send", {
      to: "ops@example.com", subject: "log", body: "see attachment",
      attachment: {
        name: "log.bin", binary: true,
        read: (max: number) => { asked.push(max); const p = data.subarray(off, off + Math.min(max, 700)); off += p.length; return p; },
      },
      progress: (n: number) => progress.push(n),
    });
    assert.equal(err, null);
    assert.equal(info.size, data.length);
    const m = await lastMail(rig, "ops");
    assert.equal(m.attachments.length, 1);
    assert.equal(m.attachments[0].filename, "log.bin");
    assert.ok(Buffer.from(data).equals(m.attachments[0].content), "attachment bytes identical");
    assert.ok(Math.max(...asked) <= 1024, "never asks for more than the ring holds");
    assert.equal(progress[progress.length - 1], data.length);
    const fts = rig.commands().filter((c) => /^AT\+SMTPFT=\d+$/.test(c)).map((c) => +c.slice(10));
    assert.ok(Math.max(...fts) <= 512, "each request at most the chunk option");
    assert.equal(fts[fts.length - 1], 0);
    assert.ok(rig.commands().includes('AT+SMTPFILE=2,"log.bin",1'));
  });

  it("sends a text attachment from a string as 7bit", async () => {
    const csv = "time,temp\r\n" + Array.from({ length: 200 }, (_, i) => `${i},${20 + (i % 7)}`).join("\r\n") + "\r\n";
    const [err] = await rig.call("send", { to: "ops@example.com", subject: "csv", body: "readings", attachment: { name: "log.csv", data: csv } });
    assert.equal(err, null);
    const m = await lastMail(rig, "ops");
    assert.equal(m.attachments[0].filename, "log.csv");
    assert.equal(m.attachments[0].content.toString("latin1"), csv);
    assert.ok(rig.commands().includes('AT+SMTPFILE=1,"log.csv",0'));
  });

  it("sends only what changed for a repeated email, and removes recipients no longer wanted", async () => {
    const msg = { to: ["ops@example.com", "lab@example.com"], subject: "Reading", body: "t=1" };
    const a = rig.log.length;
    const [e1, i1] = await rig.call("send", msg);
    const b = rig.log.length;
    const [e2, i2] = await rig.call("send", { ...msg, body: "t=2" });
    const c = rig.log.length;
    const [e3] = await rig.call("send", { ...msg, to: ["ops@example.com"] });
    assert.equal(e1 || e2 || e3, null);
    console.log(`      AT commands: first email ${i1.commands}, repeated email ${i2.commands}`);
    assert.deepEqual(rig.commands(b).slice(0, 2), [model === "sim800" ? "AT+SMTPBODY=3" : "AT+SMTPBODY", "AT+SMTPSEND"]);
    assert.equal(i2.commands, 2);
    assert.ok(i1.commands > 10);
    assert.ok(rig.commands(c).includes("AT+SMTPRCPT=0,1"), "the dropped recipient is deleted (2.6)");
    assert.equal(rig.commands(a).filter((x) => x.startsWith("AT+SMTPSRV")).length, 1);
  });

  it("refuses injection in every string field before any command is sent", async () => {
    const evil = ['a"b', "a\rAT+SMTPSEND\r", "x\ny", "z\x1a", "e\x1b", "n\x00", "é"];
    const fields: ((v: string) => any)[] = [
      (v) => ({ to: v }),
      (v) => ({ to: [{ address: "ops@example.com", name: v }] }),
      (v) => ({ to: "ops@example.com", cc: v }),
      (v) => ({ to: "ops@example.com", bcc: [{ address: v }] }),
      (v) => ({ to: "ops@example.com", attachment: { name: v, data: "x" } }),
    ];
    for (const f of fields)
      for (const v of evil) {
        const n = rig.log.length;
        const [err] = await rig.call("send", { subject: "s", body: "b", ...f(v) });
        assert.equal(err?.type, "ARGUMENT", JSON.stringify(f(v)));
        assert.equal(rig.commands(n).length, 0, "no command sent for " + JSON.stringify(v));
      }
    // Subject and body with such bytes go hex-encoded instead: they can never end a parameter or the body.
    const n = rig.log.length;
    const [err] = await rig.call("send", { to: "ops@example.com", subject: 'q"\r\nAT+SMTPSEND', body: "stop\x1a here\x1b and go" });
    assert.equal(err, null);
    const cmds = rig.commands(n);
    assert.deepEqual(cmds.filter((c) => c.startsWith("AT+SMTPSEND")), ["AT+SMTPSEND"], "exactly one SMTPSEND");
    assert.ok(cmds.includes('AT+SMTPSUB="' + Buffer.from('q"\r\nAT+SMTPSEND').toString("hex").toUpperCase() + '"'));
    const m = await lastMail(rig, "ops");
    assert.ok(m.text?.includes("stop\x1a here\x1b and go"), "Ctrl-Z and ESC arrive inside the body");
  });

  it("reports each +SMTPSEND failure code with the manual's text, then sends again", async () => {
    for (const code of [61, 62, 63, 64, 65, 66, 67, 68, ...SSL_CODES]) {
      rig.emu.faults.failSmtpSend(code);
      const [err] = await rig.call("send", { to: "ops@example.com", subject: "x", body: "y" });
      assert.equal(err?.code, code);
      assert.equal(err?.command, "SMTPSEND");
      assert.match(err.message, new RegExp(`\\(${code}\\)$`));
    }
    const [err] = await rig.call("send", { to: "ops@example.com", subject: "x", body: "y" });
    assert.equal(err, null);
  });

  it("reports ERROR at any step and a silent modem, then recovers", async () => {
    for (const cmd of ["SMTPSRV", "SMTPAUTH", "SMTPFROM", "SMTPRCPT", "SMTPSUB", "SMTPBODY", "SMTPFILE", "SMTPSEND", "SMTPCS"]) {
      rig.emu.faults.errorOn(cmd);
      const [err] = await rig.call("send", { to: "ops@example.com", subject: "x" + cmd, body: "y" });
      assert.equal(err?.command, cmd, cmd);
      assert.equal(err?.type, "ERROR");
    }
    rig.emu.faults.silenceOn("SMTPSUB");
    const [err] = await rig.call("send", { to: "ops@example.com", subject: "silent", body: "y" });
    assert.equal(err?.type, "TIMEOUT");
    assert.equal(err?.command, "SMTPSUB");
    const [ok] = await rig.call("send", { to: "ops@example.com", subject: "after", body: "y" });
    assert.equal(ok, null);
    assert.equal((await lastMail(rig, "ops")).subject, "after");
  });

  it("survives a bearer drop mid-attachment: one error, then the bearer is reopened and the send succeeds", async () => {
    const data = new Uint8Array(randomBytes(20000));
    rig.emu.faults.dropBearerAfterAttachmentBytes(5000);
    const calls: any[] = [];
    await new Promise<void>((resolve) => rig.mail.send({ to: "ops@example.com", subject: "a", body: "b", attachment: { name: "d.bin", binary: true, data } }, (e: any) => { calls.push(e); setTimeout(resolve, 50); }));
    assert.equal(calls.length, 1);
    assert.ok(calls[0], "an error");
    assert.ok(["DEACT", undefined].includes(calls[0].type) || calls[0].code === 61, String(calls[0]));
    rig.emu.faults.dropBearerAfterAttachmentBytes(null);
    const n = rig.log.length;
    const [err] = await rig.call("send", { to: "ops@example.com", subject: "again", body: "b", attachment: { name: "d.bin", binary: true, data } });
    assert.equal(err, null);
    assert.ok(rig.commands(n).includes("AT+SAPBR=1,1"), "bearer reopened");
    assert.ok(Buffer.from(data).equals((await lastMail(rig, "ops")).attachments[0].content));
  });

  it("close() during a send ends it with one callback, then closes", async () => {
    const data = new Uint8Array(randomBytes(50000));
    const calls: any[] = [];
    rig.mail.send({ to: "ops@example.com", subject: "a", body: "b", attachment: { name: "d.bin", binary: true, data } }, (e: any) => calls.push(e));
    await new Promise((r) => setTimeout(r, 30));
    const closed = await new Promise((resolve) => rig.mail.close((e: any) => resolve(e ?? null)));
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(calls.length, 1);
    assert.equal(calls[0]?.type, "CLOSED");
    assert.equal(closed, null);
    assert.ok(rig.commands().includes("AT+SAPBR=0,1"));
  });
});
