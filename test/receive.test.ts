// list, retrieve, remove, undoRemove, logout, fetch against the emulated SIM900, backed by the
// embedded mail system, and by Dovecot where the real server's behaviour matters.
import { strict as assert } from "node:assert";
import { randomBytes } from "node:crypto";
import { startRig, Rig, sharedBackend } from "./helpers/rig";
import { startDovecot, Dovecot } from "./helpers/dovecot";
import { DOVECOT, need } from "./helpers/system-tools";
import { createBackend, EmailBackend } from "../tools/sim900-emulator/mail";
import { model, target } from "./target";
import { verifier } from "../src/companions/sign";
import { signConfig } from "../tools/sign-config";

const FAST = { serverTimeout: 3000, atTimeout: 500 };

function message(i: number, extra = ""): string {
  return `From: Ops <ops@example.com>\r\nTo: unit7@example.com\r\nSubject: Message ${i}\r\nMessage-ID: <m${i}@example.com>\r\n\r\nBody of message ${i}\r\n${extra}`;
}

/** A body with every line a naive reader would trip on. */
function hostileBody(size: number): Buffer {
  const lines = [".", "..", "...x", "OK", "ERROR", "+POP3READ: 2,5", "+POP3READ: 3,10", "\x1a\x1b", "> ", "", ".\r\n."];
  const parts: Buffer[] = [];
  let n = 0;
  for (let i = 0; n < size; i++) {
    const l = i % 3 === 2 ? Buffer.concat([randomBytes(40).map((b) => (b === 10 || b === 13 ? 0x80 : b | 0x80)), Buffer.from("\r\n")]) : Buffer.from(lines[i % lines.length] + "\r\n", "latin1");
    parts.push(l);
    n += l.length;
  }
  return Buffer.concat(parts);
}

function emptyBox(b: EmailBackend) {
  b.mailbox("unit7").length = 0;
}

