// Fault matrix: every AT command the module issues × every failure the manual documents for it
// (ERROR, its result codes) and the generic ones (silence, bearer drop, reboot, garbage before the
// answer, an over-long response line). For each cell: the operation's callback runs exactly once with
// the right error, nothing escapes, and the next operation succeeds once the modem is healthy again.
// No timer or port listener is left after close().
import { strict as assert } from "node:assert";
import { createFaultyRig, FaultyRig, activeTimers, sleep } from "./helpers/rig-faulty";
import { sharedBackend } from "./helpers/rig";
import { model, target } from "./target";

// Small timeouts so silence costs little; registerTimeout 1 s = one CREG?/CGATT? poll, so an error
// there is reported instead of being polled for a minute.
const MOD = { atTimeout: 300, serverTimeout: 1500, registerTimeout: 1, bearerTimeout: 1500 };
const SETTLE = 30; // ms to wait after a callback for a second one
const GARBAGE = "\x00\xff\x1b\x7f#%garbage\xfe\x80";
const LONG_LINE = "\r\n+CUSD: " + "x".repeat(300) + "\r\n";
// The SSL codes 80..84 exist on the SIM900 only (SIM800 V1.09 has no SSL).
const SSL_CODES = model === "sim900" ? [80, 81, 82, 83, 84] : [];
const SMTP_CODES = [61, 62, 63, 64, 65, 66, 67, 68, ...SSL_CODES];
const POP3OUT_CODES = [61, 62, 63, 64, ...SSL_CODES];

type Fault =
  | { k: "ERROR" | "SILENCE" | "REBOOT" | "DEACT" | "GARBAGE" | "LONG" | "NEGATIVE" }
  | { k: "SMTPSEND"; code: number; step: "connect" | "final" }
  | { k: "POP3IN"; code: number }
  | { k: "POP3OUT"; code: number };

type Expect = "ok" | { type?: string; code?: number; command: string | RegExp };

interface Cell {
  name: string;
  /** The command line (as written, with its CR) where the fault strikes. */
  at: RegExp;
  /** The emulator's name for it (faults.ts: "" is plain AT, "E" is ATE0). */
  emu: string;
  fault: Fault;
  expect: Expect;
  /** The operation under test. */
  op: "connect" | "send" | "sendPlain" | "list" | "retrieve" | "retrieve999" | "remove" | "remove999" | "undoRemove" | "logout";
}

const GENERIC: Fault["k"][] = ["ERROR", "SILENCE", "REBOOT", "DEACT", "GARBAGE", "LONG"];

function generic(k: Fault["k"], command: string | RegExp): Expect {
  switch (k) {
    case "ERROR": return { type: "ERROR", command };
    case "SILENCE": return { type: "TIMEOUT", command };
    case "REBOOT": return { type: "REBOOT", command };
    case "DEACT": return { type: "DEACT", command };
    case "LONG": return { type: "OVERFLOW", command };
    default: return "ok";
  }
}

function describeFault(f: Fault): string {
  return "code" in f ? `${f.k} ${f.code}${"step" in f ? " (" + f.step + ")" : ""}` : f.k;
}

// ---- the table ---------------------------------------------------------------------------------

const CONNECT: { label: string; at: RegExp; emu: string; command: string | RegExp }[] = [
  // the sync step: ATI (its answer names the model while it is not known)
  { label: "ATI", at: /^ATI\r$/, emu: "I", command: "I" },
  { label: "ATE0", at: /^ATE0\r$/, emu: "E", command: /^E0?$/ },
  { label: "AT+CPIN?", at: /^AT\+CPIN\?/, emu: "CPIN", command: "CPIN" },
  { label: "AT+CREG?", at: /^AT\+CREG\?/, emu: "CREG", command: "CREG" },
  { label: "AT+CGATT?", at: /^AT\+CGATT\?/, emu: "CGATT", command: "CGATT" },
  { label: "AT+SAPBR=3 Contype", at: /^AT\+SAPBR=3,1,"Contype"/, emu: "SAPBR", command: "SAPBR" },
  { label: "AT+SAPBR=3 APN", at: /^AT\+SAPBR=3,1,"APN"/, emu: "SAPBR", command: "SAPBR" },
  { label: "AT+SAPBR=2", at: /^AT\+SAPBR=2,/, emu: "SAPBR", command: "SAPBR" },
  { label: "AT+SAPBR=1", at: /^AT\+SAPBR=1,/, emu: "SAPBR", command: "SAPBR" },
  { label: "AT+EMAILCID", at: /^AT\+EMAILCID=/, emu: "EMAILCID", command: "EMAILCID" },
  { label: "AT+EMAILTO", at: /^AT\+EMAILTO=/, emu: "EMAILTO", command: "EMAILTO" },
  // the SIM800 has no AT+EMAILSSL: the module never sends it there
  ...(model === "sim900" ? [{ label: "AT+EMAILSSL", at: /^AT\+EMAILSSL=/, emu: "EMAILSSL", command: "EMAILSSL" }] : []),
];

