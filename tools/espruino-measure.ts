// Measures the bundles on a real Espruino (ESPRUINO=path; the Pico-sized Linux build: 5,100 JsVars):
// - JsVars (process.memory().usage, after a garbage collection) to load each dist bundle: uploaded
//   into RAM as the Web IDE does (Modules.addCached with a function: the text is held twice while it
//   loads), from Storage as on a Pico (function code left in flash: tools/espruino-harness.ts), and
//   from Storage as this Linux build does it (the file copied into RAM, so every function's text too);
// - interpreter CPU seconds per MB of AT+POP3READ data through the module's path (reader, channel,
//   dot-unstuffer, from dist/sim900-email.test.js loaded into RAM: Storage code runs from a file on
//   this build) beside a naive reader that builds lines a character at a time, in the same run. The
//   reads are made inside Espruino, four distinct ones fed over and over: a MB would not fit.
//
//   ESPRUINO=/opt/espruino-pico/espruino npx tsx tools/espruino-measure.ts [--cpu] [--instructions] [--pretokenised]
//   --cpu: the CPU figures only (no JsVars runs), to iterate on the data path faster.
//   --pretokenised: the path's bundle pretokenised, as npm run flash stores the module.
//   --instructions: also the module path's instruction count per MB under valgrind (if installed),
//   which the host's load does not move (about 30 s).
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { bundleOf } from "./espruino-diff";
import { SHORT } from "../rollup.config.mjs";
import { pretokenise } from "./pretokenise.mjs";
import { DIST } from "./parts";
import { espruinoBinary, ESPRUINO_USAGE, freshDir, isMain, runEspruino, tagged, tail, toStorage } from "./espruino-process";
import { findNativeString, flashArgs, HARNESS_FILE } from "./espruino-harness";

const MB = 1024 * 1024;
const OOM = /OUT OF MEMORY|LOW_MEMORY/;
const REPS = 3;

/** JsVars in use after loading `name` (the program's own text not counted), or "out of memory". */
async function loaded(program: string | string[], dir = freshDir()): Promise<number | string> {
  // the whole line: output comes in pieces, and "LOAD 2" may be the start of "LOAD 278"
  const r = await runEspruino(dir, program, /LOAD -?\d+\r?\n/, 60000, OOM);
  const m = /LOAD (-?\d+)/.exec(r.out);
  fs.rmSync(dir, { recursive: true, force: true });
  if (m && !OOM.test(r.out)) return +m[1];
  if (OOM.test(r.out)) return "out of memory";
  throw new Error("no LOAD figure: " + r.exit + "\n" + tail(r.out));
}

/** A channel's property name as the board's bundles spell it. */
const S = (name: string) => SHORT["$" + name];

const MEASURE = (name: string) => `var before = process.memory().usage;
var m = require(${JSON.stringify(name)});
print("LOAD " + (process.memory().usage - before));
`;

export interface LoadFigures { file: string; bytes: number; ram: number | string; flash: number | string; copied: number | string }

/** JsVars to load dist/<file>: uploaded into RAM, from Storage on a Pico, from Storage on this build. */
export async function loadFigures(file: string): Promise<LoadFigures> {
  const code = fs.readFileSync(path.join(DIST, file), "latin1");
  const name = file.replace(/\.js$/, "");
  // the Web IDE's upload: the program's text, the function's copy of it, then the module's functions
  const ram = await loaded(`var before = process.memory().usage;
Modules.addCached(${JSON.stringify(name)}, function () {${code}
});
var m = require(${JSON.stringify(name)});
print("LOAD " + (process.memory().usage - before));
`);
  const native = findNativeString(espruinoBinary()!);
  const flash = native ? await loaded(flashArgs({ [HARNESS_FILE]: MEASURE(name), [name]: code }, native)) : "no symbols";
  const dir = freshDir();
  await toStorage(dir, [{ name, file: path.join(DIST, file) }]);
  const copied = await loaded(MEASURE(name), dir);
  return { file, bytes: code.length, ram, flash, copied };
}

/** Only the parts on the path, bundled small (the whole test bundle in RAM would not fit 5,100 JsVars),
 *  built as the board's bundles are, with their shortened property names (the script below uses
 *  them: S); pretokenised: as npm run flash stores the module. */
async function pathBundle(pretokenised: boolean): Promise<string> {
  const small = path.join(freshDir(), "path.js");
  const code = await bundleOf({ "at/channel.ts": ["createChannel"], "mail/dot-stream.ts": ["createDotStream"] }, true);
  fs.writeFileSync(small, pretokenised ? await pretokenise(code) : code, "latin1");
  return small;
}

