// ES5 CommonJS bundles: the board's core module and its parts (a unit uploads only the parts it
// uses), the companions, and a test-only bundle with everything linked in that also exposes internals
// (reader, channel, parsers) so the same tests can run against built code.
import * as path from "node:path";
import { readdirSync, readFileSync } from "node:fs";
import ts from "typescript";
import typescript from "@rollup/plugin-typescript";
import terser from "@rollup/plugin-terser";

// hoist_funs, hoist_vars: Espruino hoists no declaration, neither a function nor a var (before its
// `var`, `a = 1` sets an outer `a`); test/espruino-compat.test.ts checks the output.
// Terser's reduce_funcs stays on (it inlines once-used functions into their callers). Off, the core
// costs 12 KB less QuickJS heap (123 -> 111 KB: QuickJS keeps nested function text once per level) but
// 75 more JsVars on Espruino loaded from Storage (371 -> 446): the board is what counts.
// sourceMap: for tools/size.mjs, which attributes the minified bytes to the source files.
// board: the core and its parts, whose internal property names (INTERNAL) are shortened, the same
// way in every one of them (they share objects: the modem, the channel, the core's exports).
export const plugins = (sourceMap = false, board = false) => [
  typescript({ tsconfig: "./tsconfig.json", noEmitHelpers: true, declaration: false, outDir: undefined, sourceMap }),
  terser({
    ecma: 5, toplevel: true, format: { comments: false },
    compress: { passes: 3, hoist_funs: true, hoist_vars: true, unsafe: true, pure_getters: true, unsafe_arrows: false },
    mangle: board ? { properties: { regex: INTERNAL_RE, builtins: true } } : true,
    ...(board ? { nameCache: { props: { props: { ...SHORT } } } } : {}),
  }),
];

// Property names that only the core and its parts use (the modem, the channel, a queued command, the
// reader's events, the core's exports to its parts), never a name of the public API, of a companion
// or of anything stored: on the board each one shortened saves its bytes at every use and, once under
// 5 characters, a JsVar on every object that holds it. Most used first (they get one letter).
// test/internal-names.test.ts checks the list and that no short name is a property the bundles keep.
export const INTERNAL = [
  "at", "typedError", "LIMITS", "result", "session", "opts", "ch", "ms", "until", "quote", "reply", "serial",
  "_m", "expect", "waiter", "endSession",
  "text", "fail", "int", "got", "more", "dialect", "onLine", "cache", "run", "codeError", "cmd", "line",
  "ready", "resultCode", "logAs", "abort", "ensure", "timer", "done", "ends", "overflow",
  "fault", "ok", "login", "download", "noSsl", "settings", "rcpt", "createLineSplitter", "UNSAFE",
  "tick", "sink", "toHex", "part", "whole", "slot", "shown", "steps", "field",
  "charsetLen", "tally", "shut", "since", "piece", "lastAt",
];
const INTERNAL_RE = new RegExp("^(" + INTERNAL.join("|") + ")$");
/** Every name a source file uses as a property, a key or a field, and every short string (a key
 *  maybe, as in cache["R"]). */
export function propertyNames() {
  const used = new Set();
  const visit = (n) => {
    if ((ts.isPropertyAccessExpression(n) || ts.isPropertyAssignment(n) || ts.isPropertySignature(n) ||
      ts.isShorthandPropertyAssignment(n) || ts.isMethodDeclaration(n) || ts.isPropertyDeclaration(n)) && n.name && ts.isIdentifier(n.name)) used.add(n.name.text);
    if (ts.isStringLiteral(n) && n.text.length <= 2) used.add(n.text);
    ts.forEachChild(n, visit);
  };
  const walk = (d) => readdirSync(d, { withFileTypes: true }).forEach((e) => {
    const f = path.join(d, e.name);
    if (e.isDirectory()) walk(f);
    else if (f.endsWith(".ts")) visit(ts.createSourceFile(f, readFileSync(f, "utf8"), ts.ScriptTarget.ES5, true));
  });
  walk(path.resolve("src"));
  return used;
}
// Each gets a fixed short name, so a build of one bundle alone agrees with the others.
export const SHORT = (() => {
  const used = propertyNames();
  const chars = [..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"];
  const names = chars.concat(chars.flatMap((a) => chars.map((b) => a + b))).filter((n) => !used.has(n));
  const out = {};
  INTERNAL.forEach((p, i) => { out["$" + p] = names[i]; });
  return out;
})();
export const output = (file) => ({ file, format: "cjs", esModule: false, strict: false, exports: "named" });

// The parts and the source files each one carries; every other file of src/ is the core's, which a
// part reaches at run time through require("sim900-email") (the core exports it all: src/kit.ts).
export const PARTS = {
  "sim900-email-send": ["smtp.ts", "mail/hex-mode.ts"],
  "sim900-email-pop3": ["pop3.ts", "mail/dot-stream.ts", "mail/line-splitter.ts"],
  "sim900-email-hex": ["hex.ts", "mail/hex.ts"],
  "sim900-email-fetch": ["fetch.ts", "read-message.ts", "seen-store.ts", "storage.ts", "mail/headers.ts", "mail/encoded-word.ts", "mail/transfer-decode.ts", "mail/text.ts"],
};
const SRC = path.resolve("src");
const owner = (file) => {
  for (const [name, files] of Object.entries(PARTS)) if (files.some((f) => path.join(SRC, f) === file)) return name;
  return "sim900-email";
};
const sourceFile = (id, importer) => {
  const f = id.startsWith(".") && importer ? path.resolve(path.dirname(importer), id) : id;
  return path.isAbsolute(f) ? f.replace(/(\.ts)?$/, ".ts") : f;
};

/** A part's bundle: its own files inside, everything else of src/ from the module that owns it. */
function part(name) {
  const entry = path.join(SRC, PARTS[name][0]);
  const other = (id, importer) => {
    const f = sourceFile(id, importer);
    return f.startsWith(SRC + path.sep) && f !== entry && owner(f) !== name;
  };
  // resolved to the owning module's bare name, so every import from one module is one require()
  const link = {
    name: "link-parts",
    resolveId: (id, importer) => (other(id, importer) ? { id: owner(sourceFile(id, importer)), external: true } : null),
  };
  return { input: entry, output: output("dist/" + name + ".js"), plugins: [link, ...plugins(false, true)] };
}

export default [
  { input: "src/index.ts", output: output("dist/sim900-email.js"), plugins: plugins(false, true) },
  part("sim900-email-send"),
  part("sim900-email-pop3"),
  part("sim900-email-fetch"),
  part("sim900-email-hex"),
  { input: "src/testing.ts", output: output("dist/sim900-email.test.js"), plugins: plugins() },
  // Optional companions, each its own Espruino module so the core stays small.
  { input: "src/companions/outbox.ts", output: output("dist/sim900-email-outbox.js"), plugins: plugins() },
  { input: "src/companions/sign.ts", output: output("dist/sim900-email-sign.js"), plugins: plugins() },
  { input: "src/companions/power.ts", output: output("dist/sim900-email-power.js"), plugins: plugins() },
];
