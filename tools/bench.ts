// npm run bench: the figures of issue 7 (does the module fit an Espruino Pico?) in one table, with
// the budgets checked; exits non-zero when one is exceeded.
//   - size of each part of the module and of each companion (tools/parts.ts), minified (as built)
//     and gzipped; core + send, and all email parts together, against the Pico's flash budgets
//   - QuickJS engine heap: fresh, loaded, idle, peaks (tools/quickjs-bridge.ts), a cheap guard
//   - AT commands and bytes on the wire for connect, a first and a repeated reading email
//   - host CPU time per MB of AT+POP3READ data through the reader and POP3 path, as a share of the
//     time that MB takes on the wire at 115200 baud, beside a naive per-byte reader
//   - with ESPRUINO=/path/to/espruino (the Pico-sized Linux build): the module's JsVars with its code
//     in Storage as on a Pico, harness subtracted (tools/espruino-memory.ts), and interpreter CPU per
//     MB with the code in RAM (tools/espruino-measure.ts), against the RAM and CPU budgets
import * as fs from "node:fs";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import { loadBundle } from "./sandbox";
import { measureHeap, HEAP_BUDGET, Scenario } from "./quickjs-bridge";
import { sharedBackend, OPTIONS } from "./sim900-emulator/accounts";
import { createEmulator } from "./sim900-emulator/modem";
import { createPort } from "./sim900-emulator/transports";
// Not exported by src/testing.ts (dist/sim900-email.test.js has createReader and createChannel only),
// so the dot-unstuffer comes from the sources.
import { createDotStream } from "../src/mail/dot-stream";
import { EMAIL_PARTS, COMPANIONS, CORE_FILE, loadModule } from "./parts";
import { loadFigures, cpuFigures } from "./espruino-measure";
import { memoryFigures, BoardFigures } from "./espruino-memory";
import { espruinoBinary, ESPRUINO_USAGE } from "./espruino-process";
import { dialectCost } from "./dialect-cost";
import { floor, REMOVALS } from "./floor";

const ROOT = path.join(__dirname, "..");
const DIST = path.join(ROOT, "dist");
const BUDGET = {
  coreAndSend: 10 * 1024,  // minified bytes of EMAIL_PARTS.core + .send: what every sending unit holds
  dialect: 300,            // what the SIM800 dialect adds to core + send (minified)
  allParts: 16 * 1024,     // minified bytes of every email part
  pop3CpuShare: 0.01,      // host CPU time / wire time at 115200 baud
  // Espruino, Pico-sized build, code in Storage, harness subtracted (JsVars)
  idle: 650,               // after connect
  connecting: 900,         // peak while connecting
  send128: 800,            // peak while sending a 128 KB attachment
  stream256: 700,          // peak while streaming a 256 KB message
  growth: 0.05,            // a 16x (8x for send) larger transfer peaks at most 5 % higher
  espruinoCpu: 1.2,        // interpreter seconds per MB of POP3READ data, code in RAM
};
const WIRE_BYTES_PER_S = 115200 / 10; // 8N1: 10 bits a byte
const MB = 1024 * 1024;

interface Row { group: string; what: string; value: string; budget?: string; ok?: boolean }
const rows: Row[] = [];
const kb = (n: number) => (n / 1024).toFixed(1) + " KB";
const pct = (x: number) => (x * 100).toFixed(x < 0.001 ? 4 : 3) + " %";

// ---------------------------------------------------------------- sizes
/** Minified bytes of dist/<file>, with a row for it; NaN (and a failed row) if it is missing. */
function sizeRow(group: string, f: string, note = ""): number {
  const file = path.join(DIST, f);
  if (!fs.existsSync(file)) {
    rows.push({ group, what: `dist/${f}`, value: "missing (npm run build?)", budget: "present", ok: false });
    return NaN;
  }
  const b = fs.readFileSync(file), gz = gzipSync(b, { level: 9 }).length;
  rows.push({ group, what: `dist/${f}${note} minified / gzipped`, value: `${b.length} B (${kb(b.length)}) / ${gz} B` });
  return b.length;
}

/** Bytes of dist/storage/<file>: the pretokenised form npm run flash puts in Storage. */
const stored = (f: string) => {
  const file = path.join(DIST, "storage", f);
  return fs.existsSync(file) ? fs.statSync(file).size : NaN;
};

