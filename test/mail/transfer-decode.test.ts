import { strict as assert } from "node:assert";
import fc from "fast-check";
import { base64Decode, qpDecode } from "../../src/mail";
import { bin } from "./helpers";

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
  it("property: base64Decode of wrapped base64 = Buffer decode (1000 runs)", () => {
    fc.assert(fc.property(bytes, (b) => assert.equal(base64Decode(wrap(b.toString("base64"))), bin(b))), { numRuns: 1000 });
  });

  it("property: qpDecode of encoded bytes = original (1000 runs)", () => {
    const text = fc
      .array(fc.oneof(fc.constantFrom("\r\n", "=", ".", " ", "=\r\n", "\t"), fc.string({ maxLength: 20 }), bytes.map(bin)), { maxLength: 8 })
      .map((a) => a.join(""));
    fc.assert(fc.property(text, (s) => assert.equal(qpDecode(qpEncode(s)), s)), { numRuns: 1000 });
  });

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

  it("quoted-printable: escapes, soft breaks, invalid '=' kept", () => {
    assert.equal(qpDecode("Temp=C3=A9rature"), "Temp\xc3\xa9rature");
    assert.equal(qpDecode("a long=\r\n line=\nend"), "a long line" + "end");
    assert.equal(qpDecode("lower =c3=a9"), "lower \xc3\xa9");
    assert.equal(qpDecode("1 =3D 1"), "1 = 1");
    assert.equal(qpDecode("bad =ZZ and =4"), "bad =ZZ and =4");
    assert.equal(qpDecode("x=\r\n"), "x");
    assert.equal(qpDecode("=\r\n=\r\n"), "");
  });

});
