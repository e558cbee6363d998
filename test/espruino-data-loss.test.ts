// Bytes that Espruino 2v29 lost where V8 did not, each found on the Pico-sized interpreter. Under
// TARGET=dist these run in the sandbox, which reproduces Espruino's split, indexOf, trim, case and
// Error quirks (tools/sandbox.ts), so each case here failed there before its fix.
import { strict as assert } from "node:assert";
import * as vm from "node:vm";
import fc from "fast-check";
import { ESPRUINO_QUIRKS } from "../tools/sandbox";
import { lib, target } from "./target";

/** Runs a raw POP3 response through the dot-stream in the given slices. */
function unstuff(slices: string[]): { out: string; ends: number } {
  let out = "", ends = 0;
  const ds = lib.createDotStream((s: string) => { out += s; }, () => { ends++; });
  for (const s of slices) ds.push(s);
  return { out, ends };
}

/** `text` cut at the given lengths, the rest in one piece. */
function slices(text: string, lengths: number[]): string[] {
  const out: string[] = [];
  let p = 0;
  for (const n of lengths) { if (p >= text.length) break; out.push(text.substr(p, n)); p += n; }
  if (p < text.length) out.push(text.substring(p));
  return out;
}

describe(`what Espruino loses @dist (${target})`, () => {
  it("the sandbox does what Espruino 2v29 printed (Pico-sized build)", () => {
    const ctx = vm.createContext({});
    vm.runInContext(ESPRUINO_QUIRKS, ctx);
    const got = vm.runInContext(
      'JSON.stringify(["".split("ab"), "a".split("ab"), "a".split("abc"), "ab".split("abcd"), "abc".split("abcd"),' +
        ' "x".split("=\\r\\n"), "xy".split("=\\r\\n"), "".split("a"), "abab".split("ab"), "s ".split("\\r\\n..")])', ctx);
    assert.equal(got, JSON.stringify([[], ["a"], [], [], ["abc"], [], ["xy"], [""], ["", "", ""], []]));
    const more = vm.runInContext(
      'JSON.stringify(["\\xa0a\\xa0".trim(), "\\x0b\\x0ca\\x0b".trim(), "\\xc4B".toLowerCase(), "\\xe0b".toUpperCase(),' +
        ' "abc".indexOf("", 2), "abc".indexOf("", 3), "".indexOf("", 0), "abc\\n".indexOf("\\n."), Object.keys(new Error("m")).sort(), new Error("m").type])', ctx);
    assert.equal(more, JSON.stringify(["\xa0a\xa0", "a", "\xc4b", "\xe0B", 2, -1, -1, 3, ["message", "stack", "type"], "Error"]));
  });

  it("a slice ending in \"s \\r\\n.\" loses nothing (split returned [] for the short piece)", () => {
    const raw = "+OK\r\nab\r\n..c\r\nxs \r\n..d\r\n.\r\n";
    // the case measured on the board: a network chunk ending in "s \r\n."
    const at = raw.indexOf("s \r\n.");
    const r = unstuff(slices(raw, [at, 5]));
    assert.equal(r.out, "ab\r\n.c\r\nxs \r\n.d\r\n");
    assert.equal(r.ends, 1);
  });

  it("the final CRLF survives a slice boundary inside the closing \"\\r\\n.\\r\\n\"", () => {
    const raw = "+OK\r\nline one\r\nlast\r\n.\r\n";
    for (let p = raw.length - 5; p < raw.length; p++) {
      const r = unstuff([raw.substring(0, p), raw.substring(p)]);
      assert.equal(r.out, "line one\r\nlast\r\n", "cut at " + p);
    }
  });

  it("a lone \"\\n\" at a slice's end is no dot line (Espruino's indexOf(\"\\n.\") matched it)", () => {
    const raw = "+OK\r\nx\r\ny\r\n.\r\n";
    assert.equal(unstuff(slices(raw, [6, 1, 1, 1])).out, "x\r\ny\r\n");
  });

  it("any slicing, 1 to 16 bytes, gives the message byte for byte (1,000 cases)", () => {
    const line = fc.stringMatching(/^[.a-z \r]{0,12}$/).map((l) => l.replace(/\r/g, " "));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), fc.array(fc.integer({ min: 1, max: 16 }), { minLength: 40, maxLength: 40 }), (lines, cuts) => {
        const raw = "+OK x\r\n" + lines.map((l) => (l.charAt(0) === "." ? "." + l : l) + "\r\n").join("") + ".\r\n";
        const r = unstuff(slices(raw, cuts));
        assert.equal(r.out, lines.map((l) => l + "\r\n").join(""));
        assert.equal(r.ends, 1);
      }),
      { numRuns: 1000 },
    );
  });

  it("one-character quoted-printable and encoded words are kept", () => {
    assert.equal(lib.qpDecode("x"), "x");
    assert.equal(lib.qpDecode("="), "=");
    assert.equal(lib.decodeWords("=?UTF-8?Q?x?="), "x");
    assert.equal(lib.decodeWords("=?UTF-8?Q?a?= =?UTF-8?Q?b?="), "ab");
  });

  it("header names lower only A-Z and values trim only ASCII white space, as on Espruino", () => {
    const got: [string, string][] = [];
    const hp = lib.createHeaderParser((n: string, v: string) => got.push([n, v]));
    hp.line("SUBJECT: \xa0caf\xc9\xa0 ");
    hp.line("");
    assert.deepEqual(got, [["subject", "\xa0caf\xc9\xa0"]]);
    assert.equal(lib.lower("ABC\xc0"), "abc\xc0");
    assert.equal(lib.trim(" \t\xa0x\r\n"), "\xa0x");
  });

  it("an error with the modem's code has no type, and no error keeps a stack string", () => {
    const e = lib.codeError("SMTPSEND", 67);
    assert.equal(e.code, 67);
    assert.equal("type" in e, false);
    assert.equal(e.stack, undefined);
    const t = lib.typedError("POP3READ", "TIMEOUT", "x");
    assert.equal(t.type, "TIMEOUT");
    assert.equal(t.stack, undefined);
  });
});