async function sizes() {
  const total: Record<string, number> = {};
  for (const [part, files] of Object.entries(EMAIL_PARTS)) total[part] = files.reduce((n, f) => n + sizeRow("size", f, ` (${part})`), 0);
  const sum = (parts: string[]) => parts.reduce((n, p) => n + total[p], 0);
  const names = (parts: string[]) => parts.map((p) => p + " (" + (EMAIL_PARTS[p as keyof typeof EMAIL_PARTS].join(" + ") || "none yet") + ")").join(" + ");
  const coreSend = sum(["core", "send"]), all = sum(Object.keys(EMAIL_PARTS));
  rows.push({ group: "size", what: "core + send parts: " + names(["core", "send"]), value: `${coreSend} B (${kb(coreSend)})`, budget: `<= ${BUDGET.coreAndSend} B`, ok: coreSend <= BUDGET.coreAndSend });
  rows.push({ group: "size", what: "all email parts: " + names(Object.keys(EMAIL_PARTS)), value: `${all} B (${kb(all)})`, budget: `<= ${BUDGET.allParts} B`, ok: all <= BUDGET.allParts });
  const asStored = (parts: string[]) => parts.reduce((n, p) => n + EMAIL_PARTS[p as keyof typeof EMAIL_PARTS].reduce((k, f) => k + stored(f), 0), 0);
  const storedCS = asStored(["core", "send"]), storedAll = asStored(Object.keys(EMAIL_PARTS));
  rows.push({ group: "size", what: "core + send parts as stored by npm run flash (pretokenised, dist/storage/)", value: `${storedCS} B (${kb(storedCS)})`, budget: `(<= ${BUDGET.coreAndSend} B minified)` });
  rows.push({ group: "size", what: "all email parts as stored by npm run flash (pretokenised, dist/storage/)", value: `${storedAll} B (${kb(storedAll)})`, budget: `(<= ${BUDGET.allParts} B minified)` });
  try {
    const d = await dialectCost();
    rows.push({ group: "size", what: "SIM800 dialect on core + send: built with and without it (tools/no-dialect.ts), minified", value: `${d.minified} B (${d.without.minified} -> ${d.with.minified})`, budget: `<= ${BUDGET.dialect} B`, ok: d.minified <= BUDGET.dialect });
    rows.push({ group: "size", what: "SIM800 dialect on core + send, as stored (pretokenised)", value: `${d.stored} B (${d.without.stored} -> ${d.with.stored})` });
  } catch (e) {
    rows.push({ group: "size", what: "SIM800 dialect on core + send", value: "n/a: " + (e as Error).message, budget: `<= ${BUDGET.dialect} B`, ok: false });
  }
  try {
    const f = floor(), budget = `(<= ${BUDGET.coreAndSend} B / <= ${BUDGET.allParts} B)`;
    rows.push({ group: "size", what: "floor, core + send / all parts: built without " + REMOVALS.map((x) => x.name).join(", ") + " (tools/floor.ts)", value: `${f.without.coreSend} B / ${f.without.all} B`, budget });
    rows.push({ group: "size", what: "floor, core + send / all parts: the same with every message string emptied", value: `${f.bare.coreSend} B / ${f.bare.all} B`, budget });
  } catch (e) {
    rows.push({ group: "size", what: "floor (tools/floor.ts)", value: "n/a: " + (e as Error).message });
  }
  for (const f of COMPANIONS) sizeRow("size", f, " (companion)");
}

