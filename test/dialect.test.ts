// The SIM800 dialect in the module (src/dialect.ts), on the wire: the model found from ATI or given,
// the body after DOWNLOAD as exactly its bytes, SSL refused, code 69. The suites tagged @model run
// everything else against both models (MODEL=sim800).
import { strict as assert } from "node:assert";
import { simpleParser } from "mailparser";
import { sharedBackend } from "./helpers/rig";
import { createFaultyRig, FaultyRig } from "./helpers/rig-faulty";
import { DIALECTS } from "../tools/sim900-emulator/dialect";
import { target } from "./target";
import { identify, DIALECTS as MODULE_DIALECTS } from "../src/dialect";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { applyNoDialect } from "../tools/no-dialect";

/** A rig on the given model; its port (tools/sim900-emulator/faulty-port.ts) records every write. */
function rig(model: "sim900" | "sim800", events: string[][] = []): Promise<FaultyRig> {
  return createFaultyRig({ emu: { model }, mod: { atTimeout: 500, serverTimeout: 3000, onEvent: (e: string, l: string) => events.push([e, l]) } });
}

async function lastText(user: string): Promise<string> {
  const box = (await sharedBackend()).mailbox(user);
  return (await simpleParser(box[box.length - 1].raw)).text ?? "";
}

describe("identify(ATI's answer)", () => {
  it("gives any SIM8xx the SIM800's dialect and any SIM9xx the SIM900's, nothing else", () => {
    const cases: [string, string][] = [["SIM800 R14.18", "sim800"], ["SIM808 R14.18", "sim800"], ["SIM800H R13.08", "sim800"],
      ["SIM900 R11.0", "sim900"], ["SIM908 R11.0", "sim900"], ["SIM7000E R1351", ""], ["Quectel M95 R01", ""], ["", ""], ["SIM8", ""]];
    for (const [ati, model] of cases) assert.equal(identify(ati), model ? MODULE_DIALECTS[model] : undefined, ati);
  });
});

