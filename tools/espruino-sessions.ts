// The sessions npm run replay:espruino runs in the sandbox and then on Espruino: the calls of the send,
// receive and fetch suites and a sample of fault-matrix cells, as op lists (tools/espruino-script.ts),
// with the mailbox each starts from and the faults the modem shows (armed on a write, host side).
import { Op } from "./espruino-script";
import { RecordOptions, WriteHook } from "./espruino-session";
import { signConfig } from "./sign-config";

export interface Session extends RecordOptions { name: string; ops: Op[]; mailbox?: string[] }

const SERVERS = {
  apn: "internet",
  smtp: { host: "smtp.example.com", port: 25, user: "unit7", password: "secret" },
  pop3: { host: "pop.example.com", port: 110, user: "unit7", password: "secret" },
  from: { address: "unit7@example.com", name: "Unit 7" },
};
const connect = (o: Record<string, unknown> = {}): Op => ["connect", { ...SERVERS, atTimeout: 3000, serverTimeout: 8000, ...o }];
// the fault matrix's timeouts: silence costs little
const connectFast = (o: Record<string, unknown> = {}): Op => connect({ atTimeout: 300, serverTimeout: 1500, registerTimeout: 1, bearerTimeout: 1500, ...o });

/** A UTF-8 string as Espruino holds it: one character per byte. */
const utf8 = (s: string) => Buffer.from(s, "utf8").toString("latin1");

type Modem = Parameters<WriteHook>[1];

/** Each rule acts once, on the nth write (1 = first) matching `at`. */
function faults(rules: { at: RegExp; nth?: number; act: (m: Modem) => void }[]): WriteHook {
  const seen = rules.map(() => 0);
  return (d, m) => rules.forEach((r, i) => { if (r.at.test(d) && ++seen[i] === (r.nth ?? 1)) r.act(m); });
}

function message(i: number, extra = ""): string {
  return `From: Ops <ops@example.com>\r\nTo: unit7@example.com\r\nSubject: Message ${i}\r\nMessage-ID: <m${i}@example.com>\r\n\r\nBody of message ${i}\r\n${extra}`;
}

/** Lines a naive reader trips on, and bytes with the top bit set (deterministic). */
function hostileBody(size: number): string {
  const lines = [".", "..", "...x", "OK", "ERROR", "+POP3READ: 2,5", "+POP3READ: 3,10", "\x1a\x1b", "> ", "", ".\r\n."];
  let s = "";
  for (let i = 0; s.length < size; i++)
    s += (i % 3 === 2 ? Array.from({ length: 40 }, (_, k) => String.fromCharCode(0x80 | ((i * 13 + k * 7) & 0x7f))).join("") : lines[i % lines.length]) + "\r\n";
  return s;
}

const KEY = "k3y-of-unit7";
const cfg = (body: string) => "From: ops@example.com\r\nSubject: CONFIG\r\n\r\n" + body;

