import { strict as assert } from "node:assert";
import { simpleParser, type AddressObject } from "mailparser";
import { compose } from "../../tools/sim900-emulator/mail/compose";
import { binary, email } from "./fixtures";

const first = (a: AddressObject | AddressObject[] | undefined) => (Array.isArray(a) ? a[0] : a)?.value ?? [];

describe("mail/compose: the message as the SIM900 builds it", () => {
  it("puts From, To and Cc with names in the headers, Bcc nowhere", async () => {
    const raw = await compose(email({ bcc: [{ address: "dave@example.com", name: "Dave Hidden" }] }));
    const text = raw.toString("latin1");
    assert.match(text, /^From: Unit Seven <unit7@example\.com>\r\n/m);
    assert.match(text, /^To: Bob Builder <bob@example\.com>\r\n/m);
    assert.match(text, /^Cc: Carol C <carol@example\.com>\r\n/m);
    assert.doesNotMatch(text, /dave|Bcc/i);
    const m = await simpleParser(raw);
    assert.deepEqual(first(m.from), [{ address: "unit7@example.com", name: "Unit Seven" }]);
    assert.equal(m.subject, "Reading 42");
  });

  it("labels an ASCII body us-ascii, 7bit, with CRLF line ends only", async () => {
    const raw = (await compose(email({ body: "line one\nline two\n" }))).toString("latin1");
    assert.match(raw, /^Content-Type: text\/plain; charset=us-ascii\r\n/m);
    assert.match(raw, /^Content-Transfer-Encoding: 7bit\r\n/m);
    assert.doesNotMatch(raw, /[^\r]\n/);
  });

  it("encodes a UTF-8 subject, names and body", async () => {
    const raw = await compose(email({
      charset: "UTF-8", subject: "Grüße aus Köln ☀", body: "Straße: 5 °C\r\n",
      from: { address: "unit7@example.com", name: "Ünit Sieben" },
    }));
    assert.doesNotMatch(raw.toString("latin1"), /[\x80-\xff]/, "headers and body must be 7-bit on the wire");
    assert.match(raw.toString("latin1"), /charset=utf-8/);
    const m = await simpleParser(raw);
    assert.equal(m.subject, "Grüße aus Köln ☀");
    assert.equal(m.text?.trim(), "Straße: 5 °C");
    assert.equal(first(m.from)[0].name, "Ünit Sieben");
  });

  it("attaches binary data as base64, byte for byte", async () => {
    const data = binary(3000);
    const raw = await compose(email({ attachment: { name: "photo.jpg", binary: true, data } }));
    const m = await simpleParser(raw);
    assert.equal(m.attachments.length, 1);
    assert.equal(m.attachments[0].filename, "photo.jpg");
    assert.ok(m.attachments[0].content.equals(data));
    assert.match(raw.toString("latin1"), /filename=photo\.jpg\r\nContent-Transfer-Encoding: base64\r\n/);
    assert.equal(m.text?.trim(), "Temperature 21.5 C\nHumidity 40 %");
  });

  it("attaches a text file as 7bit", async () => {
    const data = Buffer.from("t,temp\r\n1,21.5\r\n.2,22\r\n");
    const raw = await compose(email({ attachment: { name: "log.csv", binary: false, data } }));
    assert.match(raw.toString("latin1"), /filename=log\.csv\r\nContent-Transfer-Encoding: 7bit\r\n\r\nt,temp\r\n1,21\.5\r\n\.2,22\r\n/);
    const m = await simpleParser(raw);
    assert.equal(m.attachments[0].content.toString(), data.toString());
  });
});
