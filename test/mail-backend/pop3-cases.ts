// POP3 behaviour every server behind the backend must show (the embedded one and Dovecot alike),
// checked through the backend's POP3 client on the raw bytes the modem would relay.
import { strict as assert } from "node:assert";
import type { MailBackend, Pop3Login, Pop3Session } from "../../tools/sim900-emulator/backend";
import { dotStuff, topOf } from "../../tools/sim900-emulator/mail/pop3-format";
import { login, trickyMessage } from "./fixtures";

export interface Pop3Target {
  backend: MailBackend;
  login: Partial<Pop3Login>;              // host/port/ssl as the modem would give them
  deliver(raw: string): Promise<unknown>; // into the account's maildrop
  clear(): Promise<void>;                 // empty the maildrop
}

const crlf = (s: string) => Buffer.from(s.replace(/\r?\n/g, "\r\n"), "latin1");

export function definePop3Cases(target: () => Pop3Target): void {
  let session: Pop3Session | undefined;
  const open = async () => {
    const t = target();
    const r = await t.backend.pop3Login(login(t.login));
    assert.equal(r.code, 1, "+POP3IN code");
    return (session = r.session!);
  };
  const a = trickyMessage("alpha"), b = trickyMessage("bravo");

  beforeEach(async () => {
    await target().clear();
    await target().deliver(a);
    await target().deliver(b);
  });
  afterEach(() => { session?.destroy(); session = undefined; });

  it("wrong password → +POP3IN: 68", async () => {
    const t = target();
    assert.equal((await t.backend.pop3Login(login({ ...t.login, pass: "wrong" }))).code, 68);
  });

  it("STAT, LIST and UIDL (multi-line and single), with the dot line", async () => {
    const s = await open();
    const stat = await s.command("STAT", false);
    const size = crlf(a).length;
    assert.equal(stat.status, `+OK 2 ${size * 2}`);
    assert.deepEqual(stat.raw, Buffer.from(stat.status + "\r\n"));
    const list = await s.command("LIST", true);
    assert.ok(list.ok);
    assert.equal(list.raw.toString("latin1").slice(list.status.length), `\r\n1 ${size}\r\n2 ${size}\r\n.\r\n`);
    const uidl = await s.command("UIDL", true);
    const m = /^\+OK[^\r]*\r\n1 (\S+)\r\n2 (\S+)\r\n\.\r\n$/.exec(uidl.raw.toString("latin1"));
    assert.ok(m, uidl.raw.toString("latin1"));
    assert.notEqual(m[1], m[2]);
    assert.equal((await s.command("UIDL 2", false)).status, `+OK 2 ${m[2]}`);
    assert.equal((await s.command("LIST 1", false)).status, `+OK 1 ${size}`);
    const bad = await s.command("LIST 9", false);
    assert.equal(bad.ok, false);
    assert.ok(bad.status.startsWith("-ERR"));
    assert.equal(await s.quit(), 1);
  });

  it("RETR and TOP give the message dot-stuffed, byte for byte", async () => {
    const s = await open();
    const retr = await s.command("RETR 1", true);
    assert.ok(retr.ok);
    assert.match(retr.status, /^\+OK/);
    const body = retr.raw.subarray(retr.status.length + 2);
    assert.deepEqual(body.toString("latin1"), dotStuff(crlf(a)).toString("latin1"));
    assert.match(body.toString("latin1"), /\r\n\.\.\r\n\.\.hidden\r\n\.\.\.double\r\n/);
    const top = await s.command("TOP 2 2", true);
    assert.equal(top.raw.subarray(top.status.length + 2).toString("latin1"), dotStuff(topOf(crlf(b), 2)).toString("latin1"));
    assert.ok(top.raw.toString("latin1").endsWith("\r\nfirst line\r\n..\r\n.\r\n"));
    assert.equal(await s.quit(), 1);
  });

  it("DELE marks, RSET unmarks, only QUIT deletes; a dropped session deletes nothing", async () => {
    let s = await open();
    assert.ok((await s.command("DELE 1", false)).ok);
    assert.equal((await s.command("RETR 1", true)).ok, false, "a deleted message is gone for the session");
    assert.match((await s.command("STAT", false)).status, /^\+OK 1 /);
    assert.ok((await s.command("RSET", false)).ok);
    assert.match((await s.command("STAT", false)).status, /^\+OK 2 /);
    assert.ok((await s.command("DELE 2", false)).ok);
    s.destroy();

    s = await open();
    assert.match((await s.command("STAT", false)).status, /^\+OK 2 /, "no QUIT, no deletion");
    assert.ok((await s.command("DELE 1", false)).ok);
    assert.ok((await s.command("NOOP", false)).ok);
    assert.equal(await s.quit(), 1);

    s = await open();
    assert.match((await s.command("STAT", false)).status, /^\+OK 1 /);
    const retr = await s.command("RETR 1", true);
    assert.match(retr.raw.toString("latin1"), /Subject: bravo/);
    assert.equal(await s.quit(), 1);
  });

  it("an empty maildrop lists as status line and dot line", async () => {
    await target().clear();
    const s = await open();
    const list = await s.command("LIST", true);
    assert.equal(list.raw.toString("latin1"), list.status + "\r\n.\r\n");
    assert.equal(await s.quit(), 1);
  });
}
