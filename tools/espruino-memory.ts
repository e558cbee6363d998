// The module's memory on a real Espruino (ESPRUINO=path; the Pico-sized Linux build): JsVars in use
// (process.memory().usage, after a garbage collection) with the module loaded from Storage as on a
// Pico (tools/espruino-harness.ts), after connect, and the peak while connecting, while streaming a
// 16 KB and a 256 KB message (onData) and while sending a 16 KB and a 128 KB attachment. The modem is
// replayed over TCP from the same session run first in the ES5 sandbox (tools/espruino-session.ts);
// the peak is sampled after every serial chunk. Each case also runs with a stub module making the
// same calls, in the same harness, and its JsVars are subtracted: the figures are the module's own.
//
//   ESPRUINO=/opt/espruino-pico/espruino npx tsx tools/espruino-memory.ts
import { record, replayOnEspruino, EspruinoRun } from "./espruino-session";
import { espruinoBinary, ESPRUINO_USAGE, isMain } from "./espruino-process";

const KB = 1024;

// Default chunk (512) and ring (512): what a user gets without tuning.
const OPTIONS = `{ apn: "internet", atTimeout: 3000, serverTimeout: 8000,
  smtp: { host: "smtp.example.com", port: 25, user: "unit7", password: "secret" },
  pop3: { host: "pop.example.com", port: 110, user: "unit7", password: "secret" },
  from: { address: "unit7@example.com", name: "Unit 7" } }`;

/** Connects, waits, runs `op(mail, end)`; figures: peak while connecting, idle after connect, peak of the op. */
const scenario = (op: string) => `function scenario(email, port, done, h) {
  h.peak = h.mem();
  var mail = email.connect(port, ${OPTIONS}, function (err) {
    h.mem();
    var connecting = h.peak;
    if (err) return done(["connect", err.code || err.type], {});
    // idle: once connect's callback has returned and its stack is gone
    setTimeout(function () {
      var idle = h.mem();
      h.peak = idle;
      (${op})(mail, function (err, a, b) {
        h.mem();
        var peak = h.peak;
        mail.close(function () { done([err ? err.code || err.type : null, a, b], { connecting: connecting, idle: idle, peak: peak }); });
      });
    }, 10);
  });
}`;

// A 64-byte line, eight to a 512-byte read
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

export const CASES = [
  { name: "stream a 16 KB message", source: scenario(retrieve), mailbox: message(16 * KB) },
  { name: "stream a 256 KB message", source: scenario(retrieve), mailbox: message(256 * KB) },
  { name: "send a 16 KB attachment", source: scenario(send(16 * KB)), mailbox: message(0) },
  { name: "send a 128 KB attachment", source: scenario(send(128 * KB)), mailbox: message(0) },
];

/** Absolute JsVars in use at each point of a run (harness included). */
interface Points { loaded: number; connecting: number; idle: number; peak: number }
export interface BoardFigures {
  name: string;
  bytes: number;
  writes: number;
  /** The module's JsVars: the run's in use, less the stub run's at the same point. */
  module: Points;
  /** What was subtracted: the harness with the stub module, in use at each point. */
  harness: Points;
  code: "flash" | "RAM";
  problem: string;
}

const points = (r: EspruinoRun): Points => ({ loaded: r.loaded!, connecting: r.figures.connecting, idle: r.figures.idle, peak: r.figures.peak });

/** Each case recorded in the sandbox, then replayed on Espruino with the module and with the stub. */
export async function memoryFigures(): Promise<BoardFigures[]> {
  const out: BoardFigures[] = [];
  for (const c of CASES) {
    const host = await record(c.source, c.mailbox);
    const [mod, stub] = [await replayOnEspruino(host.rec, c.source), await replayOnEspruino(host.rec, c.source, { stub: true })];
    const h = host.results as unknown[];
    const f: BoardFigures = { name: c.name, bytes: 0, writes: host.rec.steps.length, module: { loaded: 0, connecting: 0, idle: 0, peak: 0 }, harness: { loaded: 0, connecting: 0, idle: 0, peak: 0 }, code: mod.code, problem: "" };
    out.push(f);
    const failed = mod.problem || stub.problem || (!mod.figures?.peak && "no figures") || (!stub.figures?.peak && "no figures from the stub run");
    if (failed) { f.problem = String(failed).slice(0, 1500); continue; }
    const e = mod.results as unknown[];
    // the same outcome as in the sandbox, every write as recorded
    if (mod.mismatch || JSON.stringify(h) !== JSON.stringify(e)) f.problem = "DIFFERENT from the sandbox: " + (mod.mismatch || JSON.stringify(h) + " vs " + JSON.stringify(e));
    else if (e[0]) f.problem = "error " + e[0];
    const m = points(mod), s = points(stub);
    f.bytes = e[1] as number;
    f.harness = s;
    f.module = { loaded: m.loaded - s.loaded, connecting: m.connecting - s.connecting, idle: m.idle - s.idle, peak: m.peak - s.peak };
  }
  return out;
}

async function main() {
  console.log("JsVars in use on Espruino (process.memory().usage after a GC), the module's own: harness and stub module subtracted;");
  console.log("module in Storage, chunk 512, ring 512; peaks sampled after every serial chunk\n");
  console.log("| operation | bytes moved | writes replayed | code | loaded | peak connecting | after connect | peak of the operation | harness subtracted (loaded / connecting / idle / peak) |");
  console.log("|---|---|---|---|---|---|---|---|---|");
  const rows = await memoryFigures();
  for (const f of rows) {
    const m = f.module, s = f.harness;
    console.log(`| ${f.name} | ${f.bytes} | ${f.writes} | ${f.code} | ${m.loaded} | ${m.connecting} | ${m.idle} | ${m.peak} | ${s.loaded} / ${s.connecting} / ${s.idle} / ${s.peak} |${f.problem ? " " + f.problem : ""}`);
  }
  return rows.some((f) => f.problem) ? 1 : 0;
}

if (isMain(__filename)) {
  if (!espruinoBinary()) {
    console.error(ESPRUINO_USAGE);
    process.exit(2);
  }
  main().then((c) => process.exit(c), (err) => { console.error(err); process.exit(1); });
}
