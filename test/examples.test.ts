// The example programs (dist/examples/*.js, built by `npm run build:examples`) on a pretend Espruino
// board (tools/espruino-board.ts) with the built module, against the emulated SIM900 and the embedded
// mail system. Unpaced (baud 0), no latency, board clock 50x, sleeps of 20 ms.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { simpleParser } from "mailparser";
import { createEmulator, Emulator } from "../tools/sim900-emulator/modem";
import { createBoard, Board, FakeStorage } from "../tools/espruino-board";
import { sharedBackend } from "./helpers/rig";
import { model } from "./target";
import { signConfig } from "../tools/sign-config";
import { SETTINGS } from "../examples/settings";

const root = path.join(__dirname, "..");
const MODULE = path.join(root, "dist", "sim900-email.js");
const SENSOR = path.join(root, "dist", "examples", "sensor.js");
const REMOTE = path.join(root, "dist", "examples", "remote-config.js");

async function clear() {
  const b = await sharedBackend();
  for (const u of ["unit7", "ops", "lab", "boss", "audit"]) b.mailbox(u).length = 0;
  return b;
}

describe(`examples on a pretend Espruino board @model (${model})`, function () {
  this.timeout(30000);
  let emu: Emulator;
  let board: Board | undefined;
  let storage: FakeStorage;

  before(function () {
    if (!fs.existsSync(SENSOR) || !fs.existsSync(REMOTE)) throw new Error("run `npm run build:examples` first");
  });
  beforeEach(async () => {
    const backend = await clear();
    emu = createEmulator({ backend, baud: 0, model });
    storage = new FakeStorage();
  });
  afterEach(() => {
    board?.stop();
    board = undefined;
    emu.close();
  });
  const start = (file: string) => {
    board = createBoard({ emulator: emu, module: MODULE, storage, speed: 50, sleepMs: 20 });
    board.run(file);
    return board;
  };

  describe("sensor", () => {
    async function wake(b: Board): Promise<string> {
      const from = b.logs.length;
      const result = await b.waitForLog(/^sensor: (sent|send failed)/, 20000, from);
      await b.waitForLog(/^sensor: sleeping/, 20000, from);
      return result;
    }
    const readings = (b: Board) => b.logs.filter((l) => l.startsWith("sensor: reading ")).map((l) => l.slice(16));

    it("queues each reading's email in the outbox in flash, keeps it when a send fails, sends oldest first with its id", async () => {
      const backend = await sharedBackend();
      emu.faults.failSmtpSend(61);
      const b = start(SENSOR);
      assert.match(await wake(b), /send failed, 1 waiting, retry in \d+ s: SMTPSEND failed \(61\)/);
      assert.equal(backend.mailbox("ops").length, 0);
      assert.equal(JSON.parse(storage.files.get("sim900eo.1")!).id, "unit7#1", "the email waits in flash");
      assert.equal(storage.streams.has("readings"), false, "its reading left the CSV only once in the outbox");
      assert.match(await wake(b), /sent 2 emails, 0 waiting/);
      assert.match(await wake(b), /sent 1 email, 0 waiting/);
      b.stop();

      const mails = await Promise.all(backend.mailbox("ops").map((m) => simpleParser(m.raw)));
      const r = readings(b);
      assert.equal(mails.length, 3);
      mails.forEach((mail, i) => {
        const [time, temp, volts] = r[i].split(",");
        assert.equal(mail.subject, `Unit 7: ${temp}C ${volts}V [unit7#${i + 1}]`);
        assert.equal(mail.attachments.length, 1);
        assert.equal(mail.attachments[0].filename, "readings.csv");
        assert.equal(mail.attachments[0].content.toString("latin1"), "time,temp_c,battery_v\r\n" + r[i] + "\r\n");
        assert.match(mail.text ?? "", new RegExp(time.replace(/\./g, "\\.")));
      });
      assert.deepEqual([...storage.files.keys()].filter((f) => f.startsWith("sim900eo.")), [], "outbox empty");
      assert.deepEqual(r.map((x) => x.split(",")[1]), ["21.0", "21.5", "22.0"]);
      assert.match(r[0], /^2026-11-25T10:00:\d\d\.\d{3}Z,21\.0,3\.96$/);
    });

    it("a reset loses nothing: the outbox in flash is sent by the next program run", async () => {
      const backend = await sharedBackend();
      emu.faults.failSmtpSend(61);
      let b = start(SENSOR);
      assert.match(await wake(b), /send failed/);
      b.stop(); // power loss / reset: RAM is gone, flash stays
      b = start(SENSOR);
      assert.match(await wake(b), /sent 2 emails, 0 waiting/);
      b.stop();
      const subjects = (await Promise.all(backend.mailbox("ops").map((m) => simpleParser(m.raw)))).map((m) => m.subject);
      assert.deepEqual(subjects.map((x) => / \[(.*)\]$/.exec(x ?? "")?.[1]), ["unit7#1", "unit7#2"]);
    });

    it("keeps the console on USB, powers the modem with PWRKEY, and deep-sleeps only while it is off", async () => {
      const b = start(SENSOR);
      await wake(b);
      b.stop();
      assert.equal(b.calls[0], "USB.setConsole(true)");
      assert.equal(b.calls[1], "Serial1.setup(115200, tx=B6, rx=B7)");
      assert.deepEqual(b.calls.slice(2), ["setDeepSleep(0)", "setDeepSleep(1)"]);
      assert.deepEqual(b.warnings, []);
      assert.equal(b.modemPowered, false, "modem switched off before sleeping");
      assert.ok(b.logs.includes("modem: switched on") && b.logs.includes("modem: off"), "PWRKEY through sim900-email-power");
    });

    it("sends to the recipients of a stored config", async () => {
      const backend = await sharedBackend();
      storage.files.set("sim900.json", JSON.stringify({ interval: 600, recipients: ["lab@example.com"] }));
      const b = start(SENSOR);
      assert.match(await wake(b), /sent 1 email, 0 waiting/);
      assert.ok(b.logs.includes("sensor: sleeping 600 s"));
      assert.equal(backend.mailbox("lab").length, 1);
      assert.equal(backend.mailbox("ops").length, 0);
    });
  });

  describe("remote-config", () => {
    const HEAD = "From: Ops <ops@example.com>\r\nTo: unit7@example.com\r\nSubject: CONFIG unit7\r\n\r\n";
    const config = (seq: number, body: string, key = SETTINGS.configKey) => HEAD + signConfig(key, seq, body);

    it("applies a matching config once, stores it, acknowledges it and has it deleted", async () => {
      const backend = await sharedBackend();
      backend.deliver("unit7", "From: newsletter@example.net\r\nSubject: CONFIG tips\r\n\r\ninterval=60\r\n");
      backend.deliver("unit7", config(3, "interval=600\r\nrecipients=ops@example.com, lab@example.com\r\n"));
      backend.deliver("unit7", config(4, "interval=60\r\n", "guessed key")); // forged
      backend.deliver("unit7", config(3, "interval=600\r\nrecipients=ops@example.com, lab@example.com\r\n")); // replayed
      backend.deliver("unit7", HEAD + "interval=60\r\n"); // unsigned
      const b = start(REMOTE);
      await b.waitForLog(/^config: next poll in 600 s/, 20000);
      const from = b.logs.length;
      await b.waitForLog(/^config: next poll/, 20000, from); // a second poll: nothing new
      b.stop();

      assert.deepEqual(JSON.parse(storage.files.get("sim900.json")!), { interval: 600, recipients: ["ops@example.com", "lab@example.com"] });
      assert.equal(b.logs.filter((l) => l.startsWith("config: applied")).length, 1, "applied once");
      const acks = await Promise.all(backend.mailbox("ops").map((m) => simpleParser(m.raw)));
      assert.equal(acks.length, 1);
      assert.equal(acks[0].subject, "Re: CONFIG unit7 (applied)");
      assert.match(acks[0].text ?? "", /"interval":600/);
      const left = backend.mailbox("unit7").map((m) => m.raw.toString("latin1"));
      assert.equal(left.length, 4, "the applied CONFIG is gone from the mailbox; the refused ones stay");
      assert.match(left[0], /newsletter/);
      assert.deepEqual(b.logs.filter((l) => l.startsWith("config: refused")).map((l) => l.replace(/^.*: (\w+ \w+ \w+).*$/, "$1")),
        ["Config email signature", "Config email seq", "Config email is"], "forged, replayed and unsigned refused");
      assert.ok(b.logs.includes("config: 5 new, 4 for us, 1 deleted, 3 refused"), b.logs.filter((l) => l.startsWith("config:")).join("\n"));
      assert.deepEqual(b.warnings, []);
    });

    it("accepts JSON, and rejects an invalid config without storing it (left on the server)", async () => {
      const backend = await sharedBackend();
      backend.deliver("unit7", config(1, "interval=5\r\n"));
      let b = start(REMOTE);
      await b.waitForLog(/^config: next poll/, 20000);
      b.stop();
      assert.equal(storage.files.has("sim900.json"), false);
      assert.ok(b.logs.some((l) => /rejected .*interval must be/.test(l)));
      assert.equal(backend.mailbox("unit7").length, 1, "left for a human");
      assert.match(backend.mailbox("ops")[0].raw.toString("latin1"), /Subject: Re: CONFIG unit7 \(rejected\)/);

      backend.mailbox("unit7").length = 0;
      backend.deliver("unit7", config(2, '{"interval": 3600, "recipients": ["boss@example.com"]}\r\n'));
      b = start(REMOTE);
      board = b;
      await b.waitForLog(/^config: next poll in 3600 s/, 20000);
      assert.deepEqual(JSON.parse(storage.files.get("sim900.json")!), { interval: 3600, recipients: ["boss@example.com"] });
      assert.equal(backend.mailbox("unit7").length, 0);
    });
  });
});
