// What Espruino does differently from V8, found by running the bundles on a real Espruino (2v29,
// Linux build: tools/espruino-replay.ts) and checked here statically, since CI has no Espruino:
// - its regex engine mishandles the "?" quantifier (/a?b/ does not match "b"), counted quantifiers
//   ({2}) and "$" after an alternation group (/^(OK|ERROR)$/ matches "OKAY");
// - a group over an alternation captures "" unless its last branch matched (/^(a|b)/.exec("a"));
// - for-in over null or undefined throws ("FOR loop can only iterate over ...") instead of doing nothing;
// - declarations are not hoisted: `function f(){ return L(); function L(){} }` throws ReferenceError
//   "L" is not defined, and in `function f(){ a = "x"; var a; }` the assignment overwrites an outer
//   `a` (the build sets terser's hoist_funs and hoist_vars; checked below).
// (String.indexOf's match past the end and clearTimeout(undefined) are reproduced by the sandbox.)
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import * as acorn from "acorn";

const ROOT = path.join(__dirname, "..");
const bundles = () =>
  [...fs.readdirSync(path.join(ROOT, "dist")).filter((f) => f.endsWith(".js")).map((f) => "dist/" + f),
    ...fs.readdirSync(path.join(ROOT, "dist", "examples")).filter((f) => f.endsWith(".js")).map((f) => "dist/examples/" + f)];

/** What Espruino's regex engine would get wrong in `source`, or "". */
export function espruinoRegexProblem(source: string): string {
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === "\\") { i++; continue; }
    if (inClass) { if (c === "]") inClass = false; continue; }
    if (c === "[") inClass = true;
    else if (c === "?") return "a '?' (optional or group modifier)";
    else if (c === "{") return "a counted quantifier {n}";
  }
  if (/\)\$$/.test(source) && source.includes("|")) return "'$' after an alternation group";
  // a group over an alternation captures "" unless its last branch matched (/^(a|b)/.exec("a"))
  if (/\([^()]*\|[^()]*\)/.test(source.replace(/\\./g, ""))) return "a capture group over an alternation";
  return "";
}

const parse = (code: string): any => acorn.parse(code, { ecmaVersion: 5, sourceType: "script", allowReturnOutsideFunction: true });
/** An AST node's child nodes. */
const children = (n: any): any[] => Object.keys(n).flatMap((k) => (Array.isArray(n[k]) ? n[k] : [n[k]])).filter((v) => v && typeof v.type === "string");

/** Names used in `code` before the statement that declares them (a function, or a var) in the same
 *  function has run (Espruino hoists nothing: before its `var`, `a = 1` sets an outer `a`):
 *  "name@offset" for each. A use inside a nested function is not counted: it runs when that
 *  function is called, usually later. A parameter or catch name is not a declaration here. */
export function usedBeforeDeclared(code: string): string[] {
  const bad: string[] = [];
  const scope = (body: any) => {
    const at = new Map<string, number>();
    const collect = (n: any): void => {
      if (n.type === "FunctionDeclaration") at.set(n.id.name, n.start);
      else if (n.type === "VariableDeclarator") { if (!at.has(n.id.name)) at.set(n.id.name, n.start); children(n).forEach(collect); }
      else if (n.type !== "FunctionExpression") children(n).forEach(collect);
    };
    const uses = (n: any): void => {
      if (n.type === "FunctionDeclaration" || n.type === "FunctionExpression") { scope(n.body); return; }
      if (n.type === "Identifier" && at.has(n.name) && n.start < at.get(n.name)!) bad.push(n.name + "@" + n.start);
      // a property's name (o.L, {L: 1}) is no use of a variable L (the board build shortens them)
      if (n.type === "MemberExpression" && !n.computed) return uses(n.object);
      if (n.type === "Property" && !n.computed) return uses(n.value);
      children(n).forEach(uses);
    };
    collect(body);
    children(body).forEach(uses);
  };
  scope(parse(code));
  return bad;
}