describe(`receive @dist @model (${target}, ${model})`, function () {
  this.timeout(60000);

  describe("with the embedded mail system", () => {
    let rig: Rig;
    beforeEach(async () => {
      emptyBox(await sharedBackend());
      rig = await startRig({ mod: FAST });
    });
    afterEach(async () => rig.stop());

    it("lists a mailbox of 50 messages with sizes and UIDs, parsed across many chunks", async () => {
      for (let i = 1; i <= 50; i++) rig.backend.deliver("unit7", message(i));
      const [err, list] = await rig.call("list");
      assert.equal(err, null);
      const box = rig.backend.mailbox("unit7");
      assert.equal(list.length, 50);
      list.forEach((e: any, i: number) => assert.deepEqual({ ...e }, { n: i + 1, size: box[i].raw.length, uid: box[i].uid }));
      assert.ok(rig.commands().includes("AT+POP3IN"));
    });

    it("returns a small message whole, and refuses one over maxSize cleanly", async () => {
      rig.backend.deliver("unit7", message(1));
      rig.backend.deliver("unit7", message(2, "x".repeat(6000) + "\r\n"));
      const [e1, i1] = await rig.call("retrieve", 1, null);
      assert.equal(e1, null);
      assert.equal(i1.message, rig.backend.mailbox("unit7")[0].raw.toString("latin1"));
      const [e2] = await rig.call("retrieve", 2, { maxSize: 4096 });
      assert.equal(e2?.type, "SIZE");
      const [e3, list] = await rig.call("list");
      assert.equal(e3, null, "the modem takes commands again after the drain");
      assert.equal(list.length, 2);
    });

    it("reads headers only with TOP (lines: 0)", async () => {
      rig.backend.deliver("unit7", message(7));
      const [err, info] = await rig.call("retrieve", 1, { lines: 0 });
      assert.equal(err, null);
      assert.match(info.message, /^From: Ops <ops@example.com>\r\n/);
      assert.ok(info.message.endsWith("\r\n\r\n"));
      assert.ok(!info.message.includes("Body of"));
      assert.ok(rig.commands().includes("AT+POP3CMD=3,1,0"));
    });

    it("waits for '+POP3READ: 3,<n>' when the network has not delivered yet", async () => {
      await rig.stop();
      rig = await startRig({ mod: FAST, emu: { pop3Delivery: { initial: 0, chunk: 3000, intervalMs: 30 } } });
      const body = hostileBody(20000);
      rig.backend.deliver("unit7", Buffer.concat([Buffer.from("Subject: slow\r\n\r\n"), body]));
      const got: Buffer[] = [];
      const [err, info] = await rig.call("retrieve", 1, { onData: (s: string) => got.push(Buffer.from(s, "latin1")) });
      assert.equal(err, null);
      assert.ok(Buffer.concat(got).equals(rig.backend.mailbox("unit7")[0].raw));
      assert.equal(info.size, rig.backend.mailbox("unit7")[0].raw.length);
      assert.ok(rig.log.some((l) => l.startsWith("< +POP3READ: 1,0")), "saw an empty read");
      assert.ok(rig.log.some((l) => l.startsWith("< +POP3READ: 3,")), "waited for the URC");
    });

    it("gives up waiting for '+POP3READ: 3,<n>' after serverTimeout: one TIMEOUT, then the next call works", async () => {
      await rig.stop();
      rig = await startRig({ mod: { ...FAST, serverTimeout: 400 }, emu: { pop3Delivery: { initial: 0, chunk: 3000, intervalMs: 3000 } } });
      rig.backend.deliver("unit7", "Subject: slow\r\n\r\n" + "x".repeat(9000) + "\r\n");
      const calls: any[] = [];
      const t0 = Date.now();
      await new Promise<void>((resolve) => rig.mail.retrieve(1, { onData() {} }, (err: any) => { calls.push(err); resolve(); }));
      assert.ok(Date.now() - t0 < 2500, "ended by its own timeout, not by the data");
      assert.equal(calls[0]?.type, "TIMEOUT");
      assert.equal(calls[0]?.command, "POP3READ");
      assert.equal(calls[0]?.message, "no data from the POP3 server");
      await new Promise((r) => setTimeout(r, 3500));
      assert.equal(calls.length, 1, "exactly one callback");
      (rig.emu as any).pop3.delivery = undefined; // the network delivers at once again
      const [err, list] = await rig.call("list");
      assert.equal(err, null);
      assert.equal(list.length, 1);
    });

    for (const how of ["close", "bearer drop"] as const)
      it(`${how} while waiting for '+POP3READ: 3,<n>' ends the retrieve at once with one callback`, async () => {
        await rig.stop();
        // the network delivers nothing for 2 s: the module is left waiting for the URC
        rig = await startRig({ mod: FAST, emu: { pop3Delivery: { initial: 0, chunk: 3000, intervalMs: 2000 } } });
        rig.backend.deliver("unit7", "Subject: slow\r\n\r\n" + "x".repeat(9000) + "\r\n");
        const log = rig.log as string[] & { push(l: string): number };
        const push = log.push.bind(log);
        let fired = false;
        log.push = (l: string) => {
          if (!fired && l.startsWith("< +POP3READ: 1,0")) {
            fired = true;
            setImmediate(() => (how === "close" ? rig.mail.close(() => {}) : rig.emu.dropBearer()));
          }
          return push(l);
        };
        const calls: any[] = [];
        await new Promise<void>((resolve) => rig.mail.retrieve(1, { onData() {} }, (err: any) => { calls.push(err); resolve(); }));
        assert.ok(fired, "the module waited for the URC");
        assert.equal(calls.length, 1);
        assert.equal(calls[0]?.type, how === "close" ? "CLOSED" : "DEACT");
        assert.equal(calls[0]?.command, "POP3READ");
        await new Promise((r) => setTimeout(r, 50));
        assert.equal(calls.length, 1, "exactly one callback");
      });

    it("reports every +POP3IN code, then logs in", async () => {
      // SIM800 V1.09: 69 (read data timeout) on AT+POP3IN too, and no SSL codes
      for (const code of [61, 62, 63, 64, 65, 66, 67, 68, ...(model === "sim800" ? [69] : [80, 81, 82, 83, 84])]) {
        rig.emu.faults.failPop3In(code);
        const [err] = await rig.call("list");
        assert.equal(err?.code, code);
        assert.equal(err?.command, "POP3IN");
        assert.match(err.message, new RegExp(`\\(${code}\\)$`));
      }
      const [err] = await rig.call("list");
      assert.equal(err, null);
    });

    it("reports '+POP3OUT: <code>' at each POP3 step, then works again", async () => {
      rig.backend.deliver("unit7", message(1));
      const steps: [string, () => Promise<[any, any]>][] = [
        ["POP3CMD", () => rig.call("list")],
        ["POP3READ", () => rig.call("retrieve", 1, null)],
        ["POP3DEL", () => rig.call("remove", 1)],
        ["POP3RSET", () => rig.call("undoRemove")],
      ];
      for (const [cmd, run] of steps)
        for (const code of (cmd === "POP3READ" ? [61, 64, 69] : [61, 62, 63, 64]).concat(model === "sim900" ? [80, 84] : [])) {
          await rig.call("list"); // logged in
          rig.emu.faults.failPop3Command(cmd, code);
          const [err] = await run();
          assert.equal(err?.code, code, cmd + " " + code);
          const [again] = await rig.call("list");
          assert.equal(again, null, "recovered after " + cmd + " " + code);
        }
    });

    it("survives a bearer drop mid-retrieve: one error, then a successful list", async () => {
      rig.backend.deliver("unit7", Buffer.concat([Buffer.from("Subject: big\r\n\r\n"), hostileBody(30000)]));
      rig.emu.faults.dropBearerAfterPop3ReadBytes(5000);
      let calls = 0;
      const [err] = await rig.call("retrieve", 1, { onData: () => {} }).then((r) => { calls++; return r; });
      assert.ok(err);
      rig.emu.faults.dropBearerAfterPop3ReadBytes(null);
      const [e2, list] = await rig.call("list");
      assert.equal(e2, null);
      assert.equal(list.length, 1);
      assert.equal(calls, 1);
    });

    it("logs out of POP3 before sending (manual 1.1 item 4)", async () => {
      rig.backend.deliver("unit7", message(1));
      await rig.call("list");
      const n = rig.log.length;
      const [err] = await rig.call("send", { to: "ops@example.com", subject: "s", body: "b" });
      assert.equal(err, null);
      const cmds = rig.commands(n);
      assert.ok(cmds.indexOf("AT+POP3OUT") >= 0 && cmds.indexOf("AT+POP3OUT") < cmds.indexOf("AT+SMTPSEND"));
    });

    it("fetch: hands on matching messages once, deletes after done(), keeps failures and non-matches", async () => {
      const seen: string[] = [];
      const store = { has: (u: string) => seen.includes(u), add: (u: string) => seen.push(u), keep: () => {} };
      rig.backend.deliver("unit7", "From: Ops <ops@example.com>\r\nSubject: =?UTF-8?Q?CONFIG_Temp=C3=A9rature?=\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\ninterval=3D60\r\nname=3DK=C3=BCche\r\n");
      rig.backend.deliver("unit7", "From: spam@example.net\r\nSubject: CONFIG\r\n\r\ninterval=1\r\n");
      rig.backend.deliver("unit7", "From: ops@example.com\r\nSubject: hello\r\n\r\nnot a config\r\n");
      rig.backend.deliver("unit7", "From: ops@example.com\r\nSubject: CONFIG bad\r\nContent-Transfer-Encoding: base64\r\n\r\n" + Buffer.from("interval=oops").toString("base64") + "\r\n");
      const handed: any[] = [];
      const filter = { from: "ops@example.com", subject: "CONFIG", seen: store };
      const [err, stats] = await rig.call("fetch", filter, (msg: any, done: (e?: any) => void) => {
        handed.push({ ...msg });
        done(msg.body.includes("oops") ? new Error("bad config") : undefined);
      });
      assert.equal(err, null);
      assert.deepEqual({ ...stats }, { checked: 4, matched: 2, deleted: 1, failed: 1, rejected: 0 });
      assert.equal(handed[0].subject, Buffer.from("CONFIG Température").toString("latin1"));
      assert.equal(handed[0].from, "ops@example.com");
      assert.equal(handed[0].body, Buffer.from("interval=60\r\nname=Küche\r\n").toString("latin1"));
      assert.equal(handed[1].body, "interval=oops");
      const left = rig.backend.mailbox("unit7").map((m) => m.raw.toString("latin1"));
      assert.equal(left.length, 3, "only the applied config was deleted");
      assert.ok(!left.some((r) => r.includes("Temp=C3=A9rature")));
      // Second run: nothing new is handed on, not even the failed one.
      handed.length = 0;
      const [err2, stats2] = await rig.call("fetch", filter, (_m: any, done: () => void) => { handed.push(_m); done(); });
      assert.equal(err2, null);
      assert.equal(handed.length, 0);
      assert.equal(stats2.checked, 0);
    });

    it("fetch with a key applies only signed configs newer than the last applied one", async () => {
      const KEY = "k3y-of-unit7";
      const cfg = (body: string) => "From: ops@example.com\r\nSubject: CONFIG\r\n\r\n" + body;
      rig.backend.deliver("unit7", cfg(signConfig(KEY, 5, "interval=60\n")));
      rig.backend.deliver("unit7", cfg(signConfig("not-the-key", 6, "interval=1\n"))); // forged
      rig.backend.deliver("unit7", cfg(signConfig(KEY, 5, "interval=60\n"))); // replayed
      rig.backend.deliver("unit7", cfg(signConfig(KEY, 7, "interval=60\n").replace("interval=60", "interval=6"))); // altered
      rig.backend.deliver("unit7", cfg("interval=2\r\n")); // unsigned
      const handed: any[] = [];
      const rejected: string[] = [];
      // dist: the bundle require()s the sim900-email-sign bundle; src: the sources' verifier
      const filter: any = { from: "ops", subject: "CONFIG", seen: { has: () => false, add() {}, keep() {} }, onReject: (e: any) => rejected.push(e.type + " " + e.command) };
      if (target === "dist") filter.key = KEY;
      else filter.verifier = verifier(KEY);
      const [err, stats] = await rig.call("fetch", filter, (msg: any, done: () => void) => { handed.push({ ...msg }); done(); });
      assert.equal(err, null);
      assert.deepEqual(handed.map((m) => [m.seq, m.body]), [[5, "interval=60"]]);
      assert.deepEqual(rejected, ["FORGED CONFIG", "REPLAY CONFIG", "FORGED CONFIG", "UNSIGNED CONFIG"]);
      assert.deepEqual({ ...stats }, { checked: 5, matched: 5, deleted: 1, failed: 0, rejected: 4 });
      assert.equal(rig.backend.mailbox("unit7").length, 4, "refused emails stay on the server");
      assert.ok(!rig.log.some((l) => l.includes(KEY)), "the key never reaches the log");
    });

    it("fetch leaves a message whose handler never calls done", async () => {
      rig.backend.deliver("unit7", "From: ops@example.com\r\nSubject: CONFIG\r\n\r\nx=1\r\n");
      const [err, stats] = await rig.call("fetch", { from: "ops", subject: "config", handlerTimeout: 200, seen: { has: () => false, add() {}, keep() {} } }, () => {});
      assert.equal(err, null);
      assert.equal(stats.failed, 1);
      assert.equal(rig.backend.mailbox("unit7").length, 1);
    });
  });

  describe("with Dovecot", () => {
    let dovecot: Dovecot;
    let backend: EmailBackend;
    let rig: Rig;
    before(async function () {
      need(this, DOVECOT);
      dovecot = await startDovecot();
      backend = createBackend({ pop3: "127.0.0.1:" + dovecot.pop3Port });
    });
    after(async () => { // also after a skip, when nothing was started
      await backend?.close();
      await dovecot?.stop();
    });
    beforeEach(async () => { rig = await startRig({ backend, mod: { ...FAST, chunk: 1460 } }); });
    afterEach(async () => rig.stop());

    it("streams a 500 KB message byte-identical, holding one chunk at a time", async () => {
      const raw = Buffer.concat([Buffer.from("From: ops@example.com\r\nSubject: big\r\n\r\n"), hostileBody(500 * 1024)]);
      await dovecot.deliver(raw);
      const [, list] = await rig.call("list");
      const n = list.length;
      const got: Buffer[] = [];
      let largest = 0;
      const [err, info] = await rig.call("retrieve", n, { onData: (s: string) => { largest = Math.max(largest, s.length); got.push(Buffer.from(s, "latin1")); } });
      assert.equal(err, null);
      assert.ok(Buffer.concat(got).equals(raw), "byte-identical");
      assert.equal(info.size, raw.length);
      assert.ok(largest <= 1460, "slices never exceed one POP3READ chunk: " + largest);
      console.log(`      500 KB: ${got.length} slices, largest ${largest} bytes`);
    });

    it("DEL marks, RSET unmarks, OUT commits (checked on the server)", async () => {
      await dovecot.deliver(message(1));
      await dovecot.deliver(message(2));
      const [, before] = await rig.call("list");
      const count = before.length;
      assert.equal((await rig.call("remove", count))[0], null);
      assert.equal((await rig.call("undoRemove"))[0], null);
      assert.equal((await rig.call("remove", count - 1))[0], null);
      assert.equal((await rig.call("logout"))[0], null);
      const [, after] = await rig.call("list");
      assert.equal(after.length, count - 1);
      assert.ok(!after.some((m: any) => m.uid === before[count - 2].uid), "the marked message is gone");
      assert.ok(after.some((m: any) => m.uid === before[count - 1].uid), "the unmarked one stays");
    });
  });
});