// ---------------------------------------------------------------- heap
async function heap() {
  const r = await measureHeap({ backend: await sharedBackend(), connect: OPTIONS, headroom: HEAP_BUDGET.limitHeadroom });
  const r0 = r[0];
  rows.push({ group: "heap", what: "QuickJS fresh context", value: kb(r0.fresh) });
  rows.push({ group: "heap", what: "bundle loaded (over fresh)", value: `${kb(r0.loaded)} (+${kb(r0.loaded - r0.fresh)})` });
  rows.push({ group: "heap", what: "idle after connect (over loaded)", value: `${kb(r0.idle)} (+${kb(r0.idle - r0.loaded)})`, budget: `hard limit ${kb(r0.limit)}` });
  for (const s of r)
    rows.push({
      group: "heap", what: `peak ${s.name} (over idle)`,
      value: s.peak ? `${kb(s.peak)} (+${kb(s.peak - s.idle)})` + (s.error ? " FAILED: " + s.error : "") : "FAILED: " + s.error,
      budget: `+${kb(HEAP_BUDGET.operation)}`, ok: !s.error && s.peak - s.idle <= HEAP_BUDGET.operation,
    });
  const pair = (a: Scenario, b: Scenario) =>
    rows.push({
      group: "heap", what: `peak ${b.name.split(" (")[0]} / ${a.name.split(" (")[0]}`,
      value: (b.peak / a.peak).toFixed(3) + (a.error || b.error ? " (a run failed)" : ""),
      budget: `<= ${1 + HEAP_BUDGET.growth}`, ok: !a.error && !b.error && b.peak <= a.peak * (1 + HEAP_BUDGET.growth),
    });
  pair(r[0], r[1]);
  pair(r[2], r[3]);
}

// ---------------------------------------------------------------- wire
async function wire() {
  const lib = loadModule(); // the core, its parts beside it
  const backend = await sharedBackend();
  const emu = createEmulator({ backend, baud: 0 });
  const port = createPort(emu);
  const count = { written: 0, received: 0 };
  const counted = {
    write: (d: string) => { count.written += d.length; port.write(d); },
    on: (ev: "data", fn: (d: string) => void) => port.on(ev, (d) => { count.received += d.length; fn(d); }),
    removeListener: port.removeListener, removeAllListeners: port.removeAllListeners,
  };
  const log: string[] = [];
  let mail: any;
  const step = async (what: string, run: (cb: (err: any) => void) => void) => {
    const l = log.length, w = count.written, r = count.received;
    const err = await new Promise<any>((resolve) => run(resolve));
    if (err) throw new Error(what + ": " + err.message);
    const cmds = log.slice(l).filter((x) => x.startsWith("> ")).length;
    rows.push({ group: "wire", what, value: `${cmds} AT commands, ${count.written - w} B out, ${count.received - r} B in` });
  };
  await step("connect (sync, bearer, email parameters)", (cb) => { mail = lib.connect(counted, { ...OPTIONS, log: (x: string) => log.push(x) }, cb); });
  const reading = { to: ["ops@example.com"], subject: "Reading", body: "t=21.5C h=40%" };
  await step("first reading email", (cb) => mail.send(reading, cb));
  await step("repeated reading email", (cb) => mail.send({ ...reading, body: "t=21.6C h=41%" }, cb));
  await new Promise((resolve) => mail.close(resolve));
  port.close();
  emu.close?.();
  backend.mailbox("ops").length = 0;
}

// ---------------------------------------------------------------- CPU
/** The serial input for `mb` MB of message: AT+POP3READ answers of 1460 bytes, in 64-char events. */
function pop3ReadInput(bytes: number): { reads: string[][]; payload: number } {
  // a multi-line POP3 answer: status line, dot-stuffed lines (every 8th starts with a dot), end line
  const lines: string[] = ["+OK " + bytes + " octets\r\n"];
  let n = 0;
  for (let i = 0; n < bytes; i++) {
    const l = (i % 8 === 0 ? ".." : "") + "line " + i + " " + "abcdefghijklmnopqrstuvwxyz0123456789".repeat(2) + "\r\n";
    lines.push(l);
    n += l.length;
  }
  lines.push(".\r\n");
  const all = lines.join("");
  const reads: string[][] = [];
  for (let off = 0; off < all.length; off += 1460) {
    const part = all.substring(off, off + 1460);
    const last = off + 1460 >= all.length;
    const s = "\r\n+POP3READ: " + (last ? 2 : 1) + "," + part.length + "\r\n" + part + "\r\nOK\r\n";
    const ev: string[] = [];
    for (let i = 0; i < s.length; i += 64) ev.push(s.substring(i, i + 64)); // Espruino's Serial events
    reads.push(ev);
  }
  return { reads, payload: all.length };
}

function cpuSeconds(run: () => void): number {
  let best = Infinity;
  for (let k = 0; k < 5; k++) {
    const t = process.cpuUsage();
    run();
    const d = process.cpuUsage(t);
    best = Math.min(best, (d.user + d.system) / 1e6);
  }
  return best;
}

