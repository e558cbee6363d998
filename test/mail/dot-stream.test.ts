import { strict as assert } from "node:assert";
import fc from "fast-check";
import { createDotStream } from "../../src/mail";
import { allTwoCuts, cut, cuts } from "./helpers";

interface Run { data: string[]; ends: number; endAfterData: boolean }

function run(slices: string[]): Run {
  const r: Run = { data: [], ends: 0, endAfterData: true };
  const ds = createDotStream(
    (s) => { assert.ok(s.length > 0, "onData called with empty string"); if (r.ends) r.endAfterData = false; r.data.push(s); },
    () => { r.ends++; },
  );
  for (const s of slices) ds.push(s);
  return r;
}

/** What a POP3 server sends for a message given as lines (each without CRLF). */
function serve(lines: string[], status = "+OK 123 octets"): string {
  return status + "\r\n" + lines.map((l) => (l.charAt(0) === "." ? "." + l : l) + "\r\n").join("") + ".\r\n";
}
const message = (lines: string[]) => lines.map((l) => l + "\r\n").join("");

describe("mail/dot-stream", () => {
  it("strips the status line and the terminator, keeps the last CRLF", () => {
    const r = run(["+OK 5 octets\r\nHello\r\nWorld\r\n.\r\n"]);
    assert.equal(r.data.join(""), "Hello\r\nWorld\r\n");
    assert.equal(r.ends, 1);
    assert.equal(r.data.length, 1);
  });

  it("un-stuffs dot lines, including the first line and a lone '.' line", () => {
    const r = run(["+OK\r\n..first\r\nmid..dle\r\n..\r\n...\r\n.x\r\n.\r\n"]);
    // ".x" is not valid stuffing; it is passed through unchanged
    assert.equal(r.data.join(""), ".first\r\nmid..dle\r\n.\r\n..\r\n.x\r\n");
    assert.equal(r.ends, 1);
  });

  it("handles an empty body (terminator right after the status line)", () => {
    for (const slices of [["+OK\r\n.\r\n"], ["+OK\r", "\n", ".", "\r", "\n"], ["+OK\r\n.\r", "\n"]]) {
      const r = run(slices);
      assert.deepEqual(r.data, []);
      assert.equal(r.ends, 1);
    }
  });

  it("a body of just empty lines", () => {
    assert.equal(run(["+OK\r\n\r\n\r\n.\r\n"]).data.join(""), "\r\n\r\n");
  });

  it("does not end early or emit before the status line is over", () => {
    const r = run(["+OK some .\r\n. status\r\n", "text"]);
    // "\r\n. status" is the first body line ". status"; invalid stuffing, kept
    assert.equal(r.data.join(""), ". status\r\ntext");
    assert.equal(r.ends, 0);
  });

  it("takes no onEnd: the message is delivered all the same, and the end still stops it", () => {
    let got = "";
    const ds = createDotStream((s) => { got += s; });
    for (const s of ["+OK\r\nab", "c\r\n.", "\r\n", "after\r\n"]) ds.push(s);
    assert.equal(got, "abc\r\n");
  });

  it("ignores bytes after the terminator and pushes after the end", () => {
    const r = run(["+OK\r\na\r\n.\r\nOK\r\n+POP3READ: 1\r\n", "more\r\n.\r\n"]);
    assert.equal(r.data.join(""), "a\r\n");
    assert.equal(r.ends, 1);
  });

  it("does not end without the terminator", () => {
    const r = run(["+OK\r\na\r\n.", "\r"]);
    assert.equal(r.ends, 0);
    assert.equal(r.data.join(""), "a"); // "\r\n.\r" held back
  });

  it("property: after every push, all but at most 4 bytes are delivered (1000 runs)", () => {
    const line = fc.string({ maxLength: 8 }).map((s) => s.split("\r\n").join("\n"));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 8 }), cuts, (lines, at) => {
        const status = "+OK hi\r\n";
        const input = serve(lines, "+OK hi");
        const want = message(lines);
        let got = "";
        const ds = createDotStream((s) => { got += s; }, () => {});
        let pushed = "";
        for (const s of cut(input, at)) {
          ds.push(s);
          pushed += s;
          assert.ok(want.startsWith(got));
          if (pushed.length < status.length) { assert.equal(got, ""); continue; }
          const ref = ("\r\n" + pushed.substring(status.length)).split("\r\n..").join("\r\n.").substring(2);
          assert.ok(got.length >= Math.min(ref.length, want.length) - 4, JSON.stringify([pushed, got]));
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("one onData per push", () => {
    const r = run(["+OK\r\nline1\r\n..dots\r\nline3\r\n", "line4\r\n..x\r\n..y\r\n", ".\r\n"]);
    // a trailing "\r\n" is held back until the next slice shows it is not "\r\n.\r\n"
    assert.deepEqual(r.data, ["line1\r\n.dots\r\nline3", "\r\nline4\r\n.x\r\n.y", "\r\n"]);
  });

  it("every 2-split and every single-byte feed of a tricky input", () => {
    const input = serve([".", "..", "", ".\r", "a.", ". ", "..."], "+OK x") + "junk";
    const want = message([".", "..", "", ".\r", "a.", ". ", "..."]);
    for (const slices of allTwoCuts(input)) {
      const r = run(slices);
      assert.equal(r.data.join(""), want, JSON.stringify(slices));
      assert.equal(r.ends, 1);
    }
    const r = run(input.split(""));
    assert.equal(r.data.join(""), want);
    assert.equal(r.ends, 1);
  });

  it("property: random messages, random splits -> original bytes, one end (1000 runs)", () => {
    const piece = fc.constantFrom(".", "..", "OK", "ERROR", "+POP3READ: 2,5", "\x1a", " ", "a", "\r", "\n", "x.y");
    const hi = fc.integer({ min: 0x80, max: 0xff }).map((c) => String.fromCharCode(c));
    const line = fc
      .array(fc.oneof(piece, hi, fc.string({ maxLength: 5 })), { maxLength: 6 })
      .map((a) => a.join("").split("\r\n").join("\n")); // a line never contains CRLF
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), cuts, fc.string({ maxLength: 10 }), (lines, at, after) => {
        const input = serve(lines) + after;
        const r = run(cut(input, at));
        assert.equal(r.data.join(""), message(lines));
        assert.equal(r.ends, 1);
        assert.ok(r.endAfterData);
      }),
      { numRuns: 1000 },
    );
  });

  it("property: before the terminator is complete, no end (1000 runs)", () => {
    const line = fc.string({ maxLength: 8 }).map((s) => s.split("\r\n").join("\n"));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 8 }), cuts, (lines, at) => {
        const input = serve(lines);
        const r = run(cut(input.substring(0, input.length - 1), at));
        assert.equal(r.ends, 0);
        assert.ok(message(lines).startsWith(r.data.join("")));
      }),
      { numRuns: 1000 },
    );
  });
});
