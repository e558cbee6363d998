// POP3 behaviour beyond the manual's examples: the POP3READ lock (manual 2.19), the delayed
// delivery path ("+POP3READ: 1,0" then URC 3), multi-line commands, SMTP/POP3 exclusion (1.1).
import { strict as assert } from "node:assert";
import { dotStuff, messageOfSize } from "./fake-backend";
import { ERROR, Harness, line, OK, setup, sleep } from "./harness";

async function login(h: Harness): Promise<void> {
  await h.ready();
  await h.exchange('AT+POP3SRV="mail.sim.com","john","123456"\r', OK);
  await h.exchange("AT+POP3IN\r", OK + line("+POP3IN: 1"));
}

describe("emulator: POP3", () => {
  let h: Harness;
  afterEach(() => h.close());

  it("while response data is unread only AT+POP3READ and AT+POP3OUT run (manual 2.19)", async () => {
    h = setup();
    await login(h);
    await h.exchange("AT+POP3CMD=1\r", OK + line("+POP3CMD: 1"));
    assert.equal(h.modem.state().pop3.locked, true);
    for (const cmd of ["AT", "AT+POP3NUM", "AT+CSQ", "AT+SMTPSUB?", "AT+POP3CMD=1", "ATE1"]) await h.exchange(cmd + "\r", ERROR);
    await h.exchange("AT+POP3READ=10\r", "\r\n+POP3READ: 1,10\r\n+OK\r\n1 555" + OK);
    await h.exchange("AT\r", ERROR);
    await h.exchange("AT+POP3READ=1460\r", "\r\n+POP3READ: 2,14\r\n6\r\n2 5568\r\n.\r\n" + OK);
    await h.exchange("AT\r", OK);
    await h.exchange("AT+POP3READ=1\r", ERROR); // nothing left
    // AT+POP3OUT may end a locked session: the unread data goes with it.
    await h.exchange("AT+POP3CMD=2\r", OK + line("+POP3CMD: 1"));
    await h.exchange("AT+POP3OUT\r", OK + line("+POP3OUT: 1"));
    await h.exchange("AT\r", OK);
  });

  it("LIST/UIDL/TOP multi-line responses and negative answers", async () => {
    h = setup();
    await login(h);
    await h.exchange("AT+POP3CMD=2\r", OK + line("+POP3CMD: 1"));
    const uidl = "+OK\r\n1 AAAFOpdCAAAv60+tkFqRqk3/6ogog+g\r\n2 BBBFOpdCAAAv60+tkFqRqk3/6ogog+h\r\n.\r\n";
    await h.exchange("AT+POP3READ=1460\r", "\r\n+POP3READ: 2," + uidl.length + "\r\n" + uidl + OK);
    await h.exchange("AT+POP3CMD=3,2,1\r", OK + line("+POP3CMD: 1"));
    const top = "+OK\r\nFrom: john@sim.com\r\nTo: john@sim.com\r\nSubject: Second\r\n\r\n..a line starting with a dot\r\n.\r\n";
    await h.exchange("AT+POP3READ=1460\r", "\r\n+POP3READ: 2," + top.length + "\r\n" + top + OK);
    await h.exchange("AT+POP3CMD=4,9\r", OK + line("+POP3CMD: 0"));
    await h.exchange("AT+POP3READ=10\r", ERROR);
    await h.exchange("AT+POP3LIST=9\r", OK + line("+POP3LIST: 0"));
    await h.exchange("AT+POP3UIDL=9\r", OK + line("+POP3UIDL: 0"));
    await h.exchange("AT+POP3DEL=9\r", OK + line("+POP3DEL: 0"));
    await h.exchange("AT+POP3DEL=2\r", OK + line("+POP3DEL: 1"));
    await h.exchange("AT+POP3LIST=2\r", OK + line("+POP3LIST: 0"));
    await h.exchange("AT+POP3RSET\r", OK + line("+POP3RSET: 1"));
    await h.exchange("AT+POP3LIST=2\r", OK + line("+POP3LIST: 1,2,5568"));
    assert.deepEqual(h.backend.commands.slice(0, 3), ["UIDL", "TOP 2 1", "RETR 9"]);
  });

  it("wrong credentials give the backend's +POP3IN code; POP3IN twice is ERROR", async () => {
    h = setup();
    await h.ready();
    await h.exchange('AT+POP3SRV="mail.sim.com","john","wrong"\r', OK);
    await h.exchange("AT+POP3IN\r", OK + line("+POP3IN: 68"));
    await h.exchange('AT+POP3SRV="mail.sim.com","john","123456"\r', OK);
    await h.exchange("AT+POP3IN\r", OK + line("+POP3IN: 1"));
    await h.exchange("AT+POP3IN\r", ERROR);
    await h.exchange('AT+POP3SRV="x","y","z"\r', ERROR); // not while logged in
  });

  it("network not there yet: +POP3READ: 1,0, then the URC +POP3READ: 3,<n>", async () => {
    h = setup({ pop3Delivery: { initial: 0, chunk: 3000, intervalMs: 80 } });
    await login(h);
    await h.exchange("AT+POP3CMD=4,1\r", OK + line("+POP3CMD: 1"));
    await h.exchange("AT+POP3READ=1460\r", "\r\n+POP3READ: 1,0\r\n" + OK);
    await h.waitFor("+POP3READ: 3,");
    assert.equal(h.take(), line("+POP3READ: 3,3000"));
    const raw = Buffer.concat([Buffer.from("+OK 5556 octets\r\n"), dotStuff(messageOfSize(5556, "First")), Buffer.from(".\r\n")]);
    await h.exchange("AT+POP3READ=1460\r", "\r\n+POP3READ: 1,1460\r\n" + raw.subarray(0, 1460).toString("latin1") + OK);
    await h.exchange("AT+POP3READ=1460\r", "\r\n+POP3READ: 1,1460\r\n" + raw.subarray(1460, 2920).toString("latin1") + OK);
    // Only 80 bytes have arrived: a short read, then the URC when the rest is in.
    await h.exchange("AT+POP3READ=1460\r", "\r\n+POP3READ: 1,80\r\n" + raw.subarray(2920, 3000).toString("latin1") + OK);
    await h.waitFor("+POP3READ: 3,");
    assert.equal(h.take(), line("+POP3READ: 3," + (raw.length - 3000)));
    await h.exchange("AT+POP3READ=1460\r", "\r\n+POP3READ: 1,1460\r\n" + raw.subarray(3000, 4460).toString("latin1") + OK);
    await h.exchange("AT+POP3READ=1460\r", "\r\n+POP3READ: 2," + (raw.length - 4460) + "\r\n" + raw.subarray(4460).toString("latin1") + OK);
    await h.exchange("AT\r", OK);
  });

  it("SMTP and POP3 never at the same time (manual 1.1 item 4)", async () => {
    h = setup();
    await login(h);
    await h.exchange('AT+SMTPSRV="mail.sim.com"\r', OK);
    await h.exchange('AT+SMTPFROM="john@sim.com"\r', OK);
    await h.exchange('AT+SMTPRCPT=0,0,"bob@sim.com"\r', OK);
    await h.exchange("AT+SMTPSEND\r", ERROR);
    await h.exchange("AT+POP3OUT\r", OK + line("+POP3OUT: 1"));
    await h.exchange('AT+SMTPFILE=1,"a.txt",0\r', OK);
    await h.exchange("AT+SMTPSEND\r", OK + line("+SMTPFT: 1,1360"));
    await h.exchange("AT+POP3IN\r", ERROR);
    await h.exchange("AT+SMTPFT=0\r", OK + line("+SMTPSEND: 1"));
    await h.exchange("AT+POP3IN\r", OK + line("+POP3IN: 1"));
  });

  it("a backend connection failure ends the session with +POP3OUT: <code>", async () => {
    h = setup();
    await login(h);
    // The fake session throws { code: 61 } once it is closed behind the modem's back.
    await h.exchange("AT+POP3NUM\r", OK + line("+POP3NUM: 1,2,11124"));
    const session = (h.modem as unknown as { pop3: { session: { destroy(): void } } }).pop3.session;
    session.destroy();
    await h.exchange("AT+POP3NUM\r", OK + line("+POP3OUT: 61"));
    await h.exchange("AT+POP3NUM\r", ERROR);
    await sleep(1);
  });
});
