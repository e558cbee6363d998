// npm start [-- --model sim800]: the two example programs (dist/examples/*.js) run on a pretend Espruino Pico
// (tools/espruino-board.ts: ES5-only sandbox, Espruino globals, Storage in RAM) with the built module
// (dist/sim900-email.js), driving the emulated SIM900 (paced at 115200 baud, network latency) whose
// embedded mail system is the mail server. No hardware, no network, no outside server.
//
//  1. sensor: three wakes, each putting an email with its reading in the outbox (flash). The first send
//     fails (the emulator answers +SMTPSEND: 61), so that email stays in the outbox; the second wake
//     sends both waiting emails, oldest first; the third sends one. Each subject ends with its id.
//  2. remote-config: a signed CONFIG email from ops@ is waiting, with a forged one and a newsletter; the
//     program fetches them, refuses the forgery, applies and stores the genuine config, acknowledges it
//     by email, and that message is deleted on the server.
//
// Time: the modem's traffic, the UART pacing and the network latency run in real time; the board's own
// clock runs 4x (PWRKEY presses), its 15-minute sleeps last 0.5 s, and the emulated SIM900 boots in
// 1.5 s instead of a real one's 3 to 10 s. --model sim800 emulates a SIM800 instead (the examples find
// it from ATI: the body goes after DOWNLOAD, no AT+EMAILSSL).
import * as path from "node:path";
import { simpleParser } from "mailparser";
import { createEmulator } from "./sim900-emulator/modem";
import { createBackend } from "./sim900-emulator/mail";
import { createBoard, FakeStorage, Board } from "./espruino-board";
import { signConfig } from "./sign-config";
import { SETTINGS } from "../examples/settings";

const BAUD = 115200;
const modelAt = process.argv.indexOf("--model");
const MODEL = (modelAt > 0 ? process.argv[modelAt + 1] : "sim900") as "sim900" | "sim800";
if (MODEL !== "sim900" && MODEL !== "sim800") {
  console.error("demo: --model must be sim900 or sim800");
  process.exit(2);
}
const LATENCY_MS = 400;
const root = path.join(__dirname, "..");
const started = Date.now();
const tty = process.stdout.isTTY;
const grey = (s: string) => (tty ? `\x1b[90m${s}\x1b[0m` : s);
const bold = (s: string) => (tty ? `\x1b[1m${s}\x1b[0m` : s);
const clock = () => grey(((Date.now() - started) / 1000).toFixed(2).padStart(6) + "s ");
const printable = (s: string) => s.replace(/[\x00-\x1f\x7f-\xff]/g, (c) => "\\x" + c.charCodeAt(0).toString(16).padStart(2, "0"));

let commands = 0;
function show(line: string) {
  if (line.startsWith("> ")) commands++;
  const text = printable(line);
  console.log(clock() + (line.startsWith("> ") || line.startsWith("< ") ? text : bold(text)));
}

const failures: string[] = [];
function check(ok: boolean, what: string) {
  console.log(clock() + (ok ? "  ok   " : "  FAIL ") + what);
  if (!ok) failures.push(what);
}

