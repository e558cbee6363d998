import { strict as assert } from "node:assert";
import fc from "fast-check";
import { lib, target } from "../target";

// Records reader events as strings; consecutive data slices are merged because how a payload is
// sliced depends on how it was split, and that is allowed. Simulates the channel: a POP3READ header
// line announces the payload that follows it.
function run(chunks: string[], maxLine?: number) {
  const ev: string[] = [];
  const reader = lib.createReader(
    {
      line(t: string) {
        ev.push("L:" + t);
        const m = /^\+POP3READ: [12],(\d+)$/.exec(t);
        if (m) reader.expect(+m[1]);
      },
      piece(s: string, left: number) {
        const last = ev[ev.length - 1];
        if (last && last.startsWith("D:")) ev[ev.length - 1] = last + s;
        else ev.push("D:" + s);
        if (left === 0) ev.push("E");
      },
      overflow() { ev.push("O"); },
    },
    maxLine,
  );
  for (const c of chunks) reader.push(c);
  return ev;
}

function splitAt(s: string, cuts: number[]): string[] {
  const pos = [...new Set(cuts.map((c) => c % (s.length + 1)))].sort((a, b) => a - b);
  const out: string[] = [];
  let last = 0;
  for (const p of pos) { out.push(s.slice(last, p)); last = p; }
  out.push(s.slice(last));
  return out;
}

describe(`AT reader @dist (${target})`, () => {
  it("emits lines without CR/LF and drops empty lines", () => {
    assert.deepEqual(run(["\r\nOK\r\n\r\n+POP3IN: 1\r\n"]), ["L:OK", "L:+POP3IN: 1"]);
  });

  it("joins a line split between CR and LF and one byte at a time", () => {
    const s = "\r\n+SMTPFT: 1,1360\r\n";
    assert.deepEqual(run(s.split("")), ["L:+SMTPFT: 1,1360"]);
    assert.deepEqual(run(["\r\nOK\r", "\n"]), ["L:OK"]);
  });

  it("drops echoed commands", () => {
    assert.deepEqual(run(["AT+EMAILCID=1\r\r\nOK\r\n", "at\r\r\nOK\r\n"]), ["L:OK", "L:OK"]);
  });

  it("gives the '>' prompt, with and without its space and with no line end, as the line \">\"", () => {
    assert.deepEqual(run(["\r\n> "]), ["L:>"]);
    assert.deepEqual(run(["\r\n>", " "]), ["L:>"]);
    assert.deepEqual(run(["\r\n>"]), ["L:>"]);
    assert.deepEqual(run(["\r\n> ", "\r\nOK\r\n"]), ["L:>", "L:OK"]);
    assert.deepEqual(run(["\r\n> x\r\n"]), ["L:>", "L:x"]);
  });

  it("passes announced payload bytes whatever they contain, as slices of the chunks", () => {
    const payload = "\r\nOK\r\n+POP3READ: 2,5\r\nERROR\r\n\x1a\xff> x";
    const s = `\r\n+POP3READ: 2,${payload.length}\r\n${payload}\r\nOK\r\n`;
    assert.deepEqual(run([s]), [`L:+POP3READ: 2,${payload.length}`, "D:" + payload, "E", "L:OK"]);
  });

  it("hands on payload slices without accumulating them", () => {
    const slices: string[] = [];
    const r = lib.createReader({
      line(t: string) { if (t === "+POP3READ: 1,10") r.expect(10); },
      overflow() {},
      piece(s: string) { slices.push(s); },
    });
    const chunk1 = "+POP3READ: 1,10\r\nabc";
    r.push(chunk1);
    r.push("defg");
    r.push("hij\r\nOK\r\n");
    assert.deepEqual(slices, ["abc", "defg", "hij"]);
  });

  it("drops a line over the bound with one overflow event and recovers", () => {
    const long = "x".repeat(300);
    assert.deepEqual(run([long + "\r\nOK\r\n"]), ["O", "L:OK"]);
    assert.deepEqual(run([long.slice(0, 100), long.slice(100), "yy\r\nOK\r\n"]), ["O", "L:OK"]);
    assert.deepEqual(run(["x".repeat(20) + "\r\n"], 16), ["O"]);
    assert.deepEqual(run(["x".repeat(15) + "\r\n"], 16), ["L:" + "x".repeat(15)]);
  });

  it("property: any split of a session gives the events of the unsplit session", () => {
    const text = fc.stringMatching(/^[ -~]{1,40}$/).filter((t) => t.trim() === t && !/^(AT|at|aT|At|>)/.test(t));
    const hostile = fc.array(
      fc.oneof(
        fc.constantFrom("\r\nOK\r\n", "+POP3READ: 2,5", "ERROR", "\x1a", "\x1b", "\r", "\n", "> ", ".\r\n", "\xff\x80"),
        fc.string({ unit: "binary-ascii", maxLength: 20 }),
      ),
      { maxLength: 12 },
    ).map((a) => a.join(""));
    const item = fc.oneof(
      text.map((t) => `\r\n${t}\r\n`),
      fc.constant("\r\n> "),
      fc.constantFrom("\r\nRING\r\n", "\r\n+SAPBR 1: DEACT\r\n", "\r\n+POP3READ: 3,120\r\n", "\r\nRDY\r\n"),
      hostile.map((p) => `\r\n+POP3READ: ${p.length % 2 ? 1 : 2},${p.length}\r\n${p}\r\nOK\r\n`),
      fc.integer({ min: 257, max: 400 }).map((n) => "z".repeat(n) + "\r\n"),
    );
    fc.assert(
      fc.property(fc.array(item, { maxLength: 15 }), fc.array(fc.nat(), { maxLength: 30 }), (items, cuts) => {
        const session = items.join("");
        assert.deepEqual(run(splitAt(session, cuts)), run([session]));
      }),
      { numRuns: 1000 },
    );
  });
});
