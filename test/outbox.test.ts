// sim900-email-outbox: the flash-backed retry queue, against a fake Storage (Espruino's semantics on a
// Map that outlives the outbox, so a "reset" is a new create() on the same flash) and a scripted mail.
// Runs against src, and with TARGET=dist against dist/sim900-email-outbox.js in the ES5 sandbox.
import { strict as assert } from "node:assert";
import * as path from "node:path";
import * as src from "../src/companions/outbox";
import { loadBundle, SandboxHost } from "../tools/sandbox";
import type { Email } from "../src/index";
import { simpleParser } from "mailparser";
import { startRig, sharedBackend, Rig } from "./helpers/rig";

const target = process.env.TARGET === "dist" ? "dist" : "src";
const BUNDLE = path.join(__dirname, "..", "dist", "sim900-email-outbox.js");

/** Fake timers: nothing runs until tick(). */
function fakeClock() {
  let now = 0, next = 1;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    pending: () => timers.size,
    setTimeout: (fn: () => void, ms?: number) => { timers.set(next, { at: now + (ms || 0), fn }); return next++; },
    clearTimeout: (id: unknown) => {
      assert.ok(id !== undefined, "clearTimeout(undefined) clears every timer on Espruino");
      timers.delete(id as number);
    },
    tick(ms: number) {
      now += ms;
      for (const [id, t] of [...timers]) if (t.at <= now) { timers.delete(id); t.fn(); }
    },
  };
}
const clock = fakeClock();

function host(modules?: Record<string, unknown>): SandboxHost {
  return { setTimeout: clock.setTimeout, clearTimeout: clock.clearTimeout, setInterval, clearInterval: (id) => clearInterval(id as NodeJS.Timeout), getTime: () => 0, modules };
}
const lib: typeof src = target === "dist" ? loadBundle(BUNDLE, host()) : src;

/** Espruino's Storage on a Map: JSON text per file, names of at most 28 chars, list() in no useful order. */
function fakeStorage() {
  const files = new Map<string, string>();
  const s = {
    files,
    /** Throws like a full flash when it returns true for (name, json). */
    failWrite: null as null | ((name: string, json: string) => boolean),
    /** Simulated power loss: after this many more writes, writes and erases silently do nothing. */
    writesLeft: Infinity,
    writes: [] as string[],
    readJSON(n: string, noExceptions?: boolean) {
      if (!files.has(n)) return undefined;
      try { return JSON.parse(files.get(n)!); } catch (e) { if (noExceptions) return undefined; throw e; }
    },
    writeJSON(n: string, v: unknown) {
      if (n.length > 28) throw new Error("File name too long");
      const json = JSON.stringify(v);
      if (s.failWrite && s.failWrite(n, json)) throw new Error("Unable to find or create file");
      if (s.writesLeft <= 0) return;
      s.writesLeft--;
      s.writes.push(n);
      files.set(n, json);
    },
    read: (n: string) => files.get(n),
    erase(n: string) { if (s.writesLeft > 0) files.delete(n); },
    // Reverse text order: "sim900eo.9" before "sim900eo.10", so the outbox must sort numerically.
    list: (re: RegExp) => [...files.keys()].filter((n) => re.test(n)).sort().reverse(),
    state: () => JSON.parse(files.get("sim900eo")!),
    messages: () => [...files.keys()].filter((n) => n !== "sim900eo").sort(),
  };
  return s;
}
type Flash = ReturnType<typeof fakeStorage>;
// The core's Email is a Mailer (a type check only).
void ((e: Email): src.Mailer => e);

const err = (message: string, fields: { code?: number; type?: string }) => Object.assign(new Error(message), fields, { command: "SMTPSEND" });
const NETWORK = () => err("Network error (61)", { code: 61 });

type Step = null | Error | ((cb: (e?: any) => void) => void);
/** A mail whose send answers from `script` in order (null: success), then succeeds; records what it was given. */
function fakeMail(script: Step[] = []) {
  const m = {
    sent: [] as any[],
    send(msg: any, cb: (e?: any, info?: any) => void) {
      m.sent.push(JSON.parse(JSON.stringify(msg)));
      const s = script.length ? script.shift()! : null;
      if (typeof s === "function") s(cb);
      else cb(s, s ? undefined : { commands: 9 });
    },
    subjects: () => m.sent.map((x) => x.subject),
  };
  return m;
}

