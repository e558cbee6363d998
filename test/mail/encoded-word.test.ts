import { strict as assert } from "node:assert";
import { decodeWords } from "../../src/mail";
import { bin } from "./helpers";

describe("mail/encoded-word", () => {
  it("decodes Q words (underscore, =XX) to bytes", () => {
    assert.equal(decodeWords("=?UTF-8?Q?Temp=C3=A9rature?="), bin("Température"));
    assert.equal(decodeWords("=?utf-8?q?a_b=5F?="), "a b_");
  });

  it("decodes B words", () => {
    const w = "=?UTF-8?B?" + Buffer.from("Grüße 🌍").toString("base64") + "?=";
    assert.equal(decodeWords(w), bin("Grüße 🌍"));
    assert.equal(decodeWords("=?ISO-8859-1?b?6Q==?="), "\xe9"); // charset not converted
  });

  it("joins adjacent words, keeps other text and spacing", () => {
    assert.equal(decodeWords("=?UTF-8?Q?a?= =?UTF-8?Q?b?="), "ab");
    assert.equal(decodeWords("=?UTF-8?Q?a?=\r\n\t=?UTF-8?B?Yg==?="), "ab");
    assert.equal(decodeWords("Re: =?UTF-8?Q?caf=C3=A9?= ok"), bin("Re: café ok"));
    assert.equal(decodeWords("=?UTF-8?Q?a?= x =?UTF-8?Q?b?="), "a x b");
    assert.equal(decodeWords("plain text"), "plain text");
  });

  it("leaves malformed words alone", () => {
    assert.equal(decodeWords("a =? b"), "a =? b");
    assert.equal(decodeWords("=?UTF-8?X?abc?="), "=?UTF-8?X?abc?=");
    assert.equal(decodeWords("=?UTF-8?Q?abc"), "=?UTF-8?Q?abc");
    assert.equal(decodeWords("=?bad =?UTF-8?Q?ok?="), "=?bad ok");
  });
});
