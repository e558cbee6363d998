// Prints the minified and gzipped byte counts of each dist bundle.
import { readdirSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
const rows = readdirSync("dist").filter((f) => f.endsWith(".js")).map((f) => {
  const b = readFileSync("dist/" + f);
  return { file: "dist/" + f, minified: b.length, gzipped: gzipSync(b, { level: 9 }).length };
});
console.table(rows);