const SMTP = ["SMTPRCPT", "SMTPSRV", "SMTPAUTH", "SMTPFROM", "SMTPCS", "SMTPSUB", "SMTPBODY", "SMTPFILE", "SMTPSEND", "SMTPFT"];
const POP3: { cmd: string; op: Cell["op"]; codes: number[]; negative?: Cell["op"] }[] = [
  { cmd: "POP3SRV", op: "list", codes: [] },
  { cmd: "POP3IN", op: "list", codes: [] },
  { cmd: "POP3CMD", op: "list", codes: POP3OUT_CODES, negative: "retrieve999" },
  { cmd: "POP3READ", op: "retrieve", codes: [61, 62, 63, 64, 69, ...SSL_CODES] },
  { cmd: "POP3DEL", op: "remove", codes: POP3OUT_CODES, negative: "remove999" },
  { cmd: "POP3RSET", op: "undoRemove", codes: POP3OUT_CODES },
  // SIM800 V1.09 p310: AT+POP3OUT's own table adds 69 (read data timeout)
  { cmd: "POP3OUT", op: "logout", codes: model === "sim800" ? [...POP3OUT_CODES, 69] : POP3OUT_CODES },
];

function buildCells(): { connect: Cell[]; smtp: Cell[]; pop3: Cell[] } {
  const connect: Cell[] = [];
  for (const c of CONNECT)
    for (const k of GENERIC)
      connect.push({
        name: `${c.label} × ${k}`, at: c.at, emu: c.emu, fault: { k } as Fault, op: "connect",
        // The sync step repeats ATI until the modem answers: any fault there is absorbed.
        expect: c.label === "ATI" ? "ok" : generic(k, c.command),
      });

  const smtp: Cell[] = [];
  for (const cmd of SMTP) {
    const at = cmd === "SMTPFT" ? /^AT\+SMTPFT=[1-9]/ : new RegExp("^AT\\+" + cmd + "(=|\\r)");
    for (const k of GENERIC) {
      // SMTPFT × SILENCE: the module pads the n bytes the modem may be waiting for, then closes the
      // bearer (which ends the open send); a modem that never took the command ignores the padding (V.250).
      smtp.push({ name: `${cmd} × ${k}`, at, emu: cmd, fault: { k } as Fault, op: "send", expect: generic(k, cmd) });
    }
  }
  for (const code of SMTP_CODES) {
    // right after AT+SMTPSEND's OK (connecting), with and without an attachment
    smtp.push({ name: `SMTPSEND × +SMTPSEND: ${code} (connect, attachment)`, at: /^AT\+SMTPSEND\r/, emu: "SMTPSEND", fault: { k: "SMTPSEND", code, step: "connect" }, op: "send", expect: { code, command: "SMTPSEND" } });
    // the final result of an email without attachment
    smtp.push({ name: `SMTPSEND × +SMTPSEND: ${code} (final)`, at: /^AT\+SMTPSEND\r/, emu: "SMTPSEND", fault: { k: "SMTPSEND", code, step: "final" }, op: "sendPlain", expect: { code, command: "SMTPSEND" } });
    // the final result after the attachment's AT+SMTPFT=0
    smtp.push({ name: `SMTPFT=0 × +SMTPSEND: ${code} (final)`, at: /^AT\+SMTPFT=0\r/, emu: "SMTPFT", fault: { k: "SMTPSEND", code, step: "final" }, op: "send", expect: { code, command: "SMTPSEND" } });
  }

  const pop3: Cell[] = [];
  for (const p of POP3) {
    const at = new RegExp("^AT\\+" + p.cmd + "(=|\\r)");
    for (const k of GENERIC) {
      let expect = generic(k, p.cmd);
      // An ERROR to AT+POP3SRV makes the module log out and set the server again: the call succeeds.
      if (p.cmd === "POP3SRV" && k === "ERROR") expect = "ok";
      // A bearer drop mid-read reaches the read as "+POP3OUT: 61" (manual 2.19) as often as DEACT.
      if (p.cmd === "POP3READ" && k === "DEACT") expect = { command: p.cmd };
      pop3.push({ name: `${p.cmd} × ${k}`, at, emu: p.cmd, fault: { k } as Fault, op: p.op, expect });
    }
    for (const code of p.codes)
      pop3.push({ name: `${p.cmd} × +POP3OUT: ${code}`, at, emu: p.cmd, fault: { k: "POP3OUT", code }, op: p.op, expect: { code, command: p.cmd } });
    if (p.negative)
      pop3.push({ name: `${p.cmd} × server -ERR (+${p.cmd}: 0)`, at, emu: p.cmd, fault: { k: "NEGATIVE" }, op: p.negative, expect: { type: "SERVER", command: p.cmd } });
  }
  for (const code of [...SMTP_CODES])
    pop3.push({ name: `POP3IN × +POP3IN: ${code}`, at: /^AT\+POP3IN\r/, emu: "POP3IN", fault: { k: "POP3IN", code }, op: "list", expect: { code, command: "POP3IN" } });
  return { connect, smtp, pop3 };
}

