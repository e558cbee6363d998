// Differential check: the module's pure stream parts (AT reader, dot-stream, line splitter, header
// parser, MIME decoders) run the same random cases in V8 and in Espruino (ESPRUINO=<path of the
// Pico-sized 2v29 Linux build>); every result must be identical. The cases are drawn inside each
// interpreter by the same ES5 generator and seed, so nothing but the seed crosses over.
//   npm run diff:espruino -- [--cases 1000] [--seed 1]
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as vm from "node:vm";
import { spawnSync } from "node:child_process";
import { rollup } from "rollup";
import { plugins } from "../rollup.config.mjs";
import { ESPRUINO_QUIRKS } from "./sandbox";

const ROOT = path.join(__dirname, "..");
const arg = (name: string, def: number) => {
  const i = process.argv.indexOf("--" + name);
  return i > 0 ? +process.argv[i + 1] : def;
};
const CASES = arg("cases", 1000);
const SEED = arg("seed", 1);

/** The parts under test in one small ES5 bundle, so the Pico-sized interpreter holds it easily. */
export function parts(): Promise<string> {
  return bundleOf({
    "at/reader.ts": ["createReader"], "mail/dot-stream.ts": ["createDotStream"], "mail/line-splitter.ts": ["createLineSplitter"],
    "mail/headers.ts": ["createHeaderParser", "parseAddress"], "mail/encoded-word.ts": ["decodeWords"],
    "mail/transfer-decode.ts": ["base64Decode", "qpDecode"],
  });
}

/** An ES5 bundle of just these exports of src/ files, built as the board bundles are. */
/** `board`: with the board bundles' shortened property names (rollup.config.mjs, INTERNAL). */
export async function bundleOf(exports: Record<string, string[]>, board = false): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "espdiff-"));
  const entry = path.join(dir, "entry.js");
  const src = (p: string) => JSON.stringify(path.join(ROOT, "src", p));
  fs.writeFileSync(entry, Object.entries(exports).map(([f, names]) => `export { ${names.join(", ")} } from ${src(f)};`).join("\n"));
  const bundle = await rollup({ input: entry, plugins: plugins(false, board), onwarn: () => {} });
  const { output } = await bundle.generate({ format: "cjs", exports: "named", esModule: false, strict: false });
  fs.rmSync(dir, { recursive: true });
  return output[0].code;
}

// ES5, run as it is in both interpreters: a seeded generator, the cases, one result line each.
const HARNESS = String.raw`(function () {
var seed = SEED_VALUE;
function rnd(n) { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return ((seed >>> 0) % n); }
var ALPHA = ["a", "b", "Z", " ", ".", "..", "\r", "\n", "\r\n", "\r\n.", "=", "?", "_", ":", "\t", "\xa0", "\xc9", "\xff", "\x00", "OK", "RDY", "=?", "?=", "3D", "+", "/"];
function text(max) { var s = "", n = rnd(max + 1); while (n-- > 0) s += ALPHA[rnd(ALPHA.length)]; return s; }
function cutAll(s, max) { var out = [], p = 0; while (p < s.length) { var k = 1 + rnd(max); out.push(s.substr(p, k)); p += k; } return out; }
function out(kind, i, v) { print("@@" + kind + " " + i + " " + JSON.stringify(v)); }
var L = exports;
for (var i = 0; i < CASES_VALUE; i++) {
  // dot-stream: a stuffed POP3 answer in 1..16-byte slices
  var lines = [], nl = rnd(8);
  while (nl-- > 0) lines.push(text(6).split("\r").join("").split("\n").join(""));
  var raw = "+OK x\r\n";
  for (var j = 0; j < lines.length; j++) raw += (lines[j].charAt(0) === "." ? "." : "") + lines[j] + "\r\n";
  raw += ".\r\n";
  var got = "", ends = 0, ds = L.createDotStream(function (s) { got += s; }, function () { ends++; });
  var sl = cutAll(raw, 16);
  for (j = 0; j < sl.length; j++) ds.push(sl[j]);
  out("dot", i, [got, ends]);
  // line splitter
  var ls = [], sp = L.createLineSplitter(function (l, t) { ls.push([l, t]); }, 3 + rnd(20));
  sl = cutAll(text(20), 1 + rnd(8));
  for (j = 0; j < sl.length; j++) sp.push(sl[j]);
  sp.end();
  out("lines", i, ls);
  // header parser and address
  var hs = [], hp = L.createHeaderParser(function (n, v) { hs.push([n, v]); }, null, 5 + rnd(30));
  var hl = text(10).split("\n");
  for (j = 0; j < hl.length; j++) if (hp.line(hl[j]) === false) break;
  hp.end();
  out("headers", i, [hs, L.parseAddress(text(10))]);
  // MIME decoders
  var w = text(8);
  out("mime", i, [L.qpDecode(w), L.base64Decode(w), L.decodeWords(w), L.decodeWords("=?UTF-8?" + (rnd(2) ? "Q" : "b") + "?" + w + "?=" + text(2))]);
  // AT reader: lines, prompts and a length-delimited payload, in 1..64-byte slices
  var ev = [], rd;
  rd = L.createReader({
    line: function (t) { ev.push("L" + t); var m = /^\+POP3READ: 2,(\d+)/.exec(t); if (m) rd.expect(+m[1]); },
    prompt: function () { ev.push(">"); },
    piece: function (s, left) { ev.push("D" + s.length + "," + left); },
    overflow: function () { ev.push("!"); }
  }, 10 + rnd(40));
  var pay = text(12), modem = "\r\n" + text(6) + "\r\n" + (rnd(2) ? "> " : "") + "+POP3READ: 2," + pay.length + "\r\n" + pay + "\r\nOK\r\n" + text(6);
  sl = cutAll(modem, 64);
  for (j = 0; j < sl.length; j++) rd.push(sl[j]);
  out("reader", i, ev);
}
print("@@end");
})();
`;

