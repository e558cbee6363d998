// Fuzzing every string field of the API with quotes, CR, LF, Ctrl-Z, ESC, NUL, non-ASCII and
// over-long values. Whatever the input: the modem only ever sees the commands the API means to send
// (checked on the bytes the module writes), exactly one AT+SMTPSEND per send, raw bytes only in the
// body and attachment phases, the AT stream stays usable for the next call, and passwords never
// reach the log or an Error message.
import { strict as assert } from "node:assert";
import fc from "fast-check";
import { parseCommandLine } from "../tools/sim900-emulator/at-parser";
import { createFaultyRig, FaultyRig, sleep } from "./helpers/rig-faulty";
import { sharedBackend } from "./helpers/rig";
import { model, target } from "./target";

const MOD = { atTimeout: 500, serverTimeout: 3000 };
const SEED = Number(process.env.FUZZ_SEED || 20240611);

// ---- arbitraries ---------------------------------------------------------------------------------

const SPECIALS = ['"', "\r", "\n", "\r\n", "\x1a", "\x1b", "\x00", "\t", ",", ";", "\\", "é", "\xe9", "\xc3\xa9", "\u2713", "\ud83d\ude00", "\ud800",
  "\r\nAT+SMTPSEND\r", "AT+POP3DEL=1", "\r\nOK\r\n", "ERROR", "> ", "+SMTPSEND: 1", "\x1a\r\nAT+SMTPSEND\r\n", "=", "?"];
const piece = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...SPECIALS) },
  { weight: 3, arbitrary: fc.string({ maxLength: 8 }) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 6 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)), maxLength: 8 }) },
  { weight: 1, arbitrary: fc.integer({ min: 40, max: 120 }).map((n) => "x".repeat(n)) },
);
const hostile = fc.array(piece, { maxLength: 6 }).map((a) => a.join(""));
const hostileOrLong = fc.oneof({ weight: 9, arbitrary: hostile }, { weight: 1, arbitrary: fc.integer({ min: 90, max: 5000 }).map((n) => "y".repeat(n)) });
const SAFE_ADDRESSES = ["ops@example.com", "lab@example.com", "boss@example.com"];
const address = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...SAFE_ADDRESSES) }, { weight: 1, arbitrary: hostile });
const name = fc.oneof({ weight: 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom("Ops", "The Lab") }, { weight: 2, arbitrary: hostile });
const recipient = fc.oneof(address, fc.record({ address, name }, { requiredKeys: ["address"] }));
const recipients = fc.oneof(fc.constant(undefined), recipient, fc.array(recipient, { maxLength: 3 }));
const message = fc.record({
  to: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...SAFE_ADDRESSES) }, { weight: 2, arbitrary: recipients }),
  cc: recipients,
  bcc: recipients,
  subject: fc.oneof(fc.constant(undefined), hostileOrLong),
  body: fc.oneof(fc.constant(undefined), hostileOrLong),
  charset: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom("UTF-8", "ISO-8859-1") }, { weight: 1, arbitrary: hostile }),
  attachment: fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, {
    weight: 1,
    arbitrary: fc.record({ name: fc.oneof(fc.constant("log.csv"), hostile), binary: fc.boolean(), data: fc.oneof(hostile, fc.uint8Array({ maxLength: 600 })) }),
  }),
}, { requiredKeys: [] });

// ---- what the module may write -------------------------------------------------------------------

const CONNECT_NAMES = new Set(["", "E", "I", "CPIN", "CREG", "CGATT", "SAPBR", "EMAILCID", "EMAILTO", "EMAILSSL"]);
const SMTP_NAMES = new Set(["SMTPRCPT", "SMTPSRV", "SMTPAUTH", "SMTPFROM", "SMTPCS", "SMTPSUB", "SMTPBODY", "SMTPFILE", "SMTPSEND", "SMTPFT", "POP3OUT"]);
const POP3_NAMES = new Set(["POP3SRV", "POP3IN", "POP3CMD", "POP3READ", "POP3DEL", "POP3RSET", "POP3OUT"]);

