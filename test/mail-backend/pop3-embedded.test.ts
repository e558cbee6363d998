import { strict as assert } from "node:assert";
import { createBackend, type EmailBackend } from "../../tools/sim900-emulator/mail";
import * as net from "node:net";
import { closedPort, login } from "./fixtures";
import { definePop3Cases } from "./pop3-cases";
import { dotStuff } from "../../tools/sim900-emulator/mail/pop3-format";

describe("mail backend: POP3 against the embedded server", () => {
  let backend: EmailBackend;
  before(async () => { backend = createBackend(); await backend.ready; });
  after(() => backend.close());
  const embedded = (ssl: boolean) => () => ({
    backend,
    login: { host: ssl ? "pop.gmail.example" : "pop.example.com", port: ssl ? 995 : 110, ssl },
    deliver: async (raw: string) => backend.deliver("unit7", raw),
    clear: async () => { backend.mailbox("unit7").length = 0; },
  });

  it("dot-stuffs lines that start with '.' after CRLF only: a '.' after a bare CR or LF is mid-line (RFC 1939 3)", () => {
    const got = dotStuff(Buffer.from(".a\r\n.\r\nx\r.y\nz\n.w\r\n..\r\n", "latin1")).toString("latin1");
    assert.equal(got, "..a\r\n..\r\nx\r.y\nz\n.w\r\n...\r\n.\r\n");
  });

  describe("plain", () => definePop3Cases(embedded(false)));
  describe("POP3S", () => definePop3Cases(embedded(true)));

  it("failures: DNS 62, refused 63, silent 64, TLS to a plain port 83", async () => {
    assert.equal((await backend.pop3Login(login({ host: "nonexistent.invalid" }))).code, 62);
    const b = createBackend({ pop3: `127.0.0.1:${await closedPort()}`, smtp: "127.0.0.1:1" });
    try { assert.equal((await b.pop3Login(login())).code, 63); } finally { await b.close(); }
    backend.setHost("plain.example.com", `127.0.0.1:${backend.pop3Port}`);
    assert.equal((await backend.pop3Login(login({ host: "plain.example.com", ssl: true }))).code, 83);
    const silent = net.createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", () => r()));
    backend.setHost("silent.example.com", `127.0.0.1:${(silent.address() as net.AddressInfo).port}`);
    try { assert.equal((await backend.pop3Login(login({ host: "silent.example.com", timeoutMs: 200 }))).code, 64); }
    finally { silent.close(); }
  });
});