/** The path's bundle loaded into RAM, four distinct 1460-byte reads in 64-byte chunks, a port, a
 *  channel's onLine: what both the CPU and the instruction counts feed through the module's path. */
const setup = (bytes: number, file: string) => `var t = require("fs").readFileSync(${JSON.stringify(file)});
Modules.addCached("t", t);
t = undefined;
var T = require("t");
function chunks(s) { var a = [], j; for (j = 0; j < s.length; j += 64) a.push(s.substr(j, 64)); return a; }
// four distinct reads, then the same again: one MB would not fit in 5,100 JsVars
var READS = [], PAYLOAD = 1460, r, line = 0, part;
for (r = 0; r < 4; r++) {
  part = "";
  while (part.length < PAYLOAD) { part += (line % 8 === 0 ? ".." : "") + "line " + line + " abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz0123456789\\r\\n"; line++; }
  part = part.substr(0, PAYLOAD);
  READS.push(chunks("\\r\\n+POP3READ: 1," + PAYLOAD + "\\r\\n" + part + "\\r\\nOK\\r\\n"));
}
var N = Math.ceil(${bytes} / PAYLOAD), k, i;
var port = { write: function () {}, on: function (e, f) { port.f = f; } };
var ch, got, done, ds, tm = 1e9, gm, rep, c0;
function onLine(line) {
  var x = /^\\+POP3READ: *([12]),(\\d+)/.exec(line);
  if (!x) return false;
  ch.${S("expect")}(+x[2]);
  return true;
}
function ended(err) { if (!err) done++; }
`;

/**
 * Interpreter CPU seconds (utime + stime of /proc/self/stat) per MB of AT+POP3READ payload: the
 * module's path (best of REPS runs) and the naive one (one run), each fed `mb` MB of 1460-byte reads
 * in 64-byte serial chunks. A
 * read's lines are dot-stuffed, every 8th beginning with "..", as a POP3 server sends them.
 */
export async function cpuFigures(mb = 1, pretokenised = false): Promise<{ module: number; naive: number; bytes: number }> {
  const hz = +spawnSync("getconf", ["CLK_TCK"], { encoding: "latin1" }).stdout || 100;
  const script = setup(mb * MB, await pathBundle(pretokenised)) + `function cpu() { var f = require("fs").readFileSync("/proc/self/stat").split(" "); return (+f[13] + +f[14]) / ${hz}; }
// the module's path, best of ${REPS} runs (the host is shared)
for (rep = 0; rep < ${REPS}; rep++) {
  ch = T.createChannel(port); got = 0; done = 0;
  ds = T.createDotStream(function (s) { got += s.length; }, function () {});
  c0 = cpu();
  for (k = 0; k < N; k++) {
    ch.${S("at")}("AT+POP3READ=1460", { ${S("ms")}: 5000, ${S("sink")}: ds.push, ${S("onLine")}: onLine }, ended);
    var rd = READS[k % 4];
    for (i = 0; i < rd.length; i++) port.f(rd[i]);
  }
  tm = Math.min(tm, cpu() - c0);
  gm = got;
  ch.${S("shut")}();
}
got = 0;
var raw = 0, ln = "", payload = "";
ds = T.createDotStream(function (s) { got += s.length; }, function () {});
c0 = cpu();
for (k = 0; k < N; k++) {
  var rd = READS[k % 4];
  for (i = 0; i < rd.length; i++) {
    var c = rd[i], n;
    for (n = 0; n < c.length; n++) {
      var ch1 = c.charAt(n);
      if (raw > 0) { payload += ch1; if (--raw === 0) { ds.push(payload); payload = ""; } }
      else if (ch1 === "\\n") {
        if (ln.charAt(ln.length - 1) === "\\r") ln = ln.substring(0, ln.length - 1);
        var x = /^\\+POP3READ: *([12]),(\\d+)/.exec(ln);
        if (x) raw = +x[2];
        ln = "";
      } else ln += ch1;
    }
  }
}
var tn = cpu() - c0;
print("CPU " + JSON.stringify({ bytes: N * PAYLOAD, module: tm, naive: tn, got: gm, gotNaive: got, done: done, reads: N }));
`;
  const dir = freshDir();
  const r = await runEspruino(dir, script, /CPU \{.*\}\r?\n/, 900000, OOM);
  fs.rmSync(dir, { recursive: true, force: true });
  const res = tagged(r.out, "CPU");
  if (!res) throw new Error("no CPU figures from Espruino: " + r.exit + "\n" + tail(r.out));
  if (res.done !== res.reads || res.got !== res.gotNaive) throw new Error("the paths disagree: " + JSON.stringify(res));
  const perMB = MB / res.bytes;
  return { module: res.module * perMB, naive: res.naive * perMB, bytes: res.bytes };
}