/**
 * Walks what the module wrote: each write is one command line (printable ASCII, one CR at the end,
 * parsed by the emulator's own parser, a name from `allowed`), or the body right after AT+SMTPBODY
 * (text or hex, ending in its one Ctrl-Z; on a SIM800 exactly the n bytes of AT+SMTPBODY=n), or at
 * most n attachment bytes right after AT+SMTPFT=n.
 * Returns the command names in order.
 */
function checkWrites(port: { writes: string[]; modes: string[] }, from: number, allowed: Set<string>, where: () => string): string[] {
  const names: string[] = [];
  let ft = 0, body = 0;
  for (let i = from; i < port.writes.length; i++) {
    const w = port.writes[i];
    const mode = port.modes[i];
    if (mode === "body") {
      assert.match(w, /^[\x20-\x7e\r\n\t]*\x1a$/, "body phase: text then one Ctrl-Z; " + where());
      continue;
    }
    if (mode === "data" && body) { // SIM800: exactly the <length> of AT+SMTPBODY=<length>, text or hex
      assert.match(w, /^[\x20-\x7e\r\n\t]*$/, "body phase (download): text only; " + where());
      assert.equal(w.length, body, `body write of ${w.length} bytes after AT+SMTPBODY=${body}; ` + where());
      body = 0;
      continue;
    }
    if (mode === "data") {
      assert.ok(w.length <= ft, `attachment write of ${w.length} bytes after AT+SMTPFT=${ft}; ` + where());
      continue;
    }
    assert.match(w, /^AT[\x20-\x7e]*\r$/, "one printable command line per write: " + JSON.stringify(w) + "; " + where());
    const cmd = parseCommandLine(w.slice(0, -1));
    assert.ok(cmd, "the modem can parse " + JSON.stringify(w) + "; " + where());
    assert.ok(allowed.has(cmd!.name), "unexpected command " + JSON.stringify(w) + "; " + where());
    names.push(cmd!.name);
    if (cmd!.name === "SMTPFT" && cmd!.params[0]?.kind === "int") ft = cmd!.params[0].value;
    if (cmd!.name === "SMTPBODY" && cmd!.params[0]?.kind === "int") body = cmd!.params[0].value;
  }
  return names;
}

function once<T extends any[]>(): { cb: (...a: T) => void; calls: T[]; first: Promise<T> } {
  const calls: T[] = [];
  let resolve!: (a: T) => void;
  const first = new Promise<T>((r) => (resolve = r));
  return { calls, first, cb: (...a: T) => { calls.push(a); if (calls.length === 1) resolve(a); } };
}

const uncaught: any[] = [];
const onUncaught = (e: any) => uncaught.push(e);
const counts: Record<string, number> = {};

