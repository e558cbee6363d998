import { strict as assert } from "node:assert";
import { createHeaderParser, parseAddress } from "../../src/mail";

function parse(lines: string[], max?: number) {
  const h: [string, string][] = [];
  let ends = 0;
  const returns: boolean[] = [];
  const p = createHeaderParser((n, v) => h.push([n, v]), () => ends++, max);
  for (const l of lines) returns.push(p.line(l));
  return { h, get ends() { return ends; }, returns, p };
}

describe("mail/headers", () => {
  it("parses headers, lower-cases names, trims values, stops at the blank line", () => {
    const r = parse(["From: \"Bob\" <bob@example.com>", "Subject:  Hello ", "X-Empty:", "", "Body: no"]);
    assert.deepEqual(r.h, [["from", "\"Bob\" <bob@example.com>"], ["subject", "Hello"], ["x-empty", ""]]);
    assert.equal(r.ends, 1);
    assert.deepEqual(r.returns, [true, true, true, false, false]);
  });

  it("unfolds continuation lines (space and tab), keeping their whitespace", () => {
    const r = parse(["Subject: a long", "  subject", "\tline", "To: x@y", ""]);
    assert.deepEqual(r.h, [["subject", "a long  subject\tline"], ["to", "x@y"]]);
  });

  it("keeps an encoded word split across folds intact for RFC 2047 decoding", () => {
    const r = parse(["Subject: =?UTF-8?Q?Temp=C3=A9rature?=", " =?UTF-8?B?w6k=?=", ""]);
    assert.deepEqual(r.h, [["subject", "=?UTF-8?Q?Temp=C3=A9rature?= =?UTF-8?B?w6k=?="]]);
  });

  it("ignores lines without a colon and continuation lines before any header", () => {
    const r = parse(["  orphan", "garbage", "Name : v", ":novalue", ""]);
    assert.deepEqual(r.h, [["name", "v"]]);
  });

  it("truncates a long value to maxValue", () => {
    const r = parse(["Subject: " + "x".repeat(50), " " + "y".repeat(50), "A: b", ""], 20);
    assert.deepEqual(r.h, [["subject", "x".repeat(20)], ["a", "b"]]);
    const r2 = parse(["Subject: abc", " def", ""], 6);
    assert.deepEqual(r2.h, [["subject", "abc de"]]);
    const r3 = parse(["Subject:   ab", " cd"], 3);
    r3.p.end();
    assert.deepEqual(r3.h, [["subject", "ab"]]); // cut to "ab ", then trimmed
  });

  it("end() flushes a pending header once, without a blank line", () => {
    const r = parse(["Subject: hi", " there"]);
    assert.deepEqual(r.h, []);
    r.p.end();
    r.p.end();
    assert.deepEqual(r.h, [["subject", "hi there"]]);
    assert.equal(r.ends, 1);
  });

  it("parseAddress", () => {
    const cases: [string, string][] = [
      ['"Name, Jr." <a@b.example>', "a@b.example"],
      ["Name <a@b>", "a@b"],
      ["<a@b>", "a@b"],
      ["a@b (x)", "a@b"],
      ["a@b", "a@b"],
      ["  a@b  ", "a@b"],
      ["(c) a@b", "a@b"],
      ['"x <y@z>" <real@host>', "real@host"],
      ["A <a@b>, B <c@d>", "a@b"],
      ["a@b, c@d", "a@b"],
      ["<a@b", "a@b"],
      ["", ""],
      ["Undisclosed", "Undisclosed"],
    ];
    for (const [v, want] of cases) assert.equal(parseAddress(v), want, v);
  });
});
