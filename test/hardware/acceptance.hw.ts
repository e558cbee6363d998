// Acceptance against a real SIM900 and a real mailbox, through the host tool (tools/cli), so the
// very bundle a board runs does the work. Not part of `npm test` (.mocharc.json's spec is
// test/**/*.test.ts); run with: npm run test:hardware -- --port /dev/ttyUSB0
//
// Environment: SIM900_PORT (or --port), SIM900_BAUD, SIM900_APN, SIM900_SMTP=HOST:PORT,
// SIM900_POP3=HOST:PORT, SIM900_USER, SIM900_PASSWORD (or SIM900_SMTP_/POP3_ variants),
// SIM900_TO (recipient; when it is the POP3 mailbox itself the message is also read back and
// deleted), SIM900_FROM (default SIM900_USER), SIM900_WAIT (s to wait for delivery, default 300).
import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const BIN = path.join(__dirname, "..", "..", "tools", "cli", "bin.mjs");
const env = process.env;

function cli(args: string[], timeoutMs = 300000): Promise<{ code: number; stdout: Buffer; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env, encoding: "buffer", timeout: timeoutMs, maxBuffer: 64 << 20 }, (err: any, stdout, stderr) => {
      const stderrText = stderr.toString();
      if (stderrText) process.stderr.write(stderrText.replace(/\n$/, "").replace(/^/gm, "        | ") + "\n");
      resolve({ code: err ? (typeof err.code === "number" ? err.code : -1) : 0, stdout, stderr: stderrText });
    });
  });
}

const missing = (names: string[]) => names.filter((n) => !env[n]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("hardware acceptance (real SIM900, real mailbox)", function () {
  const log = path.join(os.tmpdir(), "sim900-hardware-" + Date.now() + ".log");
  const token = "sim900-email hw " + randomBytes(4).toString("hex");
  const attachment = randomBytes(3000);
  let sent = false;

  before(function () {
    if (!env.SIM900_PORT) {
      console.log("\n  SKIPPED: no modem port. Run: npm run test:hardware -- --port /dev/ttyUSB0\n" +
        "  (and set SIM900_APN, SIM900_SMTP, SIM900_POP3, SIM900_USER, SIM900_PASSWORD, SIM900_TO)\n");
      this.skip();
    }
    console.log("    AT transcript: " + log);
  });

  it("probe: the modem answers and has the email AT commands", async () => {
    const r = await cli(["probe", "--log", log]);
    process.stdout.write(r.stdout.toString().replace(/^/gm, "        "));
    assert.equal(r.code, 0, "probe exit " + r.code);
  });

  it("send: an email with an attachment is accepted by the SMTP server", async function () {
    const lack = missing(["SIM900_APN", "SIM900_SMTP", "SIM900_TO"]);
    if (!env.SIM900_USER && !env.SIM900_SMTP_USER && !env.SIM900_FROM) lack.push("SIM900_USER or SIM900_FROM");
    if (lack.length) {
      console.log("        skipped: set " + lack.join(", "));
      return this.skip();
    }
    const file = path.join(os.tmpdir(), "sim900-hw-attachment.bin");
    fs.writeFileSync(file, attachment);
    const r = await cli(["send", "--log", log, "--to", env.SIM900_TO!, "--subject", token, "--body", "Sent by npm run test:hardware at " + new Date().toISOString(),
      "--attach", file, "--attach-name", "hw.bin", "--no-progress"]);
    assert.equal(r.code, 0, "send exit " + r.code);
    assert.match(r.stderr, /sent: \d+ AT commands, 3000 attachment bytes/);
    sent = true;
  });

  it("receive: inbox lists the mailbox; the email sent above is read back byte-identical and deleted", async function () {
    const lack = missing(["SIM900_APN", "SIM900_POP3"]);
    if (!env.SIM900_USER && !env.SIM900_POP3_USER) lack.push("SIM900_USER");
    if (lack.length) {
      console.log("        skipped: set " + lack.join(", "));
      return this.skip();
    }
    const inbox = await cli(["inbox", "--log", log, "--json"]);
    assert.equal(inbox.code, 0, "inbox exit " + inbox.code);
    let list: { n: number; size: number; uid: string }[] = JSON.parse(inbox.stdout.toString());
    console.log("        " + list.length + " message(s) in the mailbox");
    const user = (env.SIM900_POP3_USER || env.SIM900_USER || "").toLowerCase();
    const selfSend = sent && !!env.SIM900_TO && (env.SIM900_TO.toLowerCase() === user || env.SIM900_TO.toLowerCase().startsWith(user + "@"));
    if (!selfSend) {
      console.log("        SIM900_TO is not this mailbox: checking that the newest message's headers can be read");
      if (!list.length) return;
      const top = await cli(["read", String(list[list.length - 1].n), "--top", "0", "--log", log]);
      assert.equal(top.code, 0, "read --top 0 exit " + top.code);
      assert.match(top.stdout.toString("latin1"), /^[A-Za-z-]+:/m);
      return;
    }
    // Wait for delivery: look at the headers of messages not seen before, newest first.
    const deadline = Date.now() + Number(env.SIM900_WAIT || 300) * 1000;
    const checked = new Set<string>();
    let found: { n: number; uid: string } | undefined;
    for (;;) {
      for (const m of list.slice().reverse()) {
        if (checked.has(m.uid)) continue;
        checked.add(m.uid);
        const top = await cli(["read", String(m.n), "--top", "0", "--log", log]);
        assert.equal(top.code, 0, "read --top 0 exit " + top.code);
        if (top.stdout.toString("latin1").includes(token)) { found = m; break; }
      }
      if (found || Date.now() > deadline) break;
      await sleep(20000);
      const again = await cli(["inbox", "--log", log, "--json"]);
      assert.equal(again.code, 0, "inbox exit " + again.code);
      list = JSON.parse(again.stdout.toString());
    }
    assert.ok(found, "the email sent above did not arrive within " + (env.SIM900_WAIT || 300) + " s");
    const full = await cli(["read", String(found.n), "--log", log]);
    assert.equal(full.code, 0, "read exit " + full.code);
    const raw = full.stdout.toString("latin1");
    const b64 = attachment.toString("base64");
    assert.ok(raw.replace(/\r?\n/g, "").includes(b64), "attachment bytes come back unchanged");
    const del = await cli(["delete", String(found.n), "--log", log]);
    assert.equal(del.code, 0, "delete exit " + del.code);
    const after = await cli(["inbox", "--log", log, "--json"]);
    assert.equal(after.code, 0);
    assert.ok(!JSON.parse(after.stdout.toString()).some((m: { uid: string }) => m.uid === found!.uid), "deleted on the server");
  });
});