/** The module's path: reader → channel (one AT+POP3READ in flight, as src/pop3.ts issues it) → dot-unstuffer. */
function modulePath(input: { reads: string[][] }): () => number {
  const test = loadBundle(path.join(DIST, "sim900-email.test.js"));
  return () => {
    let listener: (d: string) => void = () => undefined;
    const port = { write: () => undefined, on: (_e: string, fn: (d: string) => void) => { listener = fn; } };
    const ch = test.createChannel(port);
    let got = 0, done = 0;
    const ds = createDotStream((s) => { got += s.length; }, () => undefined);
    for (const ev of input.reads) {
      ch.at("AT+POP3READ=1460", {
        ms: 5000,
        onLine: (line: string) => {
          const x = /^\+POP3READ: *([12]),(\d+)/.exec(line);
          if (!x) return false;
          ch.expect(+x[2]);
          return true;
        },
        sink: ds.push,
      }, (err: any) => { if (err) throw err; done++; });
      for (const e of ev) listener(e);
    }
    ch.shut();
    if (done !== input.reads.length) throw new Error("module path: " + done + " of " + input.reads.length + " reads ended");
    return got;
  };
}

/** A naive reader: builds every line and payload one character at a time, then the same dot-unstuffer. */
function naivePath(input: { reads: string[][] }): () => number {
  return () => {
    let got = 0, raw = 0, line = "", payload = "";
    const ds = createDotStream((s) => { got += s.length; }, () => undefined);
    const push = (chunk: string) => {
      for (let i = 0; i < chunk.length; i++) {
        const c = chunk.charAt(i);
        if (raw > 0) {
          payload += c;
          if (--raw === 0) { ds.push(payload); payload = ""; }
        } else if (c === "\n") {
          if (line.charAt(line.length - 1) === "\r") line = line.substring(0, line.length - 1);
          const x = /^\+POP3READ: *([12]),(\d+)/.exec(line);
          if (x) raw = +x[2];
          line = "";
        } else line += c;
      }
    };
    for (const ev of input.reads) for (const e of ev) push(e);
    return got;
  };
}

function cpu() {
  const input = pop3ReadInput(MB);
  const wireS = input.payload / WIRE_BYTES_PER_S;
  const perMB = MB / input.payload;
  const mod = modulePath(input), naive = naivePath(input);
  const a = mod(), b = naive();
  if (a !== b || Math.abs(a - MB) > 64 * 1024) throw new Error(`the paths disagree: ${a} vs ${b} bytes`);
  const tm = cpuSeconds(mod) * perMB, tn = cpuSeconds(naive) * perMB;
  const wire1 = wireS * perMB;
  rows.push({ group: "cpu", what: "1 MB of POP3READ data on the wire at 115200 baud", value: `${wire1.toFixed(1)} s` });
  rows.push({ group: "cpu", what: "reader + channel + dot-unstuffer, host CPU per MB", value: `${(tm * 1000).toFixed(1)} ms = ${pct(tm / wire1)} of wire time`, budget: `<= ${pct(BUDGET.pop3CpuShare)}`, ok: tm / wire1 <= BUDGET.pop3CpuShare });
  rows.push({ group: "cpu", what: "naive per-byte reader + dot-unstuffer, host CPU per MB", value: `${(tm > 0 ? tn / tm : 0).toFixed(1)}x ours: ${(tn * 1000).toFixed(1)} ms = ${pct(tn / wire1)} of wire time` });
}

// ---------------------------------------------------------------- a real Espruino, when given one
let espruinoSkipped = "";

