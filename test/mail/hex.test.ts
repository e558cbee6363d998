import { strict as assert } from "node:assert";
import fc from "fast-check";
import { isAscii, toHex, utf8Bytes } from "../../src/mail";
import { bin } from "./helpers";

describe("mail/hex", () => {
  it("toHex of ASCII (manual 2.12 example)", () => {
    assert.equal(toHex("TEST"), "54455354");
    assert.equal(toHex(""), "");
    assert.equal(toHex("\r\n\x00\x1a"), "0D0A001A");
  });

  it("toHex of a UTF-8 subject, as host string and as byte string", () => {
    const want = Buffer.from("Température 25°C", "utf8").toString("hex").toUpperCase();
    assert.equal(toHex("Température 25°C"), want); // host string, chars are code points
    assert.equal(toHex(bin("Température 25°C")), want); // Espruino byte string, already UTF-8
    assert.equal(toHex("é"), "C3A9"); // lone Latin-1 0xE9 is not UTF-8: encoded
    assert.equal(toHex("日本"), "E697A5E69CAC");
    assert.equal(toHex("🌍"), "F09F8C8D"); // surrogate pair
  });

  it("utf8Bytes rule", () => {
    assert.equal(utf8Bytes("abc"), "abc");
    assert.equal(utf8Bytes("\xc3\xa9"), "\xc3\xa9"); // valid UTF-8 bytes: unchanged
    assert.equal(utf8Bytes("\xe9t\xe9"), "\xc3\xa9t\xc3\xa9"); // Latin-1: encoded
    assert.equal(utf8Bytes("\xc3"), "\xc3\x83"); // truncated sequence: encoded
    assert.equal(utf8Bytes("\xc3\xa9€"), "\xc3\x83\xc2\xa9\xe2\x82\xac"); // a char > 0xFF: all encoded
    assert.equal(utf8Bytes("\ud800x"), "\xed\xa0\x80x"); // lone surrogate, no throw
    assert.equal(utf8Bytes("\xf5\x80\x80\x80"), "\xc3\xb5\xc2\x80\xc2\x80\xc2\x80"); // F5 is never a lead byte
    assert.equal(utf8Bytes("\xc1\xbf"), "\xc3\x81\xc2\xbf"); // C0/C1 neither
    assert.equal(utf8Bytes("\xf0\x9f\x8c\x8d"), "\xf0\x9f\x8c\x8d"); // 4-byte sequence kept
    assert.equal(utf8Bytes("\xe2\x82x"), "\xc3\xa2\xc2\x82x"); // sequence cut short
    assert.equal(utf8Bytes("\xc3x\xa9"), "\xc3\x83x\xc2\xa9"); // lead byte without its continuation
  });

  it("property: toHex matches Buffer for any host string and its byte form (1000 runs)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 150 }), (s) => {
        const want = Buffer.from(s, "utf8").toString("hex").toUpperCase();
        assert.equal(toHex(bin(s)), want);
        if (/[^\x00-\xff]/.test(s)) assert.equal(toHex(s), want);
      }),
      { numRuns: 1000 },
    );
  });

  it("isAscii", () => {
    assert.equal(isAscii("Hello, World! ~\r\n\t"), true);
    assert.equal(isAscii(""), true);
    assert.equal(isAscii("caf\xe9"), false);
    assert.equal(isAscii("é"), false);
    assert.equal(isAscii("a\x1ab"), false); // Ctrl-Z would end the modem's text entry
    assert.equal(isAscii("\x1b"), false);
    assert.equal(isAscii("\x7f"), false);
    assert.equal(isAscii("\x00"), false);
  });
});
