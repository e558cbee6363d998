// Espruino's pretokenised form of the bundles, made by the espruino package (EspruinoTools' pretokenise
// plugin, the one the Web IDE runs with "Pretokenise code before upload"): reserved words and operators
// as one byte each, strings and integers with a length byte instead of quotes and digits. Espruino 2v29
// runs it from Storage and from RAM. `npm run flash` uploads this form (dist/storage/), so it is what a
// Pico's Storage holds. Run as a script (the build does): writes dist/storage/<module>.js for the core,
// the parts and the companions.
import * as fs from "node:fs";
import * as path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

let ready;

function tokeniser() {
  if (!ready)
    ready = new Promise((resolve) => {
      const log = console.log;
      console.log = () => undefined; // the package lists every file it loads
      createRequire(import.meta.url)("espruino").init(() => {
        console.log = log;
        globalThis.Espruino.Config.PRETOKENISE = 2; // strings and integers too (2v20.48+, 2v25.396+)
        resolve((code) => globalThis.Espruino.Plugins.Pretokenise.tokenise(code));
      });
    });
  return ready;
}

/** `code` (latin1, one char per byte) pretokenised, as latin1. */
export async function pretokenise(code) {
  return (await tokeniser())(code);
}

export const STORAGE_DIR = path.join("dist", "storage");

/** Writes dist/storage/<module>.js for each module bundle in dist/. */
async function main() {
  const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
  const out = path.join(root, STORAGE_DIR);
  fs.mkdirSync(out, { recursive: true });
  for (const f of fs.readdirSync(path.join(root, "dist"))) {
    if (!/^sim900-email(-[a-z0-9]+)?\.js$/.test(f) || f === "sim900-email.test.js") continue;
    const code = fs.readFileSync(path.join(root, "dist", f), "latin1");
    fs.writeFileSync(path.join(out, f), await pretokenise(code), "latin1");
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