export const SESSIONS: Session[] = [
  {
    name: "everyday session (send with attachment, UTF-8, list, retrieve streamed and whole, fetch, refusals)",
    mailbox: [
      "From: ops@example.com\r\nSubject: big\r\n\r\n" + hostileBody(6000),
      "From: lab@example.com\r\nSubject: small\r\n\r\nhello\r\n.\r\n..\r\n",
      "From: Ops <ops@example.com>\r\nSubject: =?UTF-8?Q?CONFIG_Temp=C3=A9rature?=\r\nContent-Transfer-Encoding: base64\r\n\r\n" + Buffer.from("interval=600\r\nname=K\xfcche\r\n", "latin1").toString("base64") + "\r\n",
    ],
    ops: [
      connect({ chunk: 200, ring: 300 }),
      ["send", { to: ["ops@example.com", { address: "lab@example.com", name: "Lab" }], subject: "Reading 42", body: "t=21.5C\r\n", attachment: { name: "log.csv", bytes: 1500, piece: 170 } }],
      ["send", { to: "ops@example.com", subject: utf8("Température 21°C"), body: utf8("été ✓\r\n") }],
      ["list"],
      ["retrieve", 1, { stream: true }],
      ["retrieve", 2, null],
      ["fetch", { from: "ops@example.com", subject: "config", seen: true }, "ok"],
      ["retrieve", 999, null],
      ["send", { to: "ops@example.com", subject: "fails", body: "x" }],
      ["close"],
    ],
    onWrite: faults([{ at: /^AT\+SMTPSEND\r/, nth: 3, act: (m) => m.emu.faults.failSmtpSend(61) }]),
  },
  {
    name: "send suite (names, Cc/Bcc, UTF-8, binary and text attachments, repeats, refusals, SMTPSEND codes, bearer drop)",
    ops: [
      connect({ serverTimeout: 3000, atTimeout: 500 }),
      ["send", { to: ["ops@example.com", { address: "lab@example.com", name: "Lab" }], cc: [{ address: "boss@example.com", name: "The Boss" }], bcc: ["audit@example.com"], subject: "Reading 42", body: "t=21.5C\r\nh=40%" }],
      ["send", { to: "ops@example.com", subject: utf8("Température 21°C"), body: utf8("Grüße aus dem Keller ✓") }],
      ["send", { to: "ops@example.com", subject: "log", body: "see attachment", attachment: { name: "log.bin", binary: true, bytes: 20000, piece: 700 } }],
      ["send", { to: "ops@example.com", subject: "csv", body: "readings", attachment: { name: "log.csv", data: "time,temp\r\n" + Array.from({ length: 200 }, (_, i) => `${i},${20 + (i % 7)}`).join("\r\n") + "\r\n" } }],
      ["send", { to: ["ops@example.com", "lab@example.com"], subject: "Reading", body: "t=1" }],
      ["send", { to: ["ops@example.com", "lab@example.com"], subject: "Reading", body: "t=2" }],
      ["send", { to: ["ops@example.com"], subject: "Reading", body: "t=2" }],
      ["send", { to: 'a"b', subject: "s", body: "b" }],
      ["send", { to: "ops@example.com", subject: "s", body: "b", attachment: { name: "x\ny", data: "x" } }],
      ["send", { to: [{ address: "ops@example.com", name: "n\x00" }], subject: "s", body: "b" }],
      ["send", { to: "ops@example.com", subject: "code 62", body: "b" }],
      ["send", { to: "ops@example.com", subject: "code 67", body: "b" }],
      ["send", { to: "ops@example.com", subject: "after", body: "b" }],
      ["send", { to: "ops@example.com", subject: "drop", body: "b", attachment: { name: "d.bin", binary: true, bytes: 6000, piece: 512 } }],
      ["send", { to: "ops@example.com", subject: "after the drop", body: "b" }],
      ["close"],
    ],
    onWrite: faults([
      { at: /^AT\+SMTPSUB="code 62"/, act: (m) => m.emu.faults.failSmtpSend(62) },
      { at: /^AT\+SMTPSUB="code 67"/, act: (m) => m.emu.faults.failSmtpSend(67, "connect") },
      { at: /^AT\+SMTPSUB="drop"/, act: (m) => m.emu.faults.dropBearerAfterAttachmentBytes(2500) },
      { at: /^AT\+SMTPSUB="after the drop"/, act: (m) => m.emu.faults.dropBearerAfterAttachmentBytes(null) },
    ]),
  },
  {
    name: "receive suite (50-message list, whole, maxSize, TOP, POP3IN and POP3OUT codes, remove/undo/logout, hostile stream)",
    mailbox: [
      ...Array.from({ length: 50 }, (_, i) => message(i + 1)),
    ],
    ops: [
      connect({ serverTimeout: 3000, atTimeout: 500 }),
      ["list"],
      ["retrieve", 1, null],
      ["retrieve", 2, { maxSize: 100 }],
      ["retrieve", 3, { lines: 0 }],
      ["list"],
      ["retrieve", 4, null],
      ["list"],
      ["remove", 5],
      ["undoRemove"],
      ["remove", 6],
      ["logout"],
      ["list"],
      ["close"],
    ],
    onWrite: faults([
      { at: /^AT\+POP3SRV=/, nth: 1, act: (m) => m.emu.faults.failPop3In(65) },
      { at: /^AT\+POP3CMD=4,4/, act: (m) => m.emu.faults.failPop3Command("POP3READ", 69) },
      { at: /^AT\+POP3DEL=5/, act: (m) => m.emu.faults.failPop3Command("POP3DEL", 62) },
    ]),
  },
  {
    name: "receive suite, slow network ('+POP3READ: 3,<n>' waits) and a hostile 20 KB body streamed",
    emu: { pop3Delivery: { initial: 0, chunk: 3000, intervalMs: 30 } },
    mailbox: ["Subject: slow\r\n\r\n" + hostileBody(20000)],
    ops: [connect({ serverTimeout: 3000, atTimeout: 500 }), ["retrieve", 1, { stream: true }], ["list"], ["close"]],
  },
  {
    name: "fetch suite (QP and base64 configs, non-matches, a failing handler, a second run, signed configs, a handler that never calls done)",
    mailbox: [
      "From: Ops <ops@example.com>\r\nSubject: =?UTF-8?Q?CONFIG_Temp=C3=A9rature?=\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\ninterval=3D60\r\nname=3DK=C3=BCche\r\n",
      "From: spam@example.net\r\nSubject: CONFIG\r\n\r\ninterval=1\r\n",
      "From: ops@example.com\r\nSubject: hello\r\n\r\nnot a config\r\n",
      "From: ops@example.com\r\nSubject: CONFIG bad\r\nContent-Transfer-Encoding: base64\r\n\r\n" + Buffer.from("interval=oops").toString("base64") + "\r\n",
      cfg(signConfig(KEY, 5, "interval=60\n")),
      cfg(signConfig("not-the-key", 6, "interval=1\n")),
      cfg(signConfig(KEY, 5, "interval=60\n")),
      cfg(signConfig(KEY, 7, "interval=60\n").replace("interval=60", "interval=6")),
      cfg("interval=2\r\n"),
    ],
    ops: [
      connect({ serverTimeout: 3000, atTimeout: 500 }),
      ["fetch", { from: "ops@example.com", subject: "CONFIG", seen: true }, "fail"],
      ["fetch", { from: "ops@example.com", subject: "CONFIG", seen: true }, "ok"],
      ["fetch", { from: "ops", subject: "CONFIG", key: KEY }, "ok"],
      ["fetch", { from: "ops", subject: "config", handlerTimeout: 200 }, "never"],
      ["close"],
    ],
  },
  ...faultCells(),
];

