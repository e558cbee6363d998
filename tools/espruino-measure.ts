// Measures the module on a real Espruino interpreter: the Linux build of Espruino (built from its
// source with `make`; not on npm, so not part of `npm test`). Prints the JsVars (process.memory().usage,
// after a garbage collection) that loading each dist bundle takes: into RAM (as the IDE uploads a
// module: Modules.addCached) and from Storage (require() of a Storage file, whose function bodies
// stay in flash), and the CPU time per MB of AT+POP3READ data through the module's reader against a
// naive per-character one. (Serial and socket input did not reach scripts in this build here, so
// the memory of operations is measured with a replayed modem: tools/espruino-memory.ts.)
//
//   ESPRUINO=/path/to/espruino npx tsx tools/espruino-measure.ts
import { spawn, spawnSync, ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const root = path.join(__dirname, "..");
const espruino = process.env.ESPRUINO || process.argv[2];

/** Runs `script` in a fresh Espruino (its own folder, so its own emulated flash) until `until` is printed. */
export function run(dir: string, script: string, until: RegExp, ms = 120000): Promise<string> {
  fs.writeFileSync(path.join(dir, "run.js"), script);
  return new Promise((resolve, reject) => {
    const p: ChildProcess = spawn(espruino!, ["run.js"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    const timer = setTimeout(() => { p.kill(); reject(new Error("timed out; output:\n" + out)); }, ms);
    p.stdout!.on("data", (d) => {
      out += d.toString("latin1");
      if (until.test(out)) { clearTimeout(timer); p.kill(); resolve(out); }
    });
    p.stderr!.on("data", (d) => { out += d.toString("latin1"); });
    p.on("exit", (code, sig) => { clearTimeout(timer); resolve(out + (code ? "\n[exit " + code + "]" : sig ? "\n[" + sig + "]" : "")); });
  });
}

/** A new folder: a fresh Espruino there has empty emulated flash. */
export const fresh = () => fs.mkdtempSync(path.join(os.tmpdir(), "espruino-measure-"));
const MEM = "function mem(){ return process.memory().usage; }\n";

/** Writes `code` to the Storage file `name` of the Espruino whose flash is in `dir`, as an upload to a board would. */
export function toStorage(dir: string, name: string, code: string): Promise<string> {
  return run(dir, `require("Storage").write(${JSON.stringify(name)}, ${JSON.stringify(code)}); print("WRITTEN");\n`, /WRITTEN/);
}

/** JsVars to load dist/<file> into RAM and from Storage. */
export async function loadFigures(file: string) {
  const code = fs.readFileSync(path.join(root, "dist", file), "utf8");
  const name = file.replace(/\.js$/, "");
  const ram = await run(fresh(), MEM + `var before = mem();\nModules.addCached(${JSON.stringify(name)}, function () {${code}\n});\nvar m = require(${JSON.stringify(name)});\nprint("LOAD " + (mem() - before));\n`, /LOAD -?\d+/);
  const dir = fresh();
  await toStorage(dir, name, code);
  const flash = await run(dir, MEM + `var before = mem();\nvar m = require(${JSON.stringify(name)});\nprint("LOAD " + (mem() - before));\n`, /LOAD -?\d+/);
  const n = (s: string) => +(/LOAD (-?\d+)/.exec(s) || [0, NaN])[1];
  return { file, bytes: code.length, ram: n(ram), flash: n(flash) };
}

/**
 * Seconds of Espruino CPU per MB of AT+POP3READ data: the module's path (reader → channel →
 * dot-unstuffer, from dist/sim900-email.test.js) beside a naive reader that builds lines and
 * payloads a character at a time. One read's 64-byte Serial chunks are made once and fed `reads`
 * times (the build's RAM could not hold a whole MB).
 */
export async function cpuFigures(reads = 48) {
  const code = fs.readFileSync(path.join(root, "dist", "sim900-email.test.js"), "utf8");
  const script = `
Modules.addCached("t", function () {${code}\n});
var t = require("t");
var part = "", i, k;
for (i = 0; i < 1460; i++) part += (i % 70 === 69) ? "\\n" : (i % 70 === 68) ? "\\r" : String.fromCharCode(33 + (i * 7) % 90);
function chunks(s) { var a = []; for (var j = 0; j < s.length; j += 64) a.push(s.substr(j, 64)); return a; }
var more = chunks("\\r\\n+POP3READ: 1,1460\\r\\n" + part + "\\r\\nOK\\r\\n");
var port = { write: function () {}, on: function (e, f) { port.f = f; } };
var ch = t.createChannel(port), got = 0, done = 0;
var ds = t.createDotStream(function (s) { got += s.length; }, function () {});
var t0 = getTime();
for (k = 0; k < ${reads}; k++) {
  ch.command("AT+POP3READ=1460", { timeout: 5000, onData: ds.push, onLine: function (line) {
    var x = /^\\+POP3READ: *([12]),(\\d+)/.exec(line);
    if (!x) return false;
    ch.expect(+x[2]);
    return true;
  } }, function (err) { if (!err) done++; });
  for (i = 0; i < more.length; i++) port.f(more[i]);
}
var tm = getTime() - t0, gm = got;
got = 0;
var raw = 0, line = "", payload = "";
ds = t.createDotStream(function (s) { got += s.length; }, function () {});
t0 = getTime();
for (k = 0; k < ${reads}; k++) for (i = 0; i < more.length; i++) {
  var c = more[i], n;
  for (n = 0; n < c.length; n++) {
    var ch1 = c.charAt(n);
    if (raw > 0) { payload += ch1; if (--raw === 0) { ds.push(payload); payload = ""; } }
    else if (ch1 === "\\n") {
      if (line.charAt(line.length - 1) === "\\r") line = line.substring(0, line.length - 1);
      var x = /^\\+POP3READ: *([12]),(\\d+)/.exec(line);
      if (x) raw = +x[2];
      line = "";
    } else line += ch1;
  }
}
var tn = getTime() - t0;
print("CPU " + JSON.stringify({ bytes: ${reads} * 1460, module: tm, naive: tn, got: gm, gotNaive: got, done: done }));
`;
  const out = await run(fresh(), script, /CPU \{.*\}/, 600000);
  const m = /CPU (\{.*\})/.exec(out);
  if (!m) throw new Error("no CPU figures from Espruino:\n" + out.slice(-600));
  const r = JSON.parse(m[1]);
  if (r.done !== reads || r.got !== r.gotNaive) throw new Error("the paths disagree: " + m[1]);
  const perMB = (1024 * 1024) / r.bytes;
  return { module: r.module * perMB, naive: r.naive * perMB };
}

async function main() {
  const version = spawnSync(espruino!, ["-e", "print('V '+process.env.VERSION+' '+process.memory().blocksize)"], { encoding: "latin1", timeout: 10000 }).stdout;
  const v = /V (\S+) (\d+)/.exec(version) || ["", "?", "?"];
  console.log(`Espruino ${v[1]} (Linux build, ${v[2]}-byte JsVars; a Pico has 5,100 smaller ones, so text takes more of them there)\n`);
  console.log("| bundle | bytes | JsVars loaded into RAM | JsVars loaded from Storage | saved |");
  console.log("|---|---|---|---|---|");
  for (const f of fs.readdirSync(path.join(root, "dist")).filter((f) => /^sim900-email(-[a-z]+)?\.js$/.test(f)).sort()) {
    const r = await loadFigures(f);
    console.log(`| ${r.file} | ${r.bytes} | ${r.ram} | ${r.flash} | ${r.ram - r.flash} (${Math.round((100 * (r.ram - r.flash)) / r.ram)} %) |`);
  }
  const c = await cpuFigures();
  console.log(`\nCPU per MB of AT+POP3READ data on this Espruino (x86, far faster than a Pico's 84 MHz Cortex-M4):`);
  console.log(`  reader + channel + dot-unstuffer: ${c.module.toFixed(2)} s; naive per-character reader: ${c.naive.toFixed(2)} s (${(c.naive / c.module).toFixed(1)}x); the wire takes 91 s at 115200 baud`);
}

if (process.argv[1] && path.resolve(process.argv[1]).replace(/\.ts$/, "") === __filename.replace(/\.ts$/, "")) {
  if (!espruino || !fs.existsSync(espruino)) {
    console.error("usage: ESPRUINO=/path/to/espruino npx tsx tools/espruino-measure.ts  (the Linux build: git clone https://github.com/espruino/Espruino && make)");
    process.exit(2);
  }
  main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
}