/** v rebuilt in this realm (the dist sandbox has its own Object and Array), errors kept as they are. */
function plain(v: any): any {
  if (Array.isArray(v)) return Array.from(v, plain);
  if (!v || typeof v !== "object" || "message" in v) return v;
  const o: any = {};
  for (const k of Object.keys(v)) o[k] = plain(v[k]);
  return o;
}
/** Calls fn(cb) and returns every callback it made, synchronously. */
function calls(fn: (cb: (...a: any[]) => void) => void): any[][] {
  const got: any[][] = [];
  fn((...a) => got.push(plain(a)));
  return got;
}
const sizeOf = (box: src.Outbox) => plain(box.size());
function queue(box: src.Outbox, msg: any): string {
  const r = calls((cb) => box.queue(msg, cb));
  assert.equal(r.length, 1);
  assert.equal(r[0][0], null);
  return r[0][1];
}
function flush(box: src.Outbox): [any, src.FlushStats] {
  const r = calls((cb) => box.flush(cb));
  assert.equal(r.length, 1, "exactly one flush callback");
  return r[0] as [any, src.FlushStats];
}
const reading = (n: number, extra?: object) => ({ to: "ops@example.com", subject: "Reading " + n, body: "t=" + n, ...extra });

describe(`outbox @dist (${target})`, () => {
  let flash: Flash;
  let saved: [typeof setTimeout, typeof clearTimeout];
  const make = (mail: ReturnType<typeof fakeMail>, o: src.OutboxOptions = {}) => lib.create(mail, { id: "unit7", storage: flash, ...o });

  beforeEach(() => {
    flash = fakeStorage();
    // src mode: the module uses the global timers; mocha keeps its own references.
    saved = [globalThis.setTimeout, globalThis.clearTimeout];
    (globalThis as any).setTimeout = clock.setTimeout;
    (globalThis as any).clearTimeout = clock.clearTimeout;
  });
  afterEach(() => {
    [globalThis.setTimeout, globalThis.clearTimeout] = saved;
    assert.equal(clock.pending(), 0, "no timer left behind");
  });

  it("sends oldest first with the id in the subject, erasing each after it is sent", () => {
    const mail = fakeMail();
    const box = make(mail);
    assert.deepEqual([queue(box, reading(1)), queue(box, reading(2)), queue(box, reading(3))], ["unit7#1", "unit7#2", "unit7#3"]);
    assert.deepEqual(flash.messages(), ["sim900eo.1", "sim900eo.2", "sim900eo.3"]);
    assert.deepEqual(sizeOf(box), { count: 3, bytes: [1, 2, 3].reduce((b, n) => b + flash.files.get("sim900eo." + n)!.length, 0) });
    assert.deepEqual(flash.state(), { seq: 3, attempts: 0 });

    const erasedBefore: string[][] = [];
    mail.send = ((orig) => (msg: any, cb: any) => { erasedBefore.push(flash.messages()); orig(msg, cb); })(mail.send);
    const [e, stats] = flush(box);
    assert.equal(e, null);
    assert.deepEqual(stats, { sent: 3, left: 0, retryIn: 0, dropped: [] });
    assert.deepEqual(mail.subjects(), ["Reading 1 [unit7#1]", "Reading 2 [unit7#2]", "Reading 3 [unit7#3]"]);
    assert.deepEqual(mail.sent[0], { to: "ops@example.com", subject: "Reading 1 [unit7#1]", body: "t=1" });
    assert.deepEqual(erasedBefore, [["sim900eo.1", "sim900eo.2", "sim900eo.3"], ["sim900eo.2", "sim900eo.3"], ["sim900eo.3"]]);
    assert.deepEqual(flash.messages(), []);
    assert.deepEqual(sizeOf(box), { count: 0, bytes: 0 });
  });

  it("orders by number, not by name (10 after 9), and uses the default id", () => {
    const mail = fakeMail();
    const box = lib.create(mail, { storage: flash, max: 12, maxBytes: 100000 });
    for (let i = 1; i <= 12; i++) assert.equal(queue(box, reading(i)), "unit#" + i);
    flush(box);
    assert.deepEqual(mail.subjects(), Array.from({ length: 12 }, (_, i) => `Reading ${i + 1} [unit#${i + 1}]`));
  });

  it("keeps messages and numbering across a reset, and never reuses a number", () => {
    const mail = fakeMail();
    queue(make(mail), reading(1));
    let box = make(mail);
    queue(box, reading(2));
    box = make(mail); // reset
    assert.equal(box.size().count, 2);
    assert.equal(queue(box, reading(3)), "unit7#3");
    assert.deepEqual(flush(box)[1].sent, 3);
    assert.deepEqual(mail.subjects(), ["Reading 1 [unit7#1]", "Reading 2 [unit7#2]", "Reading 3 [unit7#3]"]);
    box = make(mail); // reset with an empty outbox
    assert.equal(queue(box, reading(4)), "unit7#4");
  });

  it("a reset between the message write and the state write keeps the message and its number", () => {
    const mail = fakeMail();
    queue(make(mail), reading(1));
    flash.writesLeft = 1; // the message file is written, then the power goes
    make(mail).queue(reading(2), () => {});
    assert.deepEqual(flash.messages(), ["sim900eo.1", "sim900eo.2"]);
    assert.deepEqual(flash.state(), { seq: 1, attempts: 0 }, "state write lost");
    flash.writesLeft = Infinity;
    const box = make(mail); // boot: takes the number from the file and saves it at once
    assert.deepEqual(flash.state(), { seq: 2, attempts: 0 });
    assert.deepEqual(flush(box)[1], { sent: 2, left: 0, retryIn: 0, dropped: [] });
    assert.deepEqual(sizeOf(make(mail)), { count: 0, bytes: 0 }); // another reset: outbox empty...
    assert.equal(queue(make(mail), reading(3)), "unit7#3"); // ...and #2 is not given again
    assert.deepEqual(mail.subjects(), ["Reading 1 [unit7#1]", "Reading 2 [unit7#2]"]);
  });

  it("a reset before the message write loses nothing that was acknowledged", () => {
    const mail = fakeMail();
    queue(make(mail), reading(1));
    flash.writesLeft = 0;
    make(mail).queue(reading(2), () => {}); // the power goes before anything reaches flash
    flash.writesLeft = Infinity;
    const box = make(mail);
    assert.deepEqual(flash.messages(), ["sim900eo.1"]);
    assert.equal(queue(box, reading(3)), "unit7#2");
    assert.equal(flush(box)[1].sent, 2);
  });

  it("a failure stops the flush, keeps the message and backs off exponentially with jitter", () => {
    let r = 0;
    const mail = fakeMail([null, NETWORK()]);
    const box = make(mail, { random: () => r, maxDelay: 200000 });
    ["a", "b", "c"].forEach((s) => queue(box, { to: "x@y.z", subject: s }));
    let [e, stats] = flush(box);
    assert.equal(e.code, 61);
    assert.deepEqual(stats, { sent: 1, left: 2, retryIn: 15000, dropped: [] });
    assert.equal(mail.sent.length, 2, "stops at the first failure");
    assert.deepEqual(flash.messages(), ["sim900eo.2", "sim900eo.3"]);
    assert.deepEqual(flash.state(), { seq: 3, attempts: 1 });
    assert.equal(box.retryIn(), 15000);

    // random 0 gives the lower bound (half), random 1 the upper; capped by maxDelay.
    const delays: number[] = [];
    for (const x of [0, 1, 0, 1, 1, 0.5]) {
      r = x;
      mail.send = fakeMail([NETWORK()]).send;
      [e, stats] = flush(box);
      assert.equal(e.code, 61);
      assert.equal(stats.retryIn, box.retryIn());
      delays.push(stats.retryIn);
    }
    // attempts 2..7: 30000 * 2^(n-1) = 60000, 120000, then over maxDelay 200000
    assert.deepEqual(delays, [30000, 120000, 100000, 200000, 200000, 150000]);
    assert.deepEqual(flash.state(), { seq: 3, attempts: 7 });

    // A reset keeps the attempt count: retryIn() is known at once.
    r = 1;
    const again = make(fakeMail(), { random: () => r, maxDelay: 200000 });
    assert.equal(again.retryIn(), 200000);

    // One success ends the backoff, even if a later message then fails.
    const m2 = fakeMail([null, NETWORK()]);
    const box2 = make(m2, { random: () => 1 });
    [e, stats] = flush(box2);
    assert.equal(e.code, 61);
    assert.deepEqual(stats, { sent: 1, left: 1, retryIn: 30000, dropped: [] });
    assert.deepEqual(flash.state(), { seq: 3, attempts: 1 });
    assert.deepEqual(m2.subjects(), ["b [unit7#2]", "c [unit7#3]"], "the failed one is retried first, same id");
    [e, stats] = flush(box2);
    assert.equal(e, null);
    assert.deepEqual(stats, { sent: 1, left: 0, retryIn: 0, dropped: [] });
    assert.equal(box2.retryIn(), 0);
    assert.deepEqual(flash.state(), { seq: 3, attempts: 0 });
    assert.deepEqual(m2.subjects(), ["b [unit7#2]", "c [unit7#3]", "c [unit7#3]"]);
  });

  it("uses the default backoff (30 s base, 1 h cap) and Math.random within [0.5, 1] of the step", () => {
    const box = make(fakeMail(Array(12).fill(0).map(NETWORK)));
    queue(box, reading(1));
    const got: number[] = [];
    for (let i = 0; i < 12; i++) got.push(flush(box)[1].retryIn);
    got.forEach((d, i) => {
      const step = Math.min(3600000, 30000 * 2 ** i);
      assert.ok(d >= step / 2 && d <= step, `attempt ${i + 1}: ${d} not in [${step / 2}, ${step}]`);
    });
  });

  it("refuses beyond max messages or maxBytes (FULL), never dropping what is stored", () => {
    const mail = fakeMail();
    let box = make(mail, { max: 2 });
    queue(box, reading(1));
    queue(box, reading(2));
    const before = new Map(flash.files);
    let r = calls((cb) => box.queue(reading(3), cb));
    assert.equal(r.length, 1);
    assert.equal(r[0][0].type, "FULL");
    assert.equal(r[0][0].command, "OUTBOX");
    assert.match(r[0][0].message, /at most 2 messages/);
    assert.deepEqual(flash.files, before, "nothing stored, nothing dropped, number not used");
    assert.equal(flush(box)[1].sent, 2);
    assert.equal(queue(box, reading(3)), "unit7#3");
    flush(box);

    // Bytes: the stored JSON, this one included.
    const big = reading(4, { body: "x".repeat(300) });
    box = make(mail, { maxBytes: 700 });
    queue(box, big);
    const len = flash.files.get("sim900eo.4")!.length;
    assert.ok(len > 300 && len < 400);
    assert.equal(box.size().bytes, len);
    // The next one has the same length as #4 but for its body: 1000 - 2 * len body bytes fill it exactly.
    r = calls((cb) => box.queue(reading(5, { body: "x".repeat(1001 - 2 * len) }), cb)); // one byte too many
    assert.equal(r.length, 1);
    assert.equal(r[0][0].type, "FULL");
    assert.match(r[0][0].message, /at most 700 bytes/);
    assert.equal(queue(box, reading(5, { body: "x".repeat(1000 - 2 * len) })), "unit7#5"); // exactly fits
    assert.equal(box.size().bytes, 700);
    assert.deepEqual(flash.messages(), ["sim900eo.4", "sim900eo.5"]);
  });

  it("refuses what cannot be stored or sent: read() attachments, non-string data, bad messages, long bodies", () => {
    const box = make(fakeMail());
    const refuse = (msg: unknown, re: RegExp) => {
      const r = calls((cb) => box.queue(msg as any, cb));
      assert.equal(r.length, 1);
      assert.equal(r[0][0].type, "ARGUMENT");
      assert.equal(r[0][0].command, "OUTBOX");
      assert.match(r[0][0].message, re);
      assert.equal(r[0][1], undefined);
    };
    refuse(reading(1, { attachment: { name: "log.csv", read: () => "" } }), /read\(\) cannot be stored/);
    refuse(reading(1, { attachment: { name: "b.bin", data: new Uint8Array(3) } }), /must be a string/);
    refuse(null, /cannot be stored/);
    refuse("hello", /cannot be stored/);
    const loop: any = reading(1);
    loop.self = loop;
    refuse(loop, /cannot be stored/);
    refuse(reading(1, { body: "x".repeat(4097) }), /body is longer/);
    refuse(reading(1, { body: "é".repeat(1025) }), /body is longer/); // hex: 2 chars per UTF-8 byte
    assert.deepEqual(flash.files.size, 0);

    const mail = fakeMail();
    const ok = make(mail);
    queue(ok, reading(1, { body: "x".repeat(4096), attachment: { name: "a.csv", data: "1,2\n", read: () => "" }, progress: () => {} }));
    flush(ok);
    assert.deepEqual(mail.sent[0].attachment, { name: "a.csv", data: "1,2\n" });
    assert.equal(mail.sent[0].subject, "Reading 1 [unit7#1]", "number 1: refusals used none");
  });

  it("keeps the subject within the modem's 100 chars, id always whole (50 UTF-8 bytes in hex mode)", () => {
    const mail = fakeMail();
    const box = make(mail);
    queue(box, reading(0, { subject: "s".repeat(150) }));
    queue(box, reading(0, { subject: "s".repeat(91) }));
    queue(box, reading(0, { subject: "é".repeat(40), body: "t=21.5°C" }));
    queue(box, reading(0, { subject: "s".repeat(80), body: "t=21.5°C" }));
    queue(box, reading(0, { subject: 'say "hi" ' + "s".repeat(80) }));
    flush(box);
    const [a, b, c, d, e] = mail.subjects();
    assert.equal(a, "s".repeat(90) + " [unit7#1]");
    assert.equal(b, "s".repeat(90) + " [unit7#2]");
    assert.equal(a.length, 100);
    assert.equal(c, "é".repeat(20) + " [unit7#3]"); // 40 + 10 bytes
    assert.equal(d, "s".repeat(40) + " [unit7#4]");
    assert.equal(e, 'say "hi" ' + "s".repeat(31) + " [unit7#5]");
  });

  it("reports a full flash through the callback, never throwing, and keeps nothing half-written", () => {
    const mail = fakeMail();
    const box = make(mail);
    queue(box, reading(1));
    flash.failWrite = (n) => n === "sim900eo.2";
    let r = calls((cb) => box.queue(reading(2), cb));
    assert.equal(r.length, 1);
    assert.equal(r[0][0].type, "FLASH");
    assert.deepEqual(flash.messages(), ["sim900eo.1"]);
    assert.deepEqual(flash.state(), { seq: 1, attempts: 0 });

    // The message is written but the state is not: the message goes too (not acknowledged), its number stays used.
    flash.failWrite = (n) => n === "sim900eo";
    r = calls((cb) => box.queue(reading(3), cb)); // gets #2
    assert.equal(r[0][0].type, "FLASH");
    assert.deepEqual(flash.messages(), ["sim900eo.1"]);
    flash.failWrite = null;
    assert.equal(queue(box, reading(4)), "unit7#3");

    // A failed state write in flush only loses the backoff count.
    flash.failWrite = (n) => n === "sim900eo";
    mail.send = fakeMail([NETWORK()]).send;
    const [e, stats] = flush(box);
    assert.equal(e.code, 61);
    assert.equal(stats.left, 2);
    flash.failWrite = null;
    assert.equal(flush(box)[1].sent, 2);
  });

  it("keeps every message when the unit is misconfigured (OPTIONS: no smtp server or from)", () => {
    const mail = fakeMail([err("no smtp server in the connect options", { type: "OPTIONS" })]);
    const box = make(mail);
    for (let i = 1; i <= 2; i++) queue(box, reading(i));
    const [e, stats] = flush(box);
    assert.equal(e.type, "OPTIONS");
    assert.deepEqual(stats.dropped, []);
    assert.deepEqual(flash.messages(), ["sim900eo.1", "sim900eo.2"]);
  });

  it("drops a message refused for good (bad recipient 68, ARGUMENT) and reports it; other errors keep it", () => {
    const bad = err("Bad recipient (68)", { code: 68 });
    const arg = err("no recipient", { type: "ARGUMENT" });
    const mail = fakeMail([bad, null, NETWORK()]);
    const box = make(mail);
    for (let i = 1; i <= 4; i++) queue(box, reading(i));
    let [e, stats] = flush(box);
    assert.equal(e.code, 61);
    assert.deepEqual(stats, { sent: 1, left: 2, retryIn: stats.retryIn, dropped: [{ id: "unit7#1", err: bad }] });
    assert.deepEqual(flash.messages(), ["sim900eo.3", "sim900eo.4"]);

    mail.send = fakeMail([(cb) => { throw arg; }, err("Timeout of SMTP server response (64)", { code: 64 })]).send;
    [e, stats] = flush(box);
    assert.equal(e.code, 64);
    assert.deepEqual(stats.dropped, [{ id: "unit7#3", err: arg }]);
    assert.deepEqual(flash.messages(), ["sim900eo.4"]);

    // Only drops: no send error, the outbox is empty, the backoff ends.
    mail.send = fakeMail([arg]).send;
    [e, stats] = flush(box);
    assert.equal(e, null);
    assert.deepEqual(stats, { sent: 0, left: 0, retryIn: 0, dropped: [{ id: "unit7#4", err: arg }] });
    assert.equal(flash.state().attempts, 0);
  });

  it("drops an unreadable message file instead of blocking on it", () => {
    const mail = fakeMail();
    const box = make(mail);
    for (let i = 1; i <= 3; i++) queue(box, reading(i));
    flash.files.set("sim900eo.1", "{trunc"); // cut short
    flash.files.set("sim900eo.2", '{"id":"unit7#2"}'); // JSON, but no message in it
    const [e, stats] = flush(box);
    assert.equal(e, null);
    assert.equal(stats.sent, 1);
    assert.deepEqual(stats.dropped.map((d) => [d.id, d.err.type, d.err.message]), [
      ["unit7#1", "ARGUMENT", "unreadable sim900eo.1"],
      ["unit7#2", "ARGUMENT", "unreadable sim900eo.2"],
    ]);
    assert.deepEqual(mail.subjects(), ["Reading 3 [unit7#3]"]);
    assert.deepEqual(flash.messages(), []);
  });

  it("calls back once whatever mail.send does: twice, throws, throws after calling, never", () => {
    const mail = fakeMail([
      (cb) => { cb(null); cb(NETWORK()); }, // #1 sent (second answer ignored)
      (cb) => { cb(null); throw new Error("after"); }, // #2 sent
      (cb) => { throw new Error("boom"); }, // #3 kept
    ]);
    const box = make(mail, { random: () => 1 });
    for (let i = 1; i <= 4; i++) queue(box, reading(i));
    let [e, stats] = flush(box);
    assert.equal(e.message, "boom");
    assert.deepEqual(stats, { sent: 2, left: 2, retryIn: 30000, dropped: [] });
    assert.deepEqual(flash.messages(), ["sim900eo.3", "sim900eo.4"]);

    mail.send = fakeMail([(cb) => { throw undefined; }]).send;
    [e] = flush(box);
    assert.equal(e.type, "ERROR", "throwing nothing is no success");
    assert.deepEqual(flash.messages(), ["sim900eo.3", "sim900eo.4"]);
    mail.send = fakeMail([(cb) => { throw "a string"; }]).send;
    [e] = flush(box);
    assert.equal(e.type, "ERROR", "a thrown non-Error becomes an Error");
    assert.match(e.message, /a string/);

    // A send that never answers: TIMEOUT after options.timeout (default 10 min); a late answer is ignored.
    let late: (e?: any) => void = () => {};
    mail.send = fakeMail([(cb) => { late = cb; }]).send;
    const got = calls((cb) => box.flush(cb));
    assert.equal(got.length, 0);
    clock.tick(599999);
    assert.equal(got.length, 0);
    clock.tick(1);
    assert.equal(got.length, 1);
    assert.equal(got[0][0].type, "TIMEOUT");
    assert.equal(got[0][1].left, 2);
    late(null);
    assert.equal(got.length, 1);
    assert.deepEqual(flash.messages(), ["sim900eo.3", "sim900eo.4"], "kept: it may or may not have gone");
  });

  it("a second flush while one runs gets BUSY; messages queued meanwhile go in the same flush", () => {
    let answer: (e?: any) => void = () => {};
    const mail = fakeMail([(cb) => { answer = cb; }]);
    const box = make(mail);
    queue(box, reading(1));
    const first = calls((cb) => box.flush(cb));
    assert.equal(first.length, 0);
    const second = calls((cb) => box.flush(cb));
    assert.equal(second.length, 1);
    assert.equal(second[0][0].type, "BUSY");
    assert.deepEqual(second[0][1], { sent: 0, left: 1, retryIn: 0, dropped: [] });
    queue(box, reading(2));
    answer(null);
    assert.equal(first.length, 1);
    assert.deepEqual(first[0], [null, { sent: 2, left: 0, retryIn: 0, dropped: [] }]);
    assert.deepEqual(flush(box), [null, { sent: 0, left: 0, retryIn: 0, dropped: [] }], "not busy any more");
    assert.equal(clock.pending(), 0);
  });

  it("works with a Storage stand-in that has no read()", () => {
    const { read, ...noRead } = flash;
    const box = lib.create(fakeMail(), { storage: noRead });
    queue(box, reading(1));
    assert.deepEqual(sizeOf(box), { count: 1, bytes: read("sim900eo.1")!.length });
  });

  it("takes require(\"Storage\") by default, and needs one", () => {
    if (target === "dist") {
      const mod = loadBundle(BUNDLE, host({ Storage: flash }));
      const box = mod.create(fakeMail());
      queue(box, reading(1));
      assert.deepEqual(flash.messages(), ["sim900eo.1"]);
      assert.throws(() => loadBundle(BUNDLE, host()).create(fakeMail()), (e: any) => e.type === "FLASH");
    } else {
      assert.throws(() => lib.create(fakeMail()), (e: any) => e.type === "FLASH"); // no Storage module on the host
    }
  });
});

