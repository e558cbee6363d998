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

const root = path.join(__dirname, "..");
const MODULE = path.join(root, "dist", "sim900-email.js");
const SENSOR = path.join(root, "dist", "examples", "sensor.js");
const REMOTE = path.join(root, "dist", "examples", "remote-config.js");

async function clear() {
  const b = await sharedBackend();
  for (const u of ["unit7", "ops", "lab", "boss", "audit"]) b.mailbox(u).length = 0;
  return b;
}

describe("examples on a pretend Espruino board", function () {
  this.timeout(30000);
  let emu: Emulator;
  let board: Board | undefined;
  let storage: FakeStorage;

  before(function () {
    if (!fs.existsSync(SENSOR) || !fs.existsSync(REMOTE)) throw new Error("run `npm run build:examples` first");
  });
  beforeEach(async () => {
    const backend = await clear();
    emu = createEmulator({ backend, baud: 0 });
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

    it("emails every reading since the last success as a CSV attachment, and keeps the CSV when a send fails", async () => {
      const backend = await sharedBackend();
      emu.faults.failSmtpSend(61);
      const b = start(SENSOR);
      assert.match(await wake(b), /send failed/);
      assert.equal(backend.mailbox("ops").length, 0);
      assert.equal(storage.streams.get("readings"), readings(b)[0] + "\r\n", "the reading stays in flash");
      assert.match(await wake(b), /sent 2 readings/);
      assert.match(await wake(b), /sent 1 reading$/);
      b.stop();

      const mails = await Promise.all(backend.mailbox("ops").map((m) => simpleParser(m.raw)));
      assert.equal(mails.length, 2);
      const r = readings(b);
      for (const [mail, rows] of [[mails[0], r.slice(0, 2)], [mails[1], r.slice(2, 3)]] as const) {
        assert.equal(mail.attachments.length, 1);
        assert.equal(mail.attachments[0].filename, "readings.csv");
        assert.equal(mail.attachments[0].content.toString("latin1"), "time,temp_c,battery_v\r\n" + rows.map((x) => x + "\r\n").join(""));
        const [time, temp, volts] = rows[rows.length - 1].split(",");
        assert.equal(mail.subject, `Unit 7: ${temp}C ${volts}V`);
        assert.match(mail.text ?? "", new RegExp(time.replace(/\./g, "\\.")));
      }
      assert.equal(storage.streams.has("readings"), false, "CSV erased after the successful send");
      assert.deepEqual(r.map((x) => x.split(",")[1]), ["21.0", "21.5", "22.0"]);
      assert.match(r[0], /^2026-11-25T10:00:\d\d\.\d{3}Z,21\.0,3\.96$/);
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
      assert.ok(b.logs.includes("modem: Call Ready"));
    });

    it("sends to the recipients of a stored config", async () => {
      const backend = await sharedBackend();
      storage.files.set("sim900.json", JSON.stringify({ interval: 600, recipients: ["lab@example.com"] }));
      const b = start(SENSOR);
      assert.match(await wake(b), /sent 1 reading$/);
      assert.ok(b.logs.includes("sensor: sleeping 600 s"));
      assert.equal(backend.mailbox("lab").length, 1);
      assert.equal(backend.mailbox("ops").length, 0);
    });
  });

  describe("remote-config", () => {
    const CONFIG = "From: Ops <ops@example.com>\r\nTo: unit7@example.com\r\nSubject: CONFIG unit7\r\n\r\n";

    it("applies a matching config once, stores it, acknowledges it and has it deleted", async () => {
      const backend = await sharedBackend();
      backend.deliver("unit7", "From: newsletter@example.net\r\nSubject: CONFIG tips\r\n\r\ninterval=60\r\n");
      backend.deliver("unit7", CONFIG + "interval=600\r\nrecipients=ops@example.com, lab@example.com\r\n");
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
      assert.equal(left.length, 1, "the CONFIG message is gone from the mailbox");
      assert.match(left[0], /newsletter/);
      assert.deepEqual(b.warnings, []);
    });

    it("accepts JSON, and rejects an invalid config without storing it (left on the server)", async () => {
      const backend = await sharedBackend();
      backend.deliver("unit7", CONFIG + "interval=5\r\n");
      let b = start(REMOTE);
      await b.waitForLog(/^config: next poll/, 20000);
      b.stop();
      assert.equal(storage.files.has("sim900.json"), false);
      assert.ok(b.logs.some((l) => /rejected .*interval must be/.test(l)));
      assert.equal(backend.mailbox("unit7").length, 1, "left for a human");
      assert.match(backend.mailbox("ops")[0].raw.toString("latin1"), /Subject: Re: CONFIG unit7 \(rejected\)/);

      backend.mailbox("unit7").length = 0;
      backend.deliver("unit7", CONFIG + '{"interval": 3600, "recipients": ["boss@example.com"]}\r\n');
      b = start(REMOTE);
      board = b;
      await b.waitForLog(/^config: next poll in 3600 s/, 20000);
      assert.deepEqual(JSON.parse(storage.files.get("sim900.json")!), { interval: 3600, recipients: ["boss@example.com"] });
      assert.equal(backend.mailbox("unit7").length, 0);
    });
  });
});
