// Against a real Dovecot (Debian dovecot-pop3d), started once for this file. Without Dovecot the file
// is skipped with a line saying how to install it; .ci/run installs it and sets REQUIRE_DOVECOT=1.
import { strict as assert } from "node:assert";
import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { simpleParser } from "mailparser";
import { createBackend, type EmailBackend } from "../../tools/sim900-emulator/mail";
import { startDovecot, type Dovecot } from "../helpers/dovecot";
import { startMailServer, type MailServer } from "../helpers/mailserver";
import { DOVECOT, need } from "../helpers/system-tools";
import { binary, email, login } from "./fixtures";
import { definePop3Cases } from "./pop3-cases";

describe("mail backend against Dovecot (POP3, POP3S) and an SMTP → Maildir server", function () {
  this.timeout(20000);
  let dovecot: Dovecot;
  let smtp: MailServer;
  let backend: EmailBackend;       // SMTP and POP3 → outside servers, plain
  let secure: EmailBackend;        // SMTPS and POP3S → outside servers, implicit TLS

  before(async function () {
    need(this, DOVECOT);
    dovecot = await startDovecot();
    smtp = await startMailServer({ maildir: dovecot.maildir, owner: process.getuid?.() === 0 ? dovecot.owner : undefined,
      accounts: [{ user: dovecot.user, pass: dovecot.pass }], tls: dovecot.cert });
    backend = createBackend({ smtp: `127.0.0.1:${smtp.port}`, pop3: `127.0.0.1:${dovecot.pop3Port}` });
    secure = createBackend({ smtp: `127.0.0.1:${smtp.securePort}`, pop3: `127.0.0.1:${dovecot.pop3sPort}` });
  });
  after(async () => {
    await Promise.all([backend?.close(), secure?.close(), smtp?.stop()]);
    await dovecot?.stop();
  });

  const clear = async () => {
    for (const sub of ["new", "cur"]) {
      for (const f of await readdir(join(dovecot.maildir, sub))) await rm(join(dovecot.maildir, sub, f), { force: true });
    }
  };
  const outside = (ssl: boolean) => () => ({
    backend: ssl ? secure : backend,
    login: { host: ssl ? "pop.example.com" : "mail.example.com", port: ssl ? 995 : 110, ssl },
    deliver: (raw: string) => dovecot.deliver(raw),
    clear,
  });

  describe("POP3", () => definePop3Cases(outside(false)));
  describe("POP3S", () => definePop3Cases(outside(true)));

  for (const ssl of [false, true]) {
    it(`round trip ${ssl ? "SMTPS → Maildir → POP3S" : "SMTP → Maildir → POP3"}: 100 KB binary attachment, UTF-8 subject`, async () => {
      await clear();
      const b = ssl ? secure : backend;
      const data = binary(100 * 1024, ssl ? 3 : 5);
      const code = await b.send(email({
        smtp: { host: "smtp.example.com", port: ssl ? 465 : 25, ssl, auth: { user: "unit7", pass: "secret" } },
        to: [{ address: "unit7@example.com", name: "Ünit 7" }],
        charset: "UTF-8", subject: "Messwerte für März ✓", body: "Anbei die Daten.\r\n",
        attachment: { name: "samples.bin", binary: true, data },
      }));
      assert.equal(code, 1);
      const r = await b.pop3Login(login({ ssl, port: ssl ? 995 : 110 }));
      assert.equal(r.code, 1);
      const s = r.session!;
      const retr = await s.command("RETR 1", true);
      assert.ok(retr.ok);
      // Undo the POP3 framing the way the module must: drop status and dot line, un-stuff.
      const text = retr.raw.toString("latin1");
      const message = text.slice(retr.status.length + 2, -3).replace(/^\.\./gm, ".");
      const m = await simpleParser(Buffer.from(message, "latin1"));
      assert.equal(m.subject, "Messwerte für März ✓");
      assert.equal(m.text?.trim(), "Anbei die Daten.");
      assert.equal(m.attachments.length, 1);
      assert.equal(m.attachments[0].filename, "samples.bin");
      assert.ok(m.attachments[0].content.equals(data), "attachment bytes survive the round trip");
      assert.equal(await s.quit(), 1);
    });
  }

  it("SMTP wrong password → 67 at the outside server", async () => {
    assert.equal(await backend.send(email({ smtp: { host: "smtp.example.com", port: 25, ssl: false, auth: { user: "unit7", pass: "bad" } } })), 67);
  });
});