describe(`fuzz @dist @model (${target}, ${model})`, function () {
  this.timeout(60000);
  const started = Date.now();
  before(async () => {
    await sharedBackend();
    process.on("uncaughtException", onUncaught);
    process.on("unhandledRejection", onUncaught);
  });
  after(() => {
    process.removeListener("uncaughtException", onUncaught);
    process.removeListener("unhandledRejection", onUncaught);
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    console.log(`      fuzz (${target}): ${total} cases (${Object.entries(counts).map(([k, v]) => k + " " + v).join(", ")}) in ${((Date.now() - started) / 1000).toFixed(1)} s, seed ${SEED}`);
  });
  afterEach(() => assert.deepEqual(uncaught.map(String), [], "no exception escaped"));

  describe("send", () => {
    let rig: FaultyRig;
    before(async () => {
      rig = await createFaultyRig({ mod: MOD });
      assert.equal(await rig.connect(), null);
    });
    after(async () => { await rig.stop(); });

    it("no message makes the modem see a command it was not meant to, and the next send arrives intact", async () => {
      let n = 0;
      await fc.assert(
        fc.asyncProperty(message, async (msg) => {
          n++;
          const w0 = rig.port.writes.length;
          const l0 = rig.log.length;
          const c = once<[any, any]>();
          rig.mail.send(msg, c.cb);
          const [err] = await c.first;
          await sleep(1);
          assert.equal(c.calls.length, 1, "one callback");
          const where = () => JSON.stringify(msg).slice(0, 300) + " → " + (err ? err.type + "/" + err.code + " " + err.message : "ok");
          const names = checkWrites(rig.port, w0, new Set([...SMTP_NAMES, ...CONNECT_NAMES]), where);
          assert.deepEqual(rig.commands(l0).map((x) => parseCommandLine(x)?.name), names, "the log shows what was written");
          if (err && err.type === "ARGUMENT") {
            assert.equal(names.length, 0, "bad arguments: no command at all; " + where());
            return;
          }
          assert.equal(names.filter((x) => x === "SMTPSEND").length, 1, "exactly one AT+SMTPSEND; " + where());
          const st = rig.emu.state();
          assert.equal(st.mode, "command", "the modem is back in command mode; " + where());
          assert.equal(st.smtp.phase, "idle", "no send left open; " + where());
          // the next normal send goes through and arrives intact
          const mark = "fuzz-" + n + "-" + Math.random().toString(36).slice(2, 8);
          const w1 = rig.port.writes.length;
          const [e2] = await rig.call("send", { to: "audit@example.com", subject: mark, body: "intact " + mark + "\r\nline 2" });
          assert.equal(e2, null, "next send after " + where());
          checkWrites(rig.port, w1, new Set([...SMTP_NAMES, ...CONNECT_NAMES]), where);
          const box = rig.backend.mailbox("audit");
          const raw = box[box.length - 1].raw.toString("latin1");
          assert.ok(raw.includes("Subject: " + mark) && raw.includes("intact " + mark + "\r\nline 2"), "next email intact after " + where());
          box.length = 0;
        }),
        { numRuns: 500, seed: SEED },
      );
      counts.send = n;
    });
  });

  describe("connect options", () => {
    const server = (pw: fc.Arbitrary<string>) =>
      fc.record({ host: fc.oneof(fc.constant("mail.example.com"), hostile), user: fc.oneof(fc.constant("unit7"), fc.constant(undefined), hostile), password: pw }, { requiredKeys: ["host"] });

    it("no option makes the modem see a stray command, and no password reaches the log or an error", async () => {
      let n = 0;
      const pwPart = fc.oneof({ weight: 2, arbitrary: fc.constant("") }, { weight: 3, arbitrary: hostile });
      const password = fc.tuple(pwPart, pwPart).map(([a, b]) => (m: string) => a + m + b);
      const options = fc.record({
        apn: fc.oneof(fc.constant("internet"), fc.constant(undefined), hostile),
        apnUser: fc.oneof(fc.constant(undefined), hostile),
        apnPassword: fc.oneof(fc.constant(undefined), password),
        smtp: server(password as any),
        pop3: server(password as any),
        from: fc.record({ address: fc.oneof(fc.constant("unit7@example.com"), hostile), name: fc.oneof(fc.constant(undefined), hostile) }, { requiredKeys: ["address"] }),
      });
      await fc.assert(
        fc.asyncProperty(options, async (gen: any) => {
          n++;
          const marks: string[] = [];
          const pw = (f: ((m: string) => string) | undefined, tag: string) => {
            if (!f) return undefined;
            const m = "PW" + tag + n + "Q" + Math.random().toString(36).slice(2, 7);
            marks.push(m);
            return f(m);
          };
          const opts = {
            ...gen,
            apnPassword: pw(gen.apnPassword, "a"),
            smtp: { ...gen.smtp, password: pw(gen.smtp.password, "s") },
            pop3: { ...gen.pop3, password: pw(gen.pop3.password, "p") },
          };
          const where = () => JSON.stringify(opts).slice(0, 400);
          const rig = await createFaultyRig({ mod: MOD });
          const errors: any[] = [];
          try {
            const e1 = await rig.connect(opts);
            errors.push(e1);
            const s = once<[any, any]>();
            rig.mail.send({ to: "ops@example.com", subject: "s", body: "b" }, s.cb);
            errors.push((await s.first)[0]);
            const l = once<[any, any]>();
            rig.mail.list(l.cb);
            errors.push((await l.first)[0]);
            await sleep(1);
            assert.equal(s.calls.length + l.calls.length, 2, "one callback each");
          } finally {
            errors.push(await rig.stop());
          }
          const names = checkWrites(rig.port, 0, new Set([...CONNECT_NAMES, ...SMTP_NAMES, ...POP3_NAMES]), where);
          assert.ok(names.filter((x) => x === "SMTPSEND").length <= 1, "at most one AT+SMTPSEND; " + where());
          for (const m of marks) {
            for (const line of rig.log) assert.ok(!line.includes(m), "password in the log: " + JSON.stringify(line));
            for (const e of errors) if (e) assert.ok(!String(e.message).includes(m) && !String(e.stack || "").includes(m), "password in an error: " + e.message);
          }
          for (const e of errors) if (e) assert.ok(typeof e.message === "string" && (e.type || e.code !== undefined), "errors carry a type or code: " + e);
        }),
        { numRuns: 300, seed: SEED + 1 },
      );
      counts.connect = n;
    });
  });

  describe("fetch filter", () => {
    let rig: FaultyRig;
    const MESSAGES = [
      { from: "Ops <ops@example.com>", subject: "CONFIG interval" },
      { from: "spam@example.net", subject: "CONFIG \"quoted\" \\ ,x" },
      { from: "lab@example.com", subject: "hello, Ops" },
    ];
    before(async () => {
      rig = await createFaultyRig({ mod: MOD });
      assert.equal(await rig.connect(), null);
      const box = rig.backend.mailbox("unit7");
      box.length = 0;
      for (const m of MESSAGES) rig.backend.deliver("unit7", `From: ${m.from}\r\nSubject: ${m.subject}\r\n\r\nbody\r\n`);
    });
    after(async () => { await rig.stop(); });

    it("filter strings never reach the modem and match as substrings", async () => {
      let n = 0;
      const part = fc.oneof(fc.constant(undefined), fc.constantFrom("ops", "CONFIG", "example", "\"", ","), hostile);
      await fc.assert(
        fc.asyncProperty(part, part, async (from, subject) => {
          n++;
          const w0 = rig.port.writes.length;
          const handed: any[] = [];
          const c = once<[any, any]>();
          rig.mail.fetch({ from, subject, seen: { has: () => false, add() {}, keep() {} } }, (msg: any, done: (e?: any) => void) => {
            handed.push(msg);
            done(new Error("keep it")); // never delete: the mailbox is the same for every case
          }, c.cb);
          const [err, stats] = await c.first;
          await sleep(1);
          const where = () => JSON.stringify({ from, subject }) + " → " + (err && err.message);
          assert.equal(c.calls.length, 1, "one callback");
          assert.equal(err, null, where());
          checkWrites(rig.port, w0, new Set([...CONNECT_NAMES, ...POP3_NAMES]), where);
          const has = (v: string, p?: string) => !p || v.toLowerCase().includes(p.toLowerCase());
          const want = MESSAGES.filter((m) => has(m.from, from) && has(m.subject, subject)).map((m) => m.subject);
          assert.deepEqual(handed.map((m) => m.subject), want, where());
          assert.equal(stats.checked, MESSAGES.length);
          assert.equal(rig.backend.mailbox("unit7").length, MESSAGES.length, "nothing deleted");
        }),
        { numRuns: 250, seed: SEED + 2 },
      );
      counts.fetch = n;
    });
  });
});