const CELLS = buildCells();
const TOTAL = CELLS.connect.length + CELLS.smtp.length + CELLS.pop3.length;

// ---- running a cell ------------------------------------------------------------------------------

function bearerOpen(rig: FaultyRig): boolean {
  return rig.emu.state().bearers.some((b) => b.cid === 1 && b.open);
}

function arm(rig: FaultyRig, cell: Cell) {
  const f = cell.fault;
  rig.port.arm(cell.at, () => {
    const faults = rig.emu.faults;
    switch (f.k) {
      case "ERROR": faults.errorOn(cell.emu); break;
      case "SILENCE": faults.silenceOn(cell.emu); break;
      case "REBOOT": faults.rebootOn(cell.emu); break;
      case "DEACT":
        // the network closes the bearer just as the command goes out; before the bearer is up the
        // emulator cannot, so the URC is slipped in by the port
        if (!(bearerOpen(rig) && rig.emu.dropBearer(1))) rig.port.inject("\r\n+SAPBR 1: DEACT\r\n");
        break;
      case "GARBAGE": rig.port.inject(GARBAGE); break;
      case "LONG": rig.port.inject(LONG_LINE); break;
      case "SMTPSEND": faults.failSmtpSend(f.code, f.step); break;
      case "POP3IN": faults.failPop3In(f.code); break;
      case "POP3OUT": faults.failPop3Command(cell.emu, f.code); break;
      case "NEGATIVE": break; // the operation itself asks for a message that does not exist
    }
  });
}

const ATTACHMENT = { name: "m.bin", binary: true, data: new Uint8Array(1500).map((_, i) => (i * 7) & 255) };
function opArgs(op: Cell["op"]): [string, unknown[]] {
  switch (op) {
    case "send": return ["send", [{ to: "ops@example.com", subject: "matrix", body: "cell", attachment: ATTACHMENT }]];
    case "sendPlain": return ["send", [{ to: "ops@example.com", subject: "matrix", body: "cell" }]];
    case "retrieve": return ["retrieve", [1, null]];
    case "retrieve999": return ["retrieve", [999, null]];
    case "remove": return ["remove", [1]];
    case "remove999": return ["remove", [999]];
    default: return [op, []];
  }
}

function checkError(err: any, expect: Expect, where: string) {
  if (expect === "ok") {
    assert.equal(err ?? null, null, `${where}: expected success, got ${err && (err.type || err.code)} ${err && err.command}: ${err && err.message}`);
    return;
  }
  assert.ok(err, `${where}: expected an error, got success`);
  assert.ok(typeof err === "object" && typeof err.message === "string", `${where}: not an Error: ${err}`);
  const got = `type=${err.type} code=${err.code} command=${err.command} "${err.message}"`;
  if (expect.code !== undefined) assert.equal(err.code, expect.code, `${where}: ${got}`);
  if (expect.type !== undefined) assert.equal(err.type, expect.type, `${where}: ${got}`);
  if (typeof expect.command === "string") assert.equal(err.command, expect.command, `${where}: ${got}`);
  else assert.match(String(err.command), expect.command, `${where}: ${got}`);
}

/** The first callback's arguments, checking that it was the only one. */
function only(calls: any[][], where: string): any[] {
  assert.equal(calls.length, 1, `${where}: callback ran ${calls.length} times`);
  return calls[0];
}

/** A stuck modem can keep the module busy for its whole sync loop (10 × 1 s): give up sooner. */
const RECOVER_MS = 4000;
function capped(p: Promise<any[][]>): Promise<any[][]> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new assert.AssertionError({ message: `the next operation did not complete within ${RECOVER_MS} ms` })), RECOVER_MS);
  });
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}

const uncaught: any[] = [];
const onUncaught = (e: any) => uncaught.push(e);