export function program(bundle: string, cases = CASES, seed = SEED): string {
  return "var exports = {}, module = { exports: exports };\n" + bundle + "\n" +
    HARNESS.replace("SEED_VALUE", String(seed | 0 || 1)).replace("CASES_VALUE", String(cases));
}

/** The result lines, each re-encoded from its parsed JSON: Espruino escapes bytes over 127, V8 does not. */
export function resultLines(output: string): string[] {
  return output.split(/\r?\n/).filter((l) => l.startsWith("@@")).map((l) => {
    const sp = l.indexOf(" ", l.indexOf(" ") + 1);
    try { return sp < 0 ? l : l.slice(0, sp + 1) + JSON.stringify(JSON.parse(l.slice(sp + 1))); } catch { return l; }
  });
}

/** The result lines of `code` run in V8 as it is, or with the sandbox's Espruino quirks first. */
export function runV8(code: string, quirks = false): string[] {
  const printed: string[] = [];
  const ctx = vm.createContext({ print: (s: string) => printed.push(s), atob: (s: string) => Buffer.from(s, "base64").toString("latin1") });
  if (quirks) vm.runInContext(ESPRUINO_QUIRKS, ctx);
  vm.runInContext(code, ctx);
  return resultLines(printed.join("\n"));
}

async function main() {
  const code = program(await parts());
  const v8 = runV8(code);
  const bin = process.env.ESPRUINO;
  if (!bin) {
    console.log("ESPRUINO is not set: give the path of Espruino's Pico-sized 2v29 Linux build to compare (V8 ran " + (v8.length - 1) + " results).");
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "espdiff-run-"));
  fs.writeFileSync(path.join(dir, "diff.js"), code);
  // stdin stays open (a FIFO opened read-write): at end of input the Linux console feeds garbage
  spawnSync("mkfifo", [path.join(dir, "in")]);
  const r = spawnSync("bash", ["-c", `cd "${dir}" && timeout 600 "${bin}" diff.js <>in`], { encoding: "latin1", maxBuffer: 1 << 30 });
  fs.rmSync(dir, { recursive: true });
  const esp = resultLines(r.stdout);
  if (esp[esp.length - 1] !== "@@end") console.log("Espruino stopped early:\n" + r.stdout.split("\n").slice(-10).join("\n"));
  const kinds: Record<string, { cases: number; diff: number; first?: string }> = {};
  for (let i = 0; i < v8.length - 1; i++) {
    const kind = v8[i].slice(2, v8[i].indexOf(" "));
    const k = (kinds[kind] ??= { cases: 0, diff: 0 });
    k.cases++;
    if (esp[i] !== v8[i]) { k.diff++; k.first ??= "V8:       " + v8[i] + "\nEspruino: " + (esp[i] ?? "(none)"); }
  }
  let bad = 0;
  for (const [kind, k] of Object.entries(kinds)) {
    console.log(`${kind.padEnd(8)} ${k.cases} cases, ${k.diff} differences`);
    if (k.first) console.log(k.first);
    bad += k.diff;
  }
  process.exitCode = bad || esp[esp.length - 1] !== "@@end" ? 1 : 0;
}

if ((process.argv[1] || "").endsWith("espruino-diff.ts")) main().catch((e) => { console.error(e); process.exitCode = 1; });