describe("Espruino compatibility of the built code", () => {
  it("the hoisting checker finds a function used before its declaration, and only then", () => {
    const names = (c: string) => usedBeforeDeclared(c).map((u) => u.replace(/@.*/, ""));
    assert.deepEqual(names("function a(){ var o = {d: L}; function L(){} return o; }"), ["L"]);
    assert.deepEqual(names("f(); function f(){}"), ["f"]);
    assert.deepEqual(names("function a(){ if (1) { return L(); } function L(){} }"), ["L"]);
    assert.deepEqual(names("function a(){ function L(){} return L(); }"), []);
    assert.deepEqual(names("function a(){ var f = function(){ return L(); }; function L(){} return f; }"), []);
    assert.deepEqual(names("function a(){ function b(){ return L(); function L(){} } }"), ["L"]);
    assert.deepEqual(names("var a = 1; function f(){ a = 2; var a; return a; }"), ["a"]);
    assert.deepEqual(names("function f(){ var a = 1, b = a; return b; }"), []);
    assert.deepEqual(names("function f(x){ for (var i = 0; i < x; i++); return i; }"), []);
    assert.deepEqual(names("function f(o){ o.L = {L: 1}; var L = 2; return L; }"), []);
    assert.deepEqual(names("function f(o){ o[L] = {x: L}; var L = 2; }"), ["L", "L"]);
  });

  it("no bundle in dist/ uses a function or a var before its declaration has run (Espruino hoists nothing)", () => {
    const bad = bundles().flatMap((f) => usedBeforeDeclared(fs.readFileSync(path.join(ROOT, f), "utf8")).map((u) => f + ": " + u));
    assert.deepEqual(bad, []);
  });

  it("the checker knows the constructs Espruino 2v29 gets wrong", () => {
    assert.ok(espruinoRegexProblem("a?b"));
    assert.ok(espruinoRegexProblem("^AT\\+?([A-Z0-9]*)"));
    assert.ok(espruinoRegexProblem("=(\\r?\\n|[0-9A-Fa-f]{2})"));
    assert.ok(espruinoRegexProblem("^(OK|ERROR|\\+CM[ES] ERROR: *(\\d+))$"));
    assert.equal(espruinoRegexProblem("^\\+CM[ES] ERROR: *(\\d+)$"), "");
    assert.equal(espruinoRegexProblem("[=?]\\?x"), "");
    assert.ok(espruinoRegexProblem("^(RDY|\\+SAPBR \\d+: DEACT)"));
    assert.equal(espruinoRegexProblem("^RDY|^\\+SAPBR \\d+: DEACT"), "");
  });

  it("no regex in dist/ (module, companions, examples) uses what Espruino's engine gets wrong", () => {
    const bad: string[] = [];
    for (const f of bundles()) {
      (function walk(n: any) {
        if (n.type === "Literal" && n.regex) {
          const p = espruinoRegexProblem(n.regex.pattern);
          if (p) bad.push(`${f}: ${n.raw}: ${p}`);
        }
        children(n).forEach(walk);
      })(parse(fs.readFileSync(path.join(ROOT, f), "utf8")));
    }
    assert.deepEqual(bad, []);
  });

  it("every for-in in src/ is guarded against null, or says why its object always exists", () => {
    const bad: string[] = [];
    const files = (d: string): string[] => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(d, e.name)) : e.name.endsWith(".ts") ? [path.join(d, e.name)] : []));
    for (const f of files(path.join(ROOT, "src"))) {
      fs.readFileSync(f, "utf8").split("\n").forEach((line, i) => {
        const m = /for \(var \w+ in (\w+)\)/.exec(line);
        if (m && !new RegExp(`if \\(${m[1]}\\) for`).test(line) && !/for-in over null/.test(line)) bad.push(`${path.relative(ROOT, f)}:${i + 1}: ${line.trim()}`);
      });
    }
    assert.deepEqual(bad, []);
  });
});