describe(`fault matrix @dist @model (${target}, ${model})`, function () {
  this.timeout(30000);
  const started = Date.now();
  before(() => {
    process.on("uncaughtException", onUncaught);
    process.on("unhandledRejection", onUncaught);
  });
  after(() => {
    process.removeListener("uncaughtException", onUncaught);
    process.removeListener("unhandledRejection", onUncaught);
    console.log(`      fault matrix (${target}): ${TOTAL} cells (connect ${CELLS.connect.length}, send ${CELLS.smtp.length}, receive ${CELLS.pop3.length}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });
  afterEach(function () {
    assert.deepEqual(uncaught.map(String), [], "no exception escaped");
  });

  it(`has hundreds of cells (${TOTAL})`, () => {
    assert.ok(TOTAL >= 200, String(TOTAL));
  });

  describe("connect sequence (fresh modem per cell)", () => {
    before(async () => { await sharedBackend(); });
    for (const cell of CELLS.connect) {
      it(cell.name, async () => {
        await sleep(1); // mocha's own timer for this test is up by now
        const timers = activeTimers();
        const rig = await createFaultyRig({ mod: MOD });
        try {
          arm(rig, cell);
          const calls: any[] = [];
          await new Promise<void>((resolve) => {
            rig.connect().then((e) => { calls.push(e); resolve(); });
          });
          await sleep(SETTLE);
          assert.equal(rig.port.armed(), false, "the fault was never reached");
          checkError(calls[0], cell.expect, cell.name);
          // once healthy, the next operation works (it prepares the modem again if needed)
          const sent = await capped(rig.callOnce("send", [{ to: "ops@example.com", subject: "after " + cell.name, body: "ok" }]));
          checkError(only(sent, "next send")[0], "ok", "next send");
        } finally {
          await rig.stop();
        }
        assert.equal(rig.port.listenerCount(), 0, "port listeners left after close");
        await sleep(5);
        assert.ok(activeTimers() <= timers, `timers left after close: ${activeTimers()} > ${timers} ${process.getActiveResourcesInfo()}`);
      });
    }
  });

  function group(title: string, cells: Cell[], prepare: (rig: FaultyRig, cell: Cell) => Promise<void>, recover: (rig: FaultyRig) => Promise<any[][]>) {
    describe(title, () => {
      let rig: FaultyRig;
      let timers = 0;
      async function fresh() {
        rig = await createFaultyRig({ mod: MOD });
        const err = await rig.connect();
        assert.equal(err, null, "connect");
      }
      before(async () => {
        await sharedBackend();
        await sleep(1);
        timers = activeTimers();
        await fresh();
      });
      for (const cell of cells)
        it(cell.name, async () => {
          let healthy = false;
          try {
            await prepare(rig, cell);
            arm(rig, cell);
            const [method, args] = opArgs(cell.op);
            const calls = await rig.callOnce(method, args, SETTLE);
            const e0 = calls[0] && calls[0][0];
            assert.equal(rig.port.armed(), false, `the fault was never reached (the operation ended with ${e0 ? e0.type + "/" + e0.code + " " + e0.command + ": " + e0.message : "success"})`);
            checkError(only(calls, cell.name)[0], cell.expect, cell.name);
            const next = await capped(recover(rig));
            checkError(only(next, "next operation")[0], "ok", "next operation after " + cell.name);
            healthy = true;
          } finally {
            if (!healthy) {
              // do not let one stuck modem fail every later cell
              rig.emu.faults.clear();
              await rig.stop();
              await fresh();
            }
          }
        });
      it("closes without leaving listeners or timers", async () => {
        await rig.stop();
        assert.equal(rig.port.listenerCount(), 0, "port listeners left after close");
        await sleep(5);
        assert.ok(activeTimers() <= timers, `timers left after close: ${activeTimers()} > ${timers} ${process.getActiveResourcesInfo()}`);
      });
    });
  }

  /** A bearer drop between operations makes the module forget what the modem held, so the next
   *  operation issues every command again (prepare, all SMTP settings, POP3 login). */
  async function forget(rig: FaultyRig) {
    if (bearerOpen(rig)) rig.emu.dropBearer(1);
    await sleep(10);
  }

  group("send", CELLS.smtp, async (rig) => forget(rig), (rig) =>
    rig.callOnce("send", [{ to: "ops@example.com", subject: "recovered", body: "ok" }], SETTLE));

  group("receive", CELLS.pop3, async (rig, cell) => {
    const box = rig.backend.mailbox("unit7");
    if (box.length < 2) for (let i = box.length; i < 2; i++) rig.backend.deliver("unit7", `From: ops@example.com\r\nSubject: m${i}\r\n\r\nbody ${i}\r\n`);
    await forget(rig);
    if (cell.op === "logout") {
      const [err] = await rig.call("list"); // logged in, so that AT+POP3OUT is sent
      assert.equal(err, null, "login before logout");
    }
  }, (rig) => rig.callOnce("list", [], SETTLE));
});
