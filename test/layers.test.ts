// The layout's rules, checked on the files themselves: the host tools never lean on the test suites.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.join(__dirname, "..");

function files(dir: string, re: RegExp): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...files(rel, re));
    else if (re.test(e.name)) out.push(rel);
  }
  return out;
}

/** The module specifiers a file imports (import ... from, import(), require()). */
function imports(file: string): string[] {
  const text = fs.readFileSync(path.join(ROOT, file), "utf8");
  const out: string[] = [];
  const re = /(?:from\s+|import\s*\(\s*|require\s*\(\s*|^import\s+)["']([^"']+)["']/gm;
  for (let m; (m = re.exec(text)); ) out.push(m[1]);
  return out;
}

describe("layout", () => {
  it("no file under tools/ imports from test/", () => {
    const bad: string[] = [];
    for (const f of files("tools", /\.(ts|mjs|js)$/))
      for (const spec of imports(f)) {
        if (!spec.startsWith(".")) continue;
        const target = path.relative(ROOT, path.resolve(ROOT, path.dirname(f), spec));
        if (target === "test" || target.startsWith("test" + path.sep)) bad.push(f + " -> " + spec);
      }
    assert.deepEqual(bad, []);
  });

  it("the import scanner sees a test import (the check above can fail)", () => {
    const tmp = path.join("tools", ".layers-probe.ts");
    fs.writeFileSync(path.join(ROOT, tmp), 'import { x } from "../test/helpers/rig";\n');
    try {
      assert.deepEqual(imports(tmp), ["../test/helpers/rig"]);
    } finally {
      fs.unlinkSync(path.join(ROOT, tmp));
    }
  });
});