/** A sample of fault-matrix cells: the fault on one command, then the same call again, healthy. */
function faultCells(): Session[] {
  const GARBAGE = "\x00\xff\x1b\x7f#%garbage\xfe\x80";
  const LONG_LINE = "\r\n+CUSD: " + "x".repeat(300) + "\r\n";
  const send: Op = ["send", { to: "ops@example.com", subject: "matrix", body: "cell", attachment: { name: "m.bin", binary: true, bytes: 1500 } }];
  const plain: Op = ["send", { to: "ops@example.com", subject: "matrix", body: "cell" }];
  type Act = (m: Modem) => void;
  const cells: [string, RegExp, Act, Op][] = [
    ["AT+CPIN? × ERROR", /^AT\+CPIN\?/, (m) => m.emu.faults.errorOn("CPIN"), plain],
    ["AT+CREG? × SILENCE", /^AT\+CREG\?/, (m) => m.emu.faults.silenceOn("CREG"), plain],
    ["AT+SAPBR=1 × REBOOT", /^AT\+SAPBR=1,/, (m) => m.emu.faults.rebootOn("SAPBR"), plain],
    ["AT+EMAILCID × GARBAGE", /^AT\+EMAILCID=/, (m) => m.inject(GARBAGE), plain],
    ["SMTPSUB × LONG", /^AT\+SMTPSUB=/, (m) => m.inject(LONG_LINE), plain],
    ["SMTPBODY × REBOOT", /^AT\+SMTPBODY/, (m) => m.emu.faults.rebootOn("SMTPBODY"), plain],
    ["SMTPFT × SILENCE", /^AT\+SMTPFT=[1-9]/, (m) => m.emu.faults.silenceOn("SMTPFT"), send],
    ["SMTPFT × DEACT", /^AT\+SMTPFT=[1-9]/, (m) => { m.emu.dropBearer(1); }, send],
    ["SMTPSEND × +SMTPSEND: 64 (connect, attachment)", /^AT\+SMTPSEND\r/, (m) => m.emu.faults.failSmtpSend(64, "connect"), send],
    ["SMTPFT=0 × +SMTPSEND: 66 (final)", /^AT\+SMTPFT=0\r/, (m) => m.emu.faults.failSmtpSend(66, "final"), send],
    ["POP3IN × +POP3IN: 80", /^AT\+POP3IN\r/, (m) => m.emu.faults.failPop3In(80), ["list"]],
    ["POP3CMD × ERROR", /^AT\+POP3CMD=/, (m) => m.emu.faults.errorOn("POP3CMD"), ["list"]],
    ["POP3READ × +POP3OUT: 64", /^AT\+POP3READ=/, (m) => m.emu.faults.failPop3Command("POP3READ", 64), ["retrieve", 1, null]],
    ["POP3READ × GARBAGE", /^AT\+POP3READ=/, (m) => m.inject(GARBAGE), ["retrieve", 1, null]],
    ["POP3READ × DEACT", /^AT\+POP3READ=/, (m) => { m.emu.dropBearer(1); }, ["retrieve", 1, null]],
    ["POP3CMD × server -ERR", /^AT\+POP3CMD=/, () => undefined, ["retrieve", 999, null]],
    ["POP3OUT × +POP3OUT: 83", /^AT\+POP3OUT\r/, (m) => m.emu.faults.failPop3Command("POP3OUT", 83), ["logout"]],
  ];
  return cells.map(([name, at, act, op]) => ({
    name: "fault cell " + name,
    mailbox: [message(1), message(2)],
    ops: [connectFast(), ...(op[0] === "logout" ? [["list"] as Op] : []), op, op, ["close"] as Op],
    onWrite: faults([{ at, act }]),
  }));
}