describe("the bench's no-dialect build (tools/no-dialect.ts)", () => {
  it("applies to the sources and takes out every use of the dialect, so the bench can measure its cost", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sim900-nodialect-"));
    try {
      fs.cpSync(path.resolve("src"), path.join(dir, "src"), { recursive: true });
      applyNoDialect(dir);
      const code = ["modem.ts", "smtp.ts", "index.ts", "at/channel.ts"].map((f) => fs.readFileSync(path.join(dir, "src", f), "utf8")).join("\n")
        .replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, ""); // code only: comments cost no bytes
      for (const use of ["DIALECTS", "identify(", "m.dialect", '"ATI"', "DOWNLOAD", "no SSL"]) assert.ok(!code.includes(use), use + " is still in the no-dialect sources");
      assert.ok(code.includes('"AT+EMAILSSL="') && code.includes('"AT+SMTPBODY"'), "the SIM900 path stays");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe(`SIM800 dialect @dist (${target})`, function () {
  this.timeout(30000);
  let r: FaultyRig | undefined;
  afterEach(async () => { if (r) await r.stop(); r = undefined; });

  it("finds a SIM800 from ATI, sends no AT+EMAILSSL, and writes the body after DOWNLOAD as exactly its bytes", async () => {
    const events: string[][] = [];
    r = await rig("sim800", events);
    assert.equal(await r.connect(), null);
    const cmds = r.commands();
    assert.deepEqual(cmds.slice(0, 2), ["ATI", "ATE0"], "the sync step asks ATI while the model is unknown");
    assert.ok(!cmds.some((c) => c.startsWith("AT+EMAILSSL")), "no AT+EMAILSSL on a SIM800");
    assert.deepEqual(events, []);
    const [err] = await r.call("send", { to: "ops@example.com", subject: "s", body: "t=21.5C\r\nh=40%" });
    assert.equal(err, null);
    const at = r.port.writes.indexOf("AT+SMTPBODY=14\r");
    assert.ok(at > 0, "AT+SMTPBODY=<length>: " + JSON.stringify(r.port.writes.slice(-6)));
    assert.equal(r.port.writes[at + 1], "t=21.5C\r\nh=40%", "the body alone, no Ctrl-Z");
    assert.equal(r.port.writes[at + 2], "AT+SMTPSEND\r");
    assert.equal((await lastText("ops")).trim(), "t=21.5C\nh=40%");
  });

  it("with modem: \"sim800\" takes the model given, whatever ATI says; an empty body goes as one line end", async () => {
    const events: string[][] = [];
    r = await rig("sim800", events);
    (r.emu as any).dialect = { ...(r.emu as any).dialect, ident: "Quectel M95 R01" };
    assert.equal(await r.connect({ modem: "sim800" }), null);
    assert.deepEqual(r.commands().slice(0, 2), ["ATI", "ATE0"]);
    assert.deepEqual(events, [], "ATI's answer is not looked at");
    const [err] = await r.call("send", { to: "ops@example.com", subject: "empty" });
    assert.equal(err, null);
    const at = r.port.writes.indexOf("AT+SMTPBODY=2\r");
    assert.ok(at > 0);
    assert.equal(r.port.writes[at + 1], "\r\n");
  });

  it("a Ctrl-Z or ESC in a SIM800 body goes as hex of the stated length and arrives as sent", async () => {
    r = await rig("sim800");
    assert.equal(await r.connect(), null);
    const [err] = await r.call("send", { to: "ops@example.com", subject: "s", body: "a\x1ab\x1bc\r\nAT+SMTPSEND\r\n" });
    assert.equal(err, null);
    const at = r.port.writes.findIndex((w) => /^AT\+SMTPBODY=\d+\r$/.test(w));
    const n = +r.port.writes[at].slice(12, -1);
    assert.equal(r.port.writes[at + 1].length, n);
    assert.match(r.port.writes[at + 1], /^[0-9A-F]+$/);
    assert.equal(r.port.writes.filter((w) => w === "AT+SMTPSEND\r").length, 1, "one AT+SMTPSEND: the body's text is data");
    assert.equal((await lastText("ops")).replace(/\r\n/g, "\n"), "a\x1ab\x1bc\nAT+SMTPSEND\n");
  });

  it("refuses SSL on a given SIM800 before any command, and on a found one right after ATI", async () => {
    r = await rig("sim800");
    const err = await r.connect({ modem: "sim800", ssl: true });
    assert.equal(err?.type, "OPTIONS");
    assert.equal(err?.message, "SIM800: no SSL");
    assert.deepEqual(r.port.writes, []);
    await r.stop();
    r = await rig("sim800");
    const err2 = await r.connect({ smtp: { host: "mail.example.com", port: 465 } });
    assert.equal(err2?.type, "OPTIONS");
    assert.deepEqual(r.commands(), ["ATI"]);
  });

  it("a SIM900 found from ATI gets AT+EMAILSSL and the prompt; an unknown ATI answer is reported and talked to as a SIM900", async () => {
    const events: string[][] = [];
    r = await rig("sim900", events);
    assert.equal(await r.connect(), null);
    assert.ok(r.commands().includes("AT+EMAILSSL=0"));
    assert.deepEqual(events, []);
    await r.stop();
    r = await rig("sim900", events);
    (r.emu as any).dialect = { ...DIALECTS.sim900, ident: "Quectel M95 R01" };
    assert.equal(await r.connect(), null);
    assert.deepEqual(events, [["MODEL", "Quectel M95 R01"]]);
    const [err] = await r.call("send", { to: "ops@example.com", subject: "s", body: "b" });
    assert.equal(err, null);
    assert.ok(r.port.writes.includes("AT+SMTPBODY\r") && r.port.writes.includes("b\x1a"));
  });

  it("reports +POP3OUT: 69 (read data timeout, SIM800 only) from a logout", async () => {
    r = await rig("sim800");
    assert.equal(await r.connect(), null);
    const [e1] = await r.call("list");
    assert.equal(e1, null);
    r.emu.faults.failPop3Out(69);
    const [err] = await r.call("logout");
    assert.equal(err?.code, 69);
    assert.equal(err?.command, "POP3OUT");
    assert.equal(err.message, "POP3OUT failed (69)");
  });
});
