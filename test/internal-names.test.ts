// The board bundles (the core and its parts) shorten the property names of rollup.config.mjs's
// INTERNAL list, the same way in each. That is only safe while no such name is one a user, a companion
// or Storage sees, and while no short name is a property the bundles keep: both checked here.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { rollup } from "rollup";
import { INTERNAL, SHORT, PARTS, plugins, output } from "../rollup.config.mjs";

const ROOT = path.join(__dirname, "..");
const SRC = path.join(ROOT, "src");
// the public types (API.md), by the file that declares them
const PUBLIC: { [file: string]: string[] } = {
  "index.ts": ["Email"],
  "modem.ts": ["Options", "Server"],
  "smtp.ts": ["Message", "Address", "Attachment"],
  "pop3.ts": ["Listing", "RetrieveOptions"],
  "fetch.ts": ["Filter", "FetchedMessage"],
  "errors.ts": ["EmailError"],
  "seen-store.ts": ["SeenStore"],
};

/** Property names declared or used in `file`: in the interfaces named, or anywhere (no names). */
function names(file: string, interfaces?: string[]): Set<string> {
  const out = new Set<string>();
  const visit = (n: ts.Node, inside: boolean) => {
    if (ts.isInterfaceDeclaration(n) && interfaces) inside = interfaces.includes(n.name.text);
    const named = n as { name?: ts.Node };
    if (inside && (ts.isPropertySignature(n) || ts.isMethodSignature(n) || ts.isPropertyAccessExpression(n) || ts.isPropertyAssignment(n)) && named.name && ts.isIdentifier(named.name)) out.add(named.name.text);
    ts.forEachChild(n, (c) => visit(c, inside));
  };
  visit(ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.ES5, true), !interfaces);
  return out;
}

/** The property names (a.b, and keys b: in object literals) of minified code. */
function properties(code: string): Set<string> {
  return new Set([...code.matchAll(/\.([A-Za-z_$][\w$]*)|[{,]([A-Za-z_$][\w$]*):/g)].map((m) => m[1] || m[2]));
}

describe("the board bundles' shortened property names", function () {
  this.timeout(120000);

  it("are none of the public API's, a companion's or the verifier's", () => {
    const seen = new Set<string>();
    for (const [f, types] of Object.entries(PUBLIC)) names(path.join(SRC, f), types).forEach((n) => seen.add(n));
    for (const f of fs.readdirSync(path.join(SRC, "companions"))) names(path.join(SRC, "companions", f)).forEach((n) => seen.add(n));
    names(path.join(SRC, "verifier.ts")).forEach((n) => seen.add(n));
    assert.ok(seen.has("onData") && seen.has("lines") && seen.has("command") && seen.has("check"), "the scan finds the public names");
    assert.deepEqual(INTERNAL.filter((n) => seen.has(n)), []);
  });

  it("are no member of ES5's objects (lib.es5.d.ts: the module can use no other) nor of the Espruino API it uses", () => {
    const builtin = new Set<string>();
    for (const f of [path.join(ROOT, "node_modules", "typescript", "lib", "lib.es5.d.ts"), path.join(SRC, "espruino.d.ts")])
      names(f).forEach((n) => builtin.add(n));
    assert.ok(builtin.has("slice") && builtin.has("push") && builtin.has("write") && builtin.has("removeListener"));
    assert.deepEqual(INTERNAL.filter((n) => builtin.has(n)), []);
  });

  it("get short names distinct from each other and from every property the bundles keep", async () => {
    const short = INTERNAL.map((n) => SHORT["$" + n]);
    assert.equal(new Set(short).size, INTERNAL.length);
    const inputs = ["index.ts", ...Object.values(PARTS).map((files) => files[0])];
    for (const input of inputs) {
      // built without the shortening: every property name it keeps, public or builtin
      const bundle = await rollup({ input: path.join(SRC, input), plugins: plugins(), onwarn() {} });
      const { output: [chunk] } = await bundle.generate(output("x.js"));
      const kept = [...properties(chunk.code)].filter((n) => !INTERNAL.includes(n));
      assert.deepEqual(kept.filter((n) => short.includes(n)), [], input);
    }
  });

  it("are shortened in every board bundle, and the test bundle keeps them (the tests reach them by name)", () => {
    for (const f of ["sim900-email", ...Object.keys(PARTS)]) {
      const p = properties(fs.readFileSync(path.join(ROOT, "dist", f + ".js"), "utf8"));
      assert.deepEqual(INTERNAL.filter((n) => p.has(n)), [], f);
    }
    const t = properties(fs.readFileSync(path.join(ROOT, "dist", "sim900-email.test.js"), "utf8"));
    assert.ok(t.has("waiter") && t.has("opts"));
  });
});