/**
 * Interpreter instructions (valgrind's callgrind, millions) per MB through the module's path: one run
 * of `reads` reads less one of none, so loading and setup cancel. Unlike CPU seconds on a shared
 * host, the count does not move with the load: it tells small changes apart. undefined without valgrind.
 */
export async function instructionFigures(reads = 100, pretokenised = false): Promise<number | undefined> {
  if (spawnSync("valgrind", ["--version"], { encoding: "latin1" }).status !== 0) return undefined;
  const file = await pathBundle(pretokenised);
  const count = async (n: number) => {
    const script = setup(n * 1460, file) + `ch = T.createChannel(port); got = 0; done = 0;
ds = T.createDotStream(function (s) { got += s.length; }, function () {});
for (k = 0; k < N; k++) {
  ch.${S("at")}("AT+POP3READ=1460", { ${S("ms")}: 5000, ${S("sink")}: ds.push, ${S("onLine")}: onLine }, ended);
  var rd = READS[k % 4];
  for (i = 0; i < rd.length; i++) port.f(rd[i]);
}
ch.${S("shut")}();
print("DONE " + JSON.stringify({ done: done, reads: N }));
quit();
`;
    const dir = freshDir();
    fs.writeFileSync(path.join(dir, "run.js"), script, "latin1");
    const out = await new Promise<string>((resolve) => {
      // stdin held open: at EOF the console reads garbage without end
      const p = spawn("valgrind", ["--tool=callgrind", "--callgrind-out-file=/dev/null", espruinoBinary()!, "run.js"], { cwd: dir, stdio: ["pipe", "pipe", "pipe"] });
      let text = "";
      p.stdout.on("data", (d: Buffer) => { text += d.toString("latin1"); });
      p.stderr.on("data", (d: Buffer) => { text += d.toString("latin1"); });
      p.stdin.on("error", () => undefined);
      const timer = setTimeout(() => p.kill(), 900000);
      p.on("exit", () => { clearTimeout(timer); resolve(text); });
    });
    fs.rmSync(dir, { recursive: true, force: true });
    const res = tagged(out, "DONE"), m = /Collected : (\d+)/.exec(out);
    if (!res || res.done !== res.reads || !m) throw new Error("no instruction count from valgrind:\n" + tail(out));
    return +m[1];
  };
  const [a, b] = await Promise.all([count(reads), count(0)]);
  return (a - b) / (reads * 1460) * MB / 1e6;
}

async function memoryTable() {
  console.log("| bundle | bytes | JsVars uploaded into RAM (Web IDE) | from Storage on a Pico (code in flash) | from Storage on this Linux build (copied into RAM) |");
  console.log("|---|---|---|---|---|");
  for (const f of fs.readdirSync(DIST).filter((f) => /^sim900-email(-[a-z]+)?\.js$/.test(f)).sort()) {
    const r = await loadFigures(f);
    console.log(`| ${r.file} | ${r.bytes} | ${r.ram} | ${r.flash} | ${r.copied} |`);
  }
  console.log("");
}

async function main(cpuOnly: boolean, instructions: boolean, pretokenised: boolean) {
  const v = spawnSync(espruinoBinary()!, ["-e", "print('V '+process.env.VERSION+' '+process.env.BOARD+' '+process.memory().total+' '+process.memory().blocksize)"], { encoding: "latin1", timeout: 10000, input: "" }).stdout;
  const m = /V (\S+) (\S+) (\d+) (\d+)/.exec(v) || ["", "?", "?", "?", "?"];
  console.log(`Espruino ${m[1]} (${m[2]}: ${m[3]} JsVars of ${m[4]} bytes)\n`);
  if (!cpuOnly) await memoryTable();
  const c = await cpuFigures(1, pretokenised);
  console.log(`Interpreter CPU per MB of AT+POP3READ data, code in RAM (this x86 build; a Pico's 84 MHz Cortex-M4 is far slower):`);
  console.log(`  reader + channel + dot-unstuffer: ${c.module.toFixed(2)} s; naive per-character reader: ${c.naive.toFixed(2)} s (${(c.naive / c.module).toFixed(1)}x); the wire takes 91 s at 115200 baud`);
  if (!instructions) return;
  const ir = await instructionFigures(100, pretokenised);
  console.log(ir === undefined ? "  (no valgrind: no instruction count)" : `  reader + channel + dot-unstuffer: ${Math.round(ir).toLocaleString("en")} M instructions per MB (valgrind)`);
}

if (isMain(__filename)) {
  if (!espruinoBinary()) {
    console.error(ESPRUINO_USAGE);
    process.exit(2);
  }
  main(process.argv.includes("--cpu"), process.argv.includes("--instructions"), process.argv.includes("--pretokenised")).then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
}
