// Prints the minified and gzipped byte counts of each dist bundle; then how many of the core
// bundle's minified bytes each source file accounts for (rebuilt in memory with a source map, the
// same plugins as the build; each output byte is charged to the source of the nearest mapping); then
// what each group of public calls costs: the core rebuilt without those methods of connect()'s
// object, so that tree-shaking drops the code only they use.
import { readdirSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { rollup } from "rollup";
import { SourceMapConsumer } from "source-map";
import { getQuickJS } from "quickjs-emscripten";
import { plugins, output } from "../rollup.config.mjs";

const rows = readdirSync("dist").filter((f) => f.endsWith(".js")).map((f) => {
  const b = readFileSync("dist/" + f);
  return { file: "dist/" + f, minified: b.length, gzipped: gzipSync(b, { level: 9 }).length };
});
console.table(rows);

async function bySource(input = "src/index.ts") {
  const bundle = await rollup({ input, plugins: plugins(true, true) });
  const { output: [chunk] } = await bundle.generate({ ...output("x.js"), sourcemap: true });
  const map = await new SourceMapConsumer(chunk.map);
  const bytes = {};
  let last = "(none)";
  chunk.code.split("\n").forEach((text, line) => {
    for (let col = 0; col < text.length; col++) {
      const src = map.originalPositionFor({ line: line + 1, column: col, bias: SourceMapConsumer.LEAST_UPPER_BOUND }).source;
      last = src ? src.replace(/^.*?src\//, "src/") : last;
      bytes[last] = (bytes[last] || 0) + 1;
    }
  });
  return { total: chunk.code.length, files: Object.entries(bytes).sort((a, b) => b[1] - a[1]) };
}

/** memory_used_size that evaluating `code` adds to a fresh QuickJS context (the bundle alone, without
 *  the Espruino stand-ins the bench's bridge defines first, so a little below the bench's figure). */
async function quickJsLoad(code) {
  const rt = (await getQuickJS()).newRuntime(), vm = rt.newContext();
  const used = () => { const h = rt.computeMemoryUsage(), u = vm.dump(h).memory_used_size; h.dispose(); return u; };
  const before = used();
  const r = vm.evalCode("var module = { exports: {} }, exports = module.exports;\n" + code);
  if (r.error) { const e = vm.dump(r.error); r.error.dispose(); throw new Error("QuickJS: " + JSON.stringify(e)); }
  r.value.dispose();
  const after = used();
  vm.dispose();
  rt.dispose();
  return after - before;
}

/** The core with these methods cut out of the object connect() returns: minified bytes, QuickJS load. */
async function without(methods) {
  const cut = {
    name: "cut-methods",
    transform(code, id) {
      if (!/src[\\/]index\.ts$/.test(id)) return null; // (as the TypeScript plugin emitted it)
      for (const name of methods) {
        const re = new RegExp("\\n( +)" + name + ": function \\([^)]*\\) \\{\\n[\\s\\S]*?\\n\\1\\},?(?=\\n)");
        if (!re.test(code)) throw new Error("size: no method " + name + " in src/index.ts");
        code = code.replace(re, "");
      }
      return { code, map: null };
    },
  };
  const bundle = await rollup({ input: "src/index.ts", plugins: [cut, ...plugins(false, true)], onwarn() {} });
  const { output: [chunk] } = await bundle.generate(output("x.js"));
  return { bytes: chunk.code.length, heap: await quickJsLoad(chunk.code) };
}

const core = await bySource();
console.log(`The core bundle, rebuilt with a source map (${core.total} B), by source file (approximate):`);
console.table(core.files.map(([file, b]) => ({ file, minified: b, share: ((100 * b) / core.total).toFixed(1) + " %" })));

const POP3 = ["list", "retrieve", "remove", "undoRemove"];
const all = await without([]), base = await without(["send", ...POP3, "fetch"]);
const noFetch = await without(["fetch"]), noSendFetch = await without(["send", "fetch"]);
const row = (calls, a, b) => ({ calls, minified: a.bytes - (b ? b.bytes : 0), "QuickJS load (KB)": +((a.heap - (b ? b.heap : 0)) / 1024).toFixed(1) });
console.log("The core bundle by public call (minified bytes, and QuickJS heap to load; each group without the ones after it):");
console.table([
  row("connect, logout, close (AT channel, reader, errors, connect sequence, recovery)", base),
  row("+ send", noFetch, noSendFetch),
  row("+ list, retrieve, remove, undoRemove", noSendFetch, base),
  row("+ fetch", all, noFetch),
  row("= all", all),
]);
