// What the SIM800 dialect costs in flash on core + send (its budget: 300 B minified): the two bundles
// built from the sources as they are, less the same two built from the sources with the replacements
// of tools/no-dialect.ts, which take out every use of src/dialect.ts and nothing else. Both
// builds run in temporary directories with the same rollup config, so only the dialect differs.
import * as fs from "node:fs";
import { pretokenise } from "./pretokenise.mjs";
import { isMain } from "./espruino-process";
import { applyNoDialect } from "./no-dialect";
import { copySources, buildBundles } from "./variant-build";

const BUNDLES = ["sim900-email.js", "sim900-email-send.js"];

export interface Build { minified: number; stored: number }
export interface DialectCost { with: Build; without: Build; minified: number; stored: number }

async function build(dir: string): Promise<Build> {
  let minified = 0, stored = 0;
  for (const code of buildBundles(dir, BUNDLES)) {
    minified += code.length;
    stored += (await pretokenise(code)).length;
  }
  return { minified, stored };
}

/** Core + send with and without the dialect, minified and as stored (pretokenised). */
export async function dialectCost(): Promise<DialectCost> {
  const a = copySources(), b = copySources();
  try {
    applyNoDialect(b);
    const [w, wo] = [await build(a), await build(b)];
    return { with: w, without: wo, minified: w.minified - wo.minified, stored: w.stored - wo.stored };
  } finally {
    for (const d of [a, b]) fs.rmSync(d, { recursive: true, force: true });
  }
}

if (isMain(__filename))
  dialectCost().then((c) => {
    console.log(`SIM800 dialect on core + send: ${c.minified} B minified (${c.without.minified} -> ${c.with.minified}), ${c.stored} B as stored (${c.without.stored} -> ${c.with.stored})`);
    process.exit(0);
  }, (e) => { console.error(e.message); process.exit(1); });
