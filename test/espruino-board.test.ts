// The pretend board's serial input, as on an Espruino Pico: a 1,024-byte FIFO drained by the idle loop
// in strings of at most 64 bytes, FIFO_FULL (E.getErrorFlags, E.on('errorFlag')) when bytes are
// dropped, and waiting serial data handed on before due timers run.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createBoard, Board } from "../tools/espruino-board";
import { createEmulator, Emulator, EmulatorOptions } from "../tools/sim900-emulator/modem";
import { FakeBackend } from "./emulator/fake-backend";

const MODULE = path.join(__dirname, "..", "dist", "sim900-email.js");

// Logs each 'data' string (JSON) and each 'errorFlag' event with what E.getErrorFlags() then says twice.
const RECORDER = `
Serial1.on("data", function (d) { print("data " + JSON.stringify(d)); });
E.on("errorFlag", function (f) {
  print("errorFlag " + JSON.stringify(f) + " getErrorFlags " + JSON.stringify(E.getErrorFlags()) + " " + JSON.stringify(E.getErrorFlags()));
});
`;
const SPIN = "function spin(ms) { var end = Date.now() + ms; while (Date.now() < end); }\n";

/** `n` printable bytes that show where a gap or reordering happened. */
const pattern = (n: number, tag: string) => Array.from({ length: n }, (_, i) => String.fromCharCode(33 + ((i + tag.charCodeAt(0)) % 90))).join("");

