import { strict as assert } from "node:assert";
import fc from "fast-check";
import { createLineSplitter } from "../../src/mail";
import { cut, cuts } from "./helpers";

function run(slices: string[], max: number, end = true): [string, boolean][] {
  const out: [string, boolean][] = [];
  const ls = createLineSplitter((l, t) => out.push([l, t]), max);
  for (const s of slices) ls.push(s);
  if (end) ls.end();
  return out;
}

/** Reference: split on \n, drop one trailing \r per line, cut to max. */
function reference(s: string, max: number): [string, boolean][] {
  const lines = s.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines.map((l) => {
    if (l.endsWith("\r")) l = l.slice(0, -1);
    return [l.substring(0, max), l.length > max];
  });
}

describe("mail/line-splitter", () => {
  it("splits a UIDL listing on CRLF", () => {
    assert.deepEqual(run(["1 AAAFOpdC\r\n2 55", "56\r", "\n3 x\r\n"], 70), [
      ["1 AAAFOpdC", false], ["2 5556", false], ["3 x", false],
    ]);
  });

  it("tolerates bare LF and keeps empty lines", () => {
    assert.deepEqual(run(["a\nb\r\n\r\n\nc"], 10), [["a", false], ["b", false], ["", false], ["", false], ["c", false]]);
  });

  it("holds an unterminated line until end()", () => {
    assert.deepEqual(run(["abc"], 10, false), []);
    assert.deepEqual(run(["abc"], 10, true), [["abc", false]]);
    assert.deepEqual(run([], 10, true), []);
  });

  it("truncates an over-long line to maxLine and flags it", () => {
    assert.deepEqual(run(["abcdefgh\r\nxy\r\n"], 4), [["abcd", true], ["xy", false]]);
    assert.deepEqual(run(["ab", "cd", "e", "fg\r", "\n"], 4), [["abcd", true]]);
  });

  it("a line of exactly maxLine with its CR split off is not truncated", () => {
    assert.deepEqual(run(["abcd\r", "\nabcd", "\r\n"], 4), [["abcd", false], ["abcd", false]]);
    assert.deepEqual(run(["abcd\r\r\n"], 4), [["abcd", true]]);
  });

  it("property: equals a plain split for any slicing (1000 runs)", () => {
    const text = fc
      .array(fc.oneof(fc.constantFrom("\r\n", "\n", "\r", "1 5556", "x"), fc.string({ maxLength: 12 })), { maxLength: 20 })
      .map((a) => a.join(""));
    fc.assert(
      fc.property(text, cuts, fc.integer({ min: 1, max: 20 }), (s, at, max) => {
        assert.deepEqual(run(cut(s, at), max), reference(s, max));
      }),
      { numRuns: 1000 },
    );
  });
});
