// The module's memory during operations, measured on a real Espruino (the Linux build, ESPRUINO=path):
// JsVars in use (process.memory().usage, after a garbage collection) with the module loaded from
// Storage as on a board, idle after connect, and the peak while it streams a 16 KB and a 256 KB
// message and sends a 16 KB and a 128 KB attachment. The modem's side is replayed from the same
// session run first in the ES5 sandbox against the emulated SIM900 (see espruino-replay.ts); the
// peak is sampled after every 64-byte serial chunk.
//
//   ESPRUINO=/path/to/espruino npx tsx tools/espruino-memory.ts
import * as fs from "node:fs";
import * as path from "node:path";
import { record, replayProgram } from "./espruino-replay";
import { run, fresh, toStorage } from "./espruino-measure";

const root = path.join(__dirname, "..");
const espruino = process.env.ESPRUINO || process.argv[2];
const KB = 1024;

// Default chunk (512) and ring (1024): what a user gets without tuning.
const OPTIONS = `{ apn: "internet", atTimeout: 3000, serverTimeout: 8000,
  smtp: { host: "smtp.example.com", port: 25, user: "unit7", password: "secret" },
  pop3: { host: "pop.example.com", port: 110, user: "unit7", password: "secret" },
  from: { address: "unit7@example.com", name: "Unit 7" } }`;

/** Connects, notes idle, runs `op(mail, end)`, reports [error, figures..., idle, peak, connect's peak] (JsVars in use). */
const scenario = (op: string) => `function scenario(email, port, done, mem) {
  var peak = 0;
  port.sample = function () { var u = mem(); if (u > peak) peak = u; };
  var mail = email.connect(port, ${OPTIONS}, function (err) {
    if (err) return done(["connect", err.code || err.type]);
    // idle: after connect's callback has returned and its stack is gone
    var during = peak; // the peak while connecting
    setTimeout(function () {
      var idle = mem();
      peak = idle;
      (${op})(mail, function (err, a, b) {
        var p = peak;
        mail.close(function () { done([err ? err.code || err.type : null, a, b, idle, p, during]); });
      });
    }, 10);
  });
}`;

// A 64-byte line, eight to a 512-byte read: every AT+POP3READ and every AT+SMTPFT carries the same
// bytes, so the replay stores one of each however long the transfer.
const LINE = "2026-11-25T12:00:00Z,21.50,48.2,1013.2,3.97,unit7,ok,0000000000\r\n";

const retrieve = `function (mail, end) {
  var got = 0;
  mail.retrieve(1, { onData: function (s) { got += s.length; } }, function (err, info) { end(err, info && info.size, got); });
}`;

const send = (bytes: number) => `function (mail, end) {
  var off = 0, LINE = ${JSON.stringify(LINE)};
  mail.send({ to: "ops@example.com", subject: "log", body: "attached", attachment: { name: "log.csv", read: function (max) {
    var k = Math.min(max, ${bytes} - off), s = "";
    if (k <= 0) return undefined;
    while (s.length < k + 64) s += LINE;
    s = s.substr(off % 64, k);
    off += k;
    return s;
  } } }, function (err, info) { end(err, info && info.size, info && info.commands); });
}`;

function message(bytes: number) {
  return (deliver: (raw: string) => void) => {
    const head = "From: ops@example.com\r\nSubject: log\r\n\r\n";
    deliver(head + LINE.repeat(Math.ceil((bytes - head.length) / LINE.length)));
  };
}

const CASES = [
  { name: "retrieve 16 KB (streamed)", source: scenario(retrieve), mailbox: message(16 * KB) },
  { name: "retrieve 256 KB (streamed)", source: scenario(retrieve), mailbox: message(256 * KB) },
  { name: "send 16 KB attachment", source: scenario(send(16 * KB)), mailbox: message(0) },
  { name: "send 128 KB attachment", source: scenario(send(128 * KB)), mailbox: message(0) },
];

export interface BoardFigures { name: string; bytes: number; writes: number; loaded: number; connecting: number; idle: number; peak: number; problem: string }

/** Each case recorded in the sandbox, then replayed on Espruino with the module loaded from Storage. */
export async function memoryFigures(): Promise<BoardFigures[]> {
  const code = fs.readFileSync(path.join(root, "dist", "sim900-email.js"), "utf8");
  const out: BoardFigures[] = [];
  for (const c of CASES) {
    const host = await record(c.source, c.mailbox);
    const dir = fresh();
    await toStorage(dir, "sim900-email", code);
    // m0: with the replay's tables (more JsVars the longer the transfer), before the module
    const load = `var m0 = mem();\nvar email = require("sim900-email");\nvar loaded = mem() - m0;`;
    const text = await run(dir, replayProgram(host.steps, c.source, load, ", m0: m0, loaded: loaded"), /RESULT \{.*\}/, 600000);
    const m = /RESULT (\{.*\})/.exec(text);
    const f: BoardFigures = { name: c.name, bytes: 0, writes: host.steps.length, loaded: 0, connecting: 0, idle: 0, peak: 0, problem: "" };
    out.push(f);
    if (!m) { f.problem = "Espruino gave no result: " + text.slice(-300).replace(/\n/g, " "); continue; }
    const e = JSON.parse(m[1]);
    const [err, size, other, idle, peak, during] = e.results as [string | null, number, number, number, number, number];
    const h = host.results as unknown[];
    // The same outcome as the sandbox run (memory figures aside), every write as recorded.
    if (e.mismatch || JSON.stringify(h.slice(0, 3)) !== JSON.stringify([err, size, other]))
      f.problem = "DIFFERENT: " + (e.mismatch || JSON.stringify(h) + " vs " + JSON.stringify(e.results));
    else if (err) f.problem = "error " + err;
    Object.assign(f, { bytes: size, loaded: e.loaded, connecting: during - e.m0 - e.loaded, idle: idle - e.m0 - e.loaded, peak: peak - idle });
  }
  return out;
}

async function main() {
  console.log("JsVars in use on Espruino, sim900-email.js loaded from Storage (chunk 512, ring 1024); peak sampled after every serial chunk\n");
  console.log("| operation | bytes moved | writes replayed | module loaded | peak while connecting (over loaded) | connected, idle (over loaded) | peak over idle |");
  console.log("|---|---|---|---|---|---|---|");
  const rows = await memoryFigures();
  for (const f of rows) console.log(`| ${f.name} | ${f.bytes} | ${f.writes} | ${f.loaded} | ${f.connecting} | ${f.idle} | ${f.peak}${f.problem ? " " + f.problem : ""} |`);
  return rows.some((f) => f.problem) ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]).replace(/\.ts$/, "") === __filename.replace(/\.ts$/, "")) {
  if (!espruino || !fs.existsSync(espruino)) {
    console.error("usage: ESPRUINO=/path/to/espruino npx tsx tools/espruino-memory.ts  (Espruino's Linux build)");
    process.exit(2);
  }
  main().then((c) => process.exit(c), (err) => { console.error(err); process.exit(1); });
}
