// Measures the module on a real Espruino interpreter: the Linux build of Espruino (built from its
// source with `make`; not on npm, so not part of `npm test`). Prints the JsVars (process.memory().usage,
// after a garbage collection) that loading each dist bundle takes: into RAM (as the IDE uploads a
// module: Modules.addCached) and from Storage (require() of a Storage file, whose function bodies
// stay in flash). (Serial and socket input did not reach scripts in this build here, so the
// operations are measured in QuickJS: npm run bench.)
//
//   ESPRUINO=/path/to/espruino npx tsx tools/espruino-measure.ts
import { spawn, spawnSync, ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const root = path.join(__dirname, "..");
const espruino = process.env.ESPRUINO || process.argv[2];

/** Runs `script` in a fresh Espruino (its own folder, so its own emulated flash) until `until` is printed. */
function run(dir: string, script: string, until: RegExp, ms = 120000): Promise<string> {
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

const fresh = () => fs.mkdtempSync(path.join(os.tmpdir(), "espruino-measure-"));
const MEM = "function mem(){ return process.memory().usage; }\n";

/** JsVars to load dist/<file> into RAM and from Storage. */
export async function loadFigures(file: string) {
  const code = fs.readFileSync(path.join(root, "dist", file), "utf8");
  const name = file.replace(/\.js$/, "");
  const ram = await run(fresh(), MEM + `var before = mem();\nModules.addCached(${JSON.stringify(name)}, function () {${code}\n});\nvar m = require(${JSON.stringify(name)});\nprint("LOAD " + (mem() - before));\n`, /LOAD -?\d+/);
  const dir = fresh();
  await run(dir, `require("Storage").write(${JSON.stringify(name)}, ${JSON.stringify(code)}); print("WRITTEN");\n`, /WRITTEN/);
  const flash = await run(dir, MEM + `var before = mem();\nvar m = require(${JSON.stringify(name)});\nprint("LOAD " + (mem() - before));\n`, /LOAD -?\d+/);
  const n = (s: string) => +(/LOAD (-?\d+)/.exec(s) || [0, NaN])[1];
  return { file, bytes: code.length, ram: n(ram), flash: n(flash) };
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
}

if (process.argv[1] && path.resolve(process.argv[1]).replace(/\.ts$/, "") === __filename.replace(/\.ts$/, "")) {
  if (!espruino || !fs.existsSync(espruino)) {
    console.error("usage: ESPRUINO=/path/to/espruino npx tsx tools/espruino-measure.ts  (the Linux build: git clone https://github.com/espruino/Espruino && make)");
    process.exit(2);
  }
  main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
}
