import { strict as assert } from "node:assert";
import fc from "fast-check";
import { b64Fallback, base64Decode, createBase64Decoder, createQpDecoder, qpDecode } from "../../src/mail";
import { bin, cut, cuts } from "./helpers";

function stream(make: (f: (s: string) => void) => { push(s: string): void; end(): void }, slices: string[]) {
  const out: string[] = [];
  const d = make((s) => { assert.ok(s.length > 0, "onData with empty string"); out.push(s); });
  for (const s of slices) d.push(s);
  d.end();
  return out;
}

/** base64 as a mail client wraps it: 76-char lines with CRLF. */
const wrap = (b64: string) => (b64.match(/.{1,76}/g) || []).join("\r\n") + "\r\n";

/** Reference quoted-printable encoder (RFC 2045 6.7) for byte strings. */
function qpEncode(s: string): string {
  let out = "", col = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let t: string;
    if (c === 13 && s.charCodeAt(i + 1) === 10) { out += "\r\n"; i++; col = 0; continue; }
    if ((c >= 33 && c <= 126 && c !== 61) || c === 32) t = s[i];
    else t = "=" + (c < 16 ? "0" : "") + c.toString(16).toUpperCase();
    if (col + t.length > 75) { out += "=\r\n"; col = 0; }
    out += t;
    col += t.length;
  }
  return out;
}

const bytes = fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a));

describe("mail/transfer-decode", () => {
  it("base64: wrapped text, padding, junk ignored", () => {
    assert.equal(base64Decode("SGVsbG8s\r\nIFdvcmxk\r\nIQ=="), "Hello, World!");
    assert.equal(base64Decode("SGk="), "Hi");
    assert.equal(base64Decode("SGk"), "Hi");
    assert.equal(base64Decode(" S G k = \t"), "Hi");
    assert.equal(base64Decode("SGk=SGk="), "HiHi"); // concatenated padded runs
    assert.equal(base64Decode("w6k="), "\xc3\xa9");
    assert.equal(base64Decode(""), "");
    assert.equal(base64Decode("S"), "");
  });

  it("base64: the ES5 fallback decodes like atob", () => {
    assert.equal(b64Fallback("SGVsbG8"), "Hello");
    fc.assert(
      fc.property(bytes, (b) => {
        assert.equal(b64Fallback(b.toString("base64").replace(/=/g, "")), bin(b));
      }),
      { numRuns: 1000 },
    );
  });

  it("base64: holds at most 3 chars, one onData per push", () => {
    let got = "";
    const d = createBase64Decoder((s) => { got += s; });
    d.push("SGVsbG8sIFdv\r\ncmxkIQ");
    assert.equal(got, "Hello, World"); // "IQ" held
    d.end();
    assert.equal(got, "Hello, World!");
  });

  it("property: streaming base64 = Buffer decode, any slicing (1000 runs)", () => {
    fc.assert(
      fc.property(bytes, cuts, (b, at) => {
        const out = stream(createBase64Decoder, cut(wrap(b.toString("base64")), at));
        assert.equal(out.join(""), bin(b));
      }),
      { numRuns: 1000 },
    );
  });

  it("property: streaming base64 without a global atob (ES5 fallback path) (1000 runs)", () => {
    const g = globalThis as { atob?: unknown };
    const saved = g.atob;
    delete g.atob;
    try {
      assert.equal(typeof g.atob, "undefined");
      fc.assert(
        fc.property(bytes, cuts, (b, at) => {
          assert.equal(stream(createBase64Decoder, cut(wrap(b.toString("base64")), at)).join(""), bin(b));
        }),
        { numRuns: 1000 },
      );
    } finally {
      g.atob = saved;
    }
  });

  it("quoted-printable: escapes, soft breaks, invalid '=' kept", () => {
    assert.equal(qpDecode("Temp=C3=A9rature"), "Temp\xc3\xa9rature");
    assert.equal(qpDecode("a long=\r\n line=\nend"), "a long line" + "end");
    assert.equal(qpDecode("lower =c3=a9"), "lower \xc3\xa9");
    assert.equal(qpDecode("1 =3D 1"), "1 = 1");
    assert.equal(qpDecode("bad =ZZ and =4"), "bad =ZZ and =4");
    assert.equal(qpDecode("x=\r\n"), "x");
    assert.equal(qpDecode("=\r\n=\r\n"), "");
  });

  it("quoted-printable: holds at most 2 bytes", () => {
    let got = "";
    const d = createQpDecoder((s) => { got += s; });
    d.push("ab=C");
    assert.equal(got, "ab");
    d.push("3x=");
    assert.equal(got, "ab\xc3x");
    d.push("\r");
    assert.equal(got, "ab\xc3x");
    d.push("\nz");
    assert.equal(got, "ab\xc3xz");
    d.push("=");
    d.end();
    assert.equal(got, "ab\xc3xz=");
  });

  it("property: streaming QP of encoded bytes = original, any slicing (1000 runs)", () => {
    const text = fc
      .array(fc.oneof(fc.constantFrom("\r\n", "=", ".", " ", "=\r\n", "\t"), fc.string({ maxLength: 20 }), bytes.map(bin)), { maxLength: 8 })
      .map((a) => a.join(""));
    fc.assert(
      fc.property(text, cuts, (s, at) => {
        assert.equal(stream(createQpDecoder, cut(qpEncode(s), at)).join(""), s);
      }),
      { numRuns: 1000 },
    );
  });

  it("property: streaming QP = one-shot QP on arbitrary input (1000 runs)", () => {
    const text = fc
      .array(fc.oneof(fc.constantFrom("=", "\r", "\n", "A", "3", "=4", "==", "=\r"), fc.string({ maxLength: 4 })), { maxLength: 20 })
      .map((a) => a.join(""));
    fc.assert(
      fc.property(text, cuts, (s, at) => {
        assert.equal(stream(createQpDecoder, cut(s, at)).join(""), qpDecode(s));
      }),
      { numRuns: 1000 },
    );
  });
});
