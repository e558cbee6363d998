// The soak (tools/soak/run.ts, `npm run soak`) at a reduced count on the built module: 60 random
// operations with faults, chunking, pacing and stalled callbacks. The module fails some checks today
// (bugs being fixed in src/): those failure classes are listed in KNOWN with their cause, and any other
// failure fails the test. When a fix lands, delete its entry; with KNOWN empty, or SOAK_STRICT=1,
// the test requires zero failures. SOAK_SEED and SOAK_COUNT vary the run.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { sharedBackend } from "../tools/sim900-emulator/accounts";
import { ExpectedLines } from "../tools/soak/lines";
import { distinctFailures, formatSummary } from "../tools/soak/report";
import { runSoak, SoakResult } from "../tools/soak/run";

// Empty: the classes the first runs found (a payload cut by a timeout read as lines, timeouts that
// counted the caller's onData, a disturbed AT+POP3IN ended at OK) were fixed in src/.
const KNOWN: Array<{ key: RegExp; cause: string }> = [];
const STRICT = process.env.SOAK_STRICT === "1" || KNOWN.length === 0;
const DIST = path.join(__dirname, "..", "dist", "sim900-email.js");

describe("soak: random operations, faults and stalls on the built module", function () {
  this.timeout(120000);
  before(function () {
    if (!fs.existsSync(DIST)) throw new Error("run `npm run build` first");
  });
  after(async () => {
    const b = await sharedBackend();
    for (const u of ["unit7", "ops"]) b.mailbox(u).length = 0;
  });

  it("the reference line reader: payloads after +POP3READ: 1|2,n are no lines; prompt, echo, over-long lines", () => {
    const r = new ExpectedLines(20);
    for (const piece of ["AT+POP3READ=9\r\r\n+POP3READ: 1,", "9\r\nOK\r\n.\r\nRD", "\r\nOK\r\n\r\n> ", "x\r\n" + "y".repeat(25) + "\r\nRDY\r\n"]) r.push(piece);
    assert.deepEqual(r.take(), ["+POP3READ: 1,9", "OK", ">", "x", "RDY"]);
  });

  it(`60 operations: no failure but the known ones${STRICT ? " (strict: none at all)" : ""}`, async () => {
    const seed = Number(process.env.SOAK_SEED || 20261125);
    const r: SoakResult = await runSoak({ count: Number(process.env.SOAK_COUNT || 60), seed, stallMs: 600 });
    console.log(formatSummary(r).replace(/^/gm, "      "));
    const n = Object.values(r.ops);
    assert.ok(n.every((x) => x > 0), "every kind of operation ran: " + JSON.stringify(r.ops));
    assert.ok(r.bytesChecked > 100000, "bytes checked: " + r.bytesChecked);
    assert.ok(Object.values(r.faults).reduce((a, b) => a + b, 0) >= 5, "faults injected: " + JSON.stringify(r.faults));
    const unknown = distinctFailures(r).filter((d) => STRICT || !KNOWN.some((k) => k.key.test(d.key)));
    assert.deepEqual(unknown.map((d) => `${d.count}× ${d.key} (e.g. operation ${d.first.op}: ${d.first.detail})`), []);
  });

  it("its checks catch altered bytes ('<' turned into '[' on the way to the module)", async () => {
    const r = await runSoak({ count: 16, seed: 5, stallMs: 0, faultRate: 0, tamper: (d) => d.replace(/</g, "[") });
    const altered = (kind: string) => r.failures.filter((f) => f.check === "bytes" && f.kind === kind).length;
    assert.ok(r.ops.streamed > 0 && altered("streamed") === r.ops.streamed && altered("whole") > 0, formatSummary(r));
  });
});