// The same outbox in front of the real module (src or dist, as the rest of the run), through the
// emulated SIM900 to the embedded mail system: ids arrive in the subjects, failures keep or drop.
describe(`outbox with the module and the emulated SIM900 @dist (${target})`, function () {
  this.timeout(60000);
  let rig: Rig;
  beforeEach(async () => {
    (await sharedBackend()).mailbox("ops").length = 0;
    rig = await startRig({ mod: { serverTimeout: 3000, atTimeout: 500 } });
  });
  afterEach(async () => { await rig.stop(); });

  const flushed = (box: src.Outbox) => new Promise<[any, src.FlushStats]>((resolve) => box.flush((e, s) => resolve([e, plain(s)])));

  it("delivers queued readings oldest first with their ids after a failure, dropping a bad recipient", async () => {
    const flash = fakeStorage();
    const box = lib.create(rig.mail, { id: "unit7", storage: flash, random: () => 1 });
    queue(box, { to: "ops@example.com", subject: "Reading 1", body: "t=21.5C" });
    queue(box, { to: "ops@example.com", subject: "Temperatur drau\u00dfen " + "x".repeat(60), body: "t=21.5\u00b0C" });
    queue(box, { to: "ops@example.com", subject: "Reading 3", body: "t=22C" });

    rig.emu.faults.failSmtpSend(61);
    let [e, stats] = await flushed(box);
    assert.equal(e?.code, 61);
    assert.deepEqual(stats, { sent: 0, left: 3, retryIn: 30000, dropped: [] });

    rig.emu.faults.failSmtpSend(68);
    [e, stats] = await flushed(box);
    assert.equal(e, null);
    assert.equal(stats.sent, 2);
    assert.deepEqual(stats.dropped.map((d) => [d.id, d.err.code]), [["unit7#1", 68]]);
    assert.deepEqual(flash.messages(), []);

    const got = await Promise.all(rig.backend.mailbox("ops").map((m) => simpleParser(m.raw)));
    // hex mode (non-ASCII): 50 UTF-8 bytes of subject, 20 of them "Temperatur draußen " and 10 the id
    assert.deepEqual(got.map((m) => m.subject), ["Temperatur drau\u00dfen " + "x".repeat(20) + " [unit7#2]", "Reading 3 [unit7#3]"]);
    assert.equal(got[0].text?.trim(), "t=21.5\u00b0C");
  });
});
