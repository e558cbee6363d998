import { strict as assert } from "node:assert";
import * as net from "node:net";
import { simpleParser } from "mailparser";
import { createBackend, type EmailBackend } from "../../tools/sim900-emulator/mail";
import { binary, closedPort, email } from "./fixtures";

const ACCOUNTS = [{ user: "unit7", pass: "secret" }, { user: "bob", pass: "b0b" }, { user: "dave", pass: "d4ve" }];

describe("mail backend: SMTP into the embedded mail system", () => {
  let backend: EmailBackend;
  before(async () => { backend = createBackend({ accounts: ACCOUNTS }); await backend.ready; });
  after(() => backend.close());
  beforeEach(() => { for (const a of ACCOUNTS) backend.mailbox(a.user).length = 0; });

  it("delivers to To, Cc (catch-all) and Bcc mailboxes, Bcc absent from the headers", async () => {
    const code = await backend.send(email({ bcc: [{ address: "dave@example.com", name: "Dave Hidden" }] }));
    assert.equal(code, 1);
    // bob@ → bob; carol@ has no account → the first account (unit7); dave@ → dave
    for (const u of ["bob", "unit7", "dave"]) assert.equal(backend.mailbox(u).length, 1, u);
    const raw = backend.mailbox("dave")[0].raw;
    assert.doesNotMatch(raw.toString("latin1"), /dave|^Bcc:/im);
    const m = await simpleParser(raw);
    assert.deepEqual(m.from?.value, [{ address: "unit7@example.com", name: "Unit Seven" }]);
    assert.equal(m.subject, "Reading 42");
    assert.deepEqual(Array.isArray(m.to) ? [] : m.to?.value, [{ address: "bob@example.com", name: "Bob Builder" }]);
    assert.deepEqual(Array.isArray(m.cc) ? [] : m.cc?.value, [{ address: "carol@example.com", name: "Carol C" }]);
  });

  it("any host name reaches it, over implicit TLS too, with a UTF-8 message and a binary attachment", async () => {
    const data = binary(20000);
    const code = await backend.send(email({
      smtp: { host: "mail.somewhere.example.org", port: 465, ssl: true, auth: { user: "unit7", pass: "secret" } },
      charset: "UTF-8", subject: "Überwachung ✓", body: "Füllstand 80 %\r\n",
      attachment: { name: "data.bin", binary: true, data },
    }));
    assert.equal(code, 1);
    const m = await simpleParser(backend.mailbox("bob")[0].raw);
    assert.equal(m.subject, "Überwachung ✓");
    assert.equal(m.text?.trim(), "Füllstand 80 %");
    assert.ok(m.attachments[0].content.equals(data));
  });

  it("wrong password → 67, no AUTH → 66, nothing delivered", async () => {
    assert.equal(await backend.send(email({ smtp: { host: "smtp.example.com", port: 25, ssl: false, auth: { user: "unit7", pass: "nope" } } })), 67);
    assert.equal(await backend.send(email({ smtp: { host: "smtp.example.com", port: 25, ssl: false } })), 66);
    assert.equal(backend.mailbox("bob").length, 0);
  });

  it("a recipient in an .invalid domain → 68", async () => {
    assert.equal(await backend.send(email({ to: [{ address: "nobody@nowhere.invalid" }], cc: [] })), 68);
  });

  it("a host name that does not resolve → 62", async () => {
    assert.equal(await backend.send(email({ smtp: { host: "nonexistent.invalid", port: 25, ssl: false } })), 62);
  });

  it("a closed port → 63", async () => {
    const port = await closedPort();
    const b = createBackend({ smtp: `127.0.0.1:${port}` });
    try { assert.equal(await b.send(email()), 63); } finally { await b.close(); }
  });

  it("a server that never greets → 64 within the AT+EMAILTO timeout", async () => {
    const silent = net.createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", () => r()));
    backend.setHost("silent.example.com", `127.0.0.1:${(silent.address() as net.AddressInfo).port}`);
    const t = Date.now();
    try {
      assert.equal(await backend.send(email({ smtp: { host: "silent.example.com", port: 25, ssl: false }, timeoutMs: 300 })), 64);
      assert.ok(Date.now() - t < 3000);
    } finally {
      silent.close();
    }
  });

  it("TLS to a plain SMTP port → 83; a certificate check of the self-signed one → 83", async () => {
    backend.setHost("plain.example.com", `127.0.0.1:${backend.smtpPort}`);
    assert.equal(await backend.send(email({ smtp: { host: "plain.example.com", port: 465, ssl: true, auth: { user: "unit7", pass: "secret" } } })), 83);
    const strict = createBackend({ smtp: `127.0.0.1:${backend.smtpsPort}`, pop3: "127.0.0.1:1", rejectUnauthorized: true });
    try {
      assert.equal(await strict.send(email({ smtp: { host: "smtp.example.com", port: 465, ssl: true, auth: { user: "unit7", pass: "secret" } } })), 83);
    } finally { await strict.close(); }
  });
});
