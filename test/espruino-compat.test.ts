// What Espruino does differently from V8, found by running the bundles on a real Espruino (2v29,
// Linux build: tools/espruino-replay.ts) and checked here statically, since CI has no Espruino:
// - its regex engine mishandles the "?" quantifier (/a?b/ does not match "b"), counted quantifiers
//   ({2}) and "$" after an alternation group (/^(OK|ERROR)$/ matches "OKAY");
// - a group over an alternation captures "" unless its last branch matched (/^(a|b)/.exec("a"));
// - for-in over null or undefined throws ("FOR loop can only iterate over ...") instead of doing nothing.
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

describe("Espruino compatibility of the built code", () => {
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
      const ast = acorn.parse(fs.readFileSync(path.join(ROOT, f), "utf8"), { ecmaVersion: 5, sourceType: "script", allowReturnOutsideFunction: true });
      (function walk(n: any) {
        if (!n || typeof n.type !== "string") return;
        if (n.type === "Literal" && n.regex) {
          const p = espruinoRegexProblem(n.regex.pattern);
          if (p) bad.push(`${f}: ${n.raw}: ${p}`);
        }
        for (const k of Object.keys(n)) {
          const v = n[k];
          if (Array.isArray(v)) v.forEach(walk);
          else if (v && typeof v.type === "string") walk(v);
        }
      })(ast);
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