async function espruino() {
  if (!espruinoBinary()) {
    espruinoSkipped = "Espruino rows skipped (RAM and CPU on the Pico-sized build, and their budgets): " + ESPRUINO_USAGE;
    return;
  }
  const g = "espru";
  const l = await loadFigures(CORE_FILE);
  rows.push({ group: g, what: `${CORE_FILE} loaded: into RAM as the Web IDE uploads / from Storage on a Pico / on this Linux build (JsVars)`, value: `${l.ram} / ${l.flash} / ${l.copied}` });
  const figures = await memoryFigures();
  const by = (name: string) => figures.find((f) => f.name === name)!;
  const bad = figures.filter((f) => f.problem);
  for (const f of bad) rows.push({ group: g, what: f.name + " as in the sandbox", value: f.problem.replace(/\s+/g, " ").slice(0, 100), budget: "same", ok: false });
  const first = figures[0];
  const code = first.code === "flash" ? "code in Storage" : "code copied into RAM (no symbols: not Pico-like)";
  const jsvars = (v: number, budget?: number) => ({ value: `${v} JsVars`, ...(budget ? { budget: `<= ${budget}`, ok: v <= budget && !bad.length } : {}) });
  rows.push({ group: g, what: `loaded, ${code}, harness subtracted`, value: `${first.module.loaded} JsVars` });
  rows.push({ group: g, what: "peak while connecting", ...jsvars(Math.max(...figures.map((f) => f.module.connecting)), BUDGET.connecting) });
  rows.push({ group: g, what: "after connect (idle)", ...jsvars(Math.max(...figures.map((f) => f.module.idle)), BUDGET.idle) });
  const op = (name: string, budget?: number) => { const f = by(name); rows.push({ group: g, what: "peak while " + name.replace(/^stream/, "streaming").replace(/^send/, "sending") + ` (${f.writes} writes)`, ...jsvars(f.module.peak, budget) }); };
  op("send a 16 KB attachment");
  op("send a 128 KB attachment", BUDGET.send128);
  op("stream a 16 KB message");
  op("stream a 256 KB message", BUDGET.stream256);
  const pair = (a: BoardFigures, b: BoardFigures) => rows.push({
    group: g, what: `peak ${b.name.replace(/^\w+ an? /, "")} / ${a.name.replace(/^\w+ an? /, "")}`, value: (b.module.peak / a.module.peak).toFixed(3),
    budget: `<= ${1 + BUDGET.growth}`, ok: !bad.length && b.module.peak <= a.module.peak * (1 + BUDGET.growth),
  });
  pair(by("send a 16 KB attachment"), by("send a 128 KB attachment"));
  pair(by("stream a 16 KB message"), by("stream a 256 KB message"));
  const h = by("send a 128 KB attachment").harness, hs = by("stream a 256 KB message").harness;
  rows.push({ group: g, what: "harness subtracted (stub module): loaded / connecting / idle / peak send, stream", value: `${h.loaded} / ${h.connecting} / ${h.idle} / ${h.peak}, ${hs.peak} JsVars` });
  const c = await cpuFigures();
  rows.push({ group: g, what: "reader + channel + dot-unstuffer, interpreter CPU per MB (code in RAM)", value: `${c.module.toFixed(2)} s (naive per-char reader: ${c.naive.toFixed(2)} s, ${(c.naive / c.module).toFixed(1)}x)`, budget: `<= ${BUDGET.espruinoCpu} s`, ok: c.module <= BUDGET.espruinoCpu });
}

// ---------------------------------------------------------------- table
function print() {
  const w = [5, Math.max(...rows.map((r) => r.what.length)), Math.max(...rows.map((r) => r.value.length)), Math.max(6, ...rows.map((r) => (r.budget || "").length))];
  const line = (c: string[]) => "| " + c.map((x, i) => x.padEnd(w[i] ?? 4)).join(" | ") + " |";
  const out = [line(["group", "measure", "value", "budget", "ok"]), line(w.map((n) => "-".repeat(n)).concat("--"))];
  for (const r of rows) out.push(line([r.group, r.what, r.value, r.budget || "", r.ok === undefined ? "" : r.ok ? "ok" : "OVER"]));
  console.log(out.join("\n"));
  if (espruinoSkipped) console.log("\n" + espruinoSkipped);
  const over = rows.filter((r) => r.ok === false);
  console.log(over.length ? `\nBUDGETS EXCEEDED (${over.length}):\n` + over.map((r) => `  - ${r.what}: ${r.value} (budget ${r.budget})`).join("\n") : "\nall budgets met");
  return over.length;
}

(async () => {
  await sizes();
  await heap();
  await wire();
  cpu();
  await espruino();
  process.exit(print() ? 1 : 0);
})().catch((e) => {
  console.error(e);
  print();
  process.exit(2);
});
