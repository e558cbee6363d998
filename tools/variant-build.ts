// A copy of the sources, edited and built: how the bench measures what a feature costs in flash
// (tools/dialect-cost.ts, tools/floor.ts). Each edit must match exactly once, so that an unrelated
// change elsewhere cannot make one silently do nothing.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.join(__dirname, "..");

/** `from` replaced by `to`; or, with `through`, everything from `from` to the end of the first `through` after it. */
export interface Edit { file: string; from: string; through?: string; to: string }

/** Applies `edits` (from the file named `list`) to the sources in dir/src; throws naming an edit that
 *  does not match exactly once. */
export function applyEdits(dir: string, edits: Edit[], list: string): void {
  for (const e of edits) {
    const f = path.join(dir, "src", e.file), s = fs.readFileSync(f, "utf8");
    const at = s.indexOf(e.from), stop = e.through === undefined ? at : s.indexOf(e.through, at);
    if (s.split(e.from).length !== 2 || stop < 0)
      throw new Error(`${list}: ${JSON.stringify(e.from.slice(0, 60))} does not match once in src/${e.file} (update the list)`);
    const end = e.through === undefined ? at + e.from.length : stop + e.through.length;
    fs.writeFileSync(f, s.substring(0, at) + e.to + s.substring(end));
  }
}

/** A copy of the sources (src/ and what building needs) in a temporary directory. */
export function copySources(): string {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "sim900-build-"));
  fs.cpSync(path.join(ROOT, "src"), path.join(tmp, "src"), { recursive: true });
  for (const f of ["tsconfig.json", "package.json", "rollup.config.mjs"]) fs.copyFileSync(path.join(ROOT, f), path.join(tmp, f));
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(tmp, "node_modules"));
  return tmp;
}

/** Builds the sources in `dir` with the project's rollup config; the code of each dist bundle named. */
export function buildBundles(dir: string, bundles: string[]): string[] {
  const b = spawnSync(process.execPath, [path.join(ROOT, "node_modules", "rollup", "dist", "bin", "rollup"), "-c", "--silent"], { cwd: dir, encoding: "utf8" });
  if (b.status !== 0) throw new Error("the build failed: " + b.stderr);
  return bundles.map((f) => fs.readFileSync(path.join(dir, "dist", f), "latin1"));
}
