// Prints the minified and gzipped byte counts of each dist bundle; then how many of the core
// bundle's minified bytes each source file accounts for (rebuilt in memory with a source map, the
// same plugins as the build; each output byte is charged to the source of the nearest mapping); then
// what each group of public calls costs: the core rebuilt without those methods of connect()'s
// object, so that tree-shaking drops the code only they use.
import { readdirSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { rollup } from "rollup";
import { SourceMapConsumer } from "source-map";
import { plugins, output } from "../rollup.config.mjs";

const rows = readdirSync("dist").filter((f) => f.endsWith(".js")).map((f) => {
  const b = readFileSync("dist/" + f);
  return { file: "dist/" + f, minified: b.length, gzipped: gzipSync(b, { level: 9 }).length };
});
console.table(rows);

async function bySource(input = "src/index.ts") {
  const bundle = await rollup({ input, plugins: plugins(true) });
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

/** The core's minified size with these methods cut out of the object connect() returns. */
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
  const bundle = await rollup({ input: "src/index.ts", plugins: [cut, ...plugins()], onwarn() {} });
  const { output: [chunk] } = await bundle.generate(output("x.js"));
  return chunk.code.length;
}

const core = await bySource();
console.log(`The core bundle, rebuilt with a source map (${core.total} B), by source file (approximate):`);
console.table(core.files.map(([file, b]) => ({ file, minified: b, share: ((100 * b) / core.total).toFixed(1) + " %" })));

const POP3 = ["list", "retrieve", "remove", "undoRemove"];
const all = (await without([])), base = await without(["send", ...POP3, "fetch"]);
const noFetch = await without(["fetch"]), noSendFetch = await without(["send", "fetch"]);
console.log("The core bundle by public call (minified bytes; each group without the ones after it):");
console.table([
  { calls: "connect, logout, close (AT channel, reader, errors, connect sequence, recovery)", minified: base },
  { calls: "+ send", minified: noFetch - noSendFetch },
  { calls: "+ list, retrieve, remove, undoRemove", minified: noSendFetch - base },
  { calls: "+ fetch", minified: all - noFetch },
  { calls: "= all", minified: all },
]);