describe("pretend board: serial FIFO and idle loop", function () {
  this.timeout(10000);
  let emu: Emulator;
  let board: Board;
  let dir: string;
  before(function () {
    if (!fs.existsSync(MODULE)) throw new Error("run `npm run build` first");
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "board-"));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  afterEach(() => {
    board?.stop();
    emu?.close();
  });
  const start = (program: string, emuOpts: Partial<EmulatorOptions>, fifoBytes?: number) => {
    emu = createEmulator({ backend: new FakeBackend(), echo: false, ...emuOpts });
    board = createBoard({ emulator: emu, module: MODULE, fifoBytes });
    const file = path.join(dir, "program-" + Math.random().toString(36).slice(2) + ".js");
    fs.writeFileSync(file, program);
    board.run(file);
  };
  const data = () => board.logs.filter((l) => l.startsWith("data ")).map((l) => JSON.parse(l.slice(5)) as string);
  const flagEvents = () => board.logs.filter((l) => l.startsWith("errorFlag "));
  const settle = async (ms = 30) => { await emu.idle(); await new Promise((r) => setTimeout(r, ms)); };

  it("a burst over 1,024 bytes while the program is busy: the excess is dropped, FIFO_FULL once per overflow", async () => {
    start(RECORDER, { baud: 0, maxChunk: 64 }); // arrives at once, in many chunks: many bytes dropped one after another
    for (const episode of ["first", "second"]) {
      const before = data().join("").length;
      const burst = "\r\n" + pattern(1500, episode) + "\r\n";
      board.busy(50);
      emu.injectUrc(pattern(1500, episode));
      await settle(80);
      const got = data().join("").slice(before);
      assert.equal(got, burst.slice(0, 1024), episode + ": the first 1,024 bytes, unaltered");
      assert.ok(data().every((d) => d.length >= 1 && d.length <= 64), "strings of at most 64 bytes");
    }
    assert.equal(board.droppedBytes, 2 * (1504 - 1024));
    assert.deepEqual(flagEvents(), [
      'errorFlag ["FIFO_FULL"] getErrorFlags ["FIFO_FULL"] []',
      'errorFlag ["FIFO_FULL"] getErrorFlags ["FIFO_FULL"] []',
    ], "one event per overflow; getErrorFlags reports and clears");
    assert.equal(board.logs.filter((l) => l === "New interpreter error: FIFO_FULL").length, 2, "as Espruino prints on its console");
  });

  it("a data listener that blocks for 300 ms while 1.6 KB arrive at 115200 baud: a prefix gets through, the rest is dropped", async () => {
    start(SPIN + RECORDER + 'var first = true; Serial1.on("data", function () { if (first) { first = false; spin(300); } });', { baud: 115200, maxChunk: 64 });
    const burst = "\r\n" + pattern(1600, "x") + "\r\n";
    emu.injectUrc(pattern(1600, "x"));
    await settle(400);
    const got = data().join("");
    assert.ok(got.length >= 1024 && got.length < burst.length, "delivered " + got.length);
    assert.equal(got, burst.slice(0, got.length), "what got through is the start of the burst, unaltered");
    assert.equal(board.droppedBytes, burst.length - got.length);
    assert.equal(flagEvents().length, 1);
  });

  it("the FIFO size is an option: 100 bytes", async () => {
    start(RECORDER, { baud: 0 }, 100);
    emu.injectUrc(pattern(200, "s"));
    await settle();
    assert.equal(data().join(""), ("\r\n" + pattern(200, "s")).slice(0, 100));
    assert.equal(flagEvents().length, 1);
  });

  it("serial data waiting when a timer is due is handed on first (Espruino's idle loop)", async () => {
    // The modem's 9 bytes are due ~9 ms from now, the timer 2 ms after the program starts; the
    // program then blocks for 100 ms, so when the loop runs again both are waiting.
    start("", { baud: 9600 }); // an idle board, so the emulator's timer is armed after the board's setup
    emu.injectUrc("HELLO");
    const file = path.join(dir, "order.js");
    fs.writeFileSync(file, SPIN + 'Serial1.on("data", function (d) { print("data " + JSON.stringify(d)); });' +
      'setTimeout(function () { print("timer"); }, 2); spin(100);');
    board.run(file);
    await settle(50);
    assert.deepEqual(board.logs, ['data "\\r\\nHELLO\\r\\n"', "timer"]);
  });

  it("a timer that fell due while a data listener blocked runs before the bytes that came meanwhile (a pass takes what waited at its start)", async () => {
    start("", { baud: 9600, maxChunk: 0 });
    emu.injectUrc("A"); // 5 bytes, delivered ~5 ms from now
    emu.injectUrc("B"); // delivered ~5 ms later
    const file = path.join(dir, "quirk.js");
    fs.writeFileSync(file, SPIN + 'var first = true; Serial1.on("data", function (d) { print("data " + JSON.stringify(d)); if (first) { first = false; spin(100); } });' +
      'setTimeout(function () { print("timer"); }, 30);');
    board.run(file);
    await settle(200);
    assert.deepEqual(board.logs, ['data "\\r\\nA\\r\\n"', "timer", 'data "\\r\\nB\\r\\n"']);
  });

  it("board.busy(ms) holds serial data and timers; when it ends, the waiting data goes first, then the due timer", async () => {
    start('Serial1.on("data", function (d) { print("data " + JSON.stringify(d)); }); setTimeout(function () { print("timer"); }, 20);', { baud: 0 });
    board.busy(60);
    emu.injectUrc("early");
    await new Promise((r) => setTimeout(r, 40));
    assert.deepEqual(board.logs, [], "nothing while busy");
    await settle(50);
    assert.deepEqual(board.logs, ['data "\\r\\nearly\\r\\n"', "timer"]);
  });

  it("E.removeListener('errorFlag', fn) stops the reports; getErrorFlags still tells", async () => {
    start('function f() { print("errorFlag"); } E.on("errorFlag", f); E.removeListener("errorFlag", f);' +
      'setTimeout(function () { print("flags " + E.getErrorFlags().join()); }, 50);', { baud: 0 }, 10);
    emu.injectUrc("0123456789abcdef");
    await settle(100);
    assert.deepEqual(board.logs, ["New interpreter error: FIFO_FULL", "flags FIFO_FULL"]);
  });
});