async function main() {
  const backend = createBackend({ accounts: [{ user: "unit7", pass: "secret" }, { user: "ops", pass: "secret" }] });
  await backend.ready;
  console.log(bold(`== the emulated modem: ${MODEL}`));
  const emu = createEmulator({ backend, model: MODEL, baud: BAUD, maxChunk: 64, latencyMs: LATENCY_MS, boot: { rdyMs: 300, callReadyMs: 1200 } });
  const storage = new FakeStorage(); // the Pico's flash: shared by both programs
  const boardOptions = {
    emulator: emu, storage, module: path.join(root, "dist", "sim900-email.js"), speed: 4, sleepMs: 500, onLog: show,
  };
  const readings: string[] = [];
  let board: Board;

  // ---- 1. sensor
  console.log(bold("\n== sensor: wake, read, queue an email in the outbox in flash, send what waits, power off, sleep (x3)"));
  console.log(grey("   the first send fails on purpose (emulator fault: +SMTPSEND: 61)"));
  emu.faults.failSmtpSend(61);
  board = createBoard(boardOptions);
  board.on("log", (l: string) => { const m = /^sensor: reading (.*)$/.exec(l); if (m) readings.push(m[1]); });
  board.run(path.join(root, "dist", "examples", "sensor.js"));
  const outcome: string[] = [];
  for (let wake = 0; wake < 3; wake++) {
    const from = board.logs.length;
    outcome.push(await board.waitForLog(/^sensor: (sent|send failed)/, 30000, from));
    await board.waitForLog(/^sensor: sleeping/, 15000, from);
    if (wake === 0) check(storage.files.has("sim900eo.1") && !storage.streams.has("readings"), "after the failed send the email is still in the outbox in flash");
  }
  board.stop();
  const sent = await Promise.all(backend.mailbox("ops").map((m) => simpleParser(m.raw)));
  const csvs = sent.map((m) => m.attachments[0]?.content.toString("latin1") ?? "");
  check(/failed, 1 waiting/.test(outcome[0]) && /sent 2 emails, 0 waiting/.test(outcome[1]) && /sent 1 email, 0 waiting/.test(outcome[2]), "wake 1 failed, wake 2 sent 2 emails (oldest first), wake 3 sent 1");
  check(sent.map((m) => / \[unit7#\d+\]$/.exec(m.subject ?? "")?.[0]).join("") === " [unit7#1] [unit7#2] [unit7#3]",
    "each subject carries its outbox id, in order: the receiver can drop duplicates");
  check(csvs.length === 3 && csvs.every((c, i) => c.includes(readings[i]) && c.split("\n").length === 3), "each CSV attachment holds its reading");
  check(![...storage.files.keys()].some((f) => /^sim900eo\./.test(f)) && !storage.streams.has("readings"), "outbox and CSV empty after the successful sends");
  for (const w of board.warnings) console.log("   warning: " + w);
  check(board.calls[0] === "USB.setConsole(true)" && board.warnings.length === 0, "console kept on USB before Serial1 was set up; no UART traffic in deep sleep");

  // ---- 2. remote-config
  console.log(bold("\n== remote-config: fetch signed CONFIG emails from ops@, refuse a forgery, apply, store, acknowledge, delete"));
  const config = "# new schedule\r\ninterval=600\r\nrecipients=ops@example.com, lab@example.com\r\n";
  backend.deliver("unit7", "From: newsletter@example.net\r\nTo: unit7@example.com\r\nSubject: Hello\r\n\r\nnot for us\r\n");
  backend.deliver("unit7", "From: Ops <ops@example.com>\r\nTo: unit7@example.com\r\nSubject: CONFIG unit7\r\n\r\n" + signConfig("a guess", 99, "interval=60\r\nrecipients=evil@example.net\r\n"));
  backend.deliver("unit7", "From: Ops <ops@example.com>\r\nTo: unit7@example.com\r\nSubject: CONFIG unit7\r\n\r\n" + signConfig(SETTINGS.configKey, 1, config));
  const opsBefore = backend.mailbox("ops").length;
  board = createBoard(boardOptions);
  board.run(path.join(root, "dist", "examples", "remote-config.js"));
  await board.waitForLog(/^config: next poll/, 30000);
  board.stop();
  const stored = storage.files.get("sim900.json");
  check(stored === JSON.stringify({ interval: 600, recipients: ["ops@example.com", "lab@example.com"] }), "config stored in flash: " + stored);
  const ack = backend.mailbox("ops").slice(opsBefore).map((m) => m.raw.toString("latin1"));
  check(ack.length === 1 && /Subject: Re: CONFIG unit7 \(applied\)/.test(ack[0]), "acknowledgement emailed to ops@");
  const left = backend.mailbox("unit7").map((m) => m.raw.toString("latin1"));
  check(board.logs.some((l) => /^config: refused from ops@example.com: .*signature/.test(l)), "the forged CONFIG was refused, not applied");
  check(left.length === 2 && /newsletter/.test(left[0]) && /sig: 99 /.test(left[1]), "the genuine CONFIG was deleted on the server; the forgery and the newsletter left alone");

  // ---- summary
  await emu.idle();
  const toModem = emu.transcript.bytes("in").length;
  const fromModem = emu.transcript.bytes("out").length;
  const airtime = (toModem + fromModem) / (BAUD / 10);
  console.log(bold("\n== summary"));
  console.log(`   emails sent: ${sent.length} readings (${csvs.map((c) => c.length).join(" + ")} byte CSVs) + ${ack.length} acknowledgement; 1 failed, kept in the outbox and sent by the next wake`);
  console.log(`   emails received: 1 signed CONFIG applied and deleted, 1 forged CONFIG refused, 1 other left on the server`);
  console.log(`   AT commands by the module: ${commands}; UART bytes: ${toModem} to the modem, ${fromModem} from it`);
  console.log(`   simulated time on the UART at ${BAUD} baud (${BAUD / 10} bytes/s): ${airtime.toFixed(2)} s; network latency ${LATENCY_MS} ms per step`);
  console.log(`   wall time ${((Date.now() - started) / 1000).toFixed(1)} s (board clock 4x, sleeps 0.5 s, modem boot 1.5 s)`);
  console.log(failures.length ? `   ${failures.length} check(s) FAILED` : "   all checks passed");
  emu.close();
  await backend.close();
  return failures.length ? 1 : 0;
}

main().then((code) => process.exit(code), (err) => {
  console.error("demo failed:", err && err.message ? err.message : err);
  process.exit(1);
});
