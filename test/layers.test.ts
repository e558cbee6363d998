// The layout's rules, checked on the files themselves: the host tools never lean on the test suites,
// and the AT layer (src/at/) names no email command.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";

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

/** The email command names (SMTP*, POP3*, EMAIL*, as in "+SMTPFT", "AT+EMAILCID") that a source
 *  text's code spells out: identifiers, strings, templates and regular expressions, not comments. */
function emailNames(text: string): string[] {
  const out: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isIdentifier(node) || ts.isStringLiteralLike(node) || ts.isRegularExpressionLiteral(node) || ts.isTemplateLiteralToken(node))
      for (const m of node.text.match(/(?:SMTP|POP3|EMAIL)[A-Z0-9]*/g) || []) out.push(m);
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile("x.ts", text, ts.ScriptTarget.Latest, true));
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

  it("no file under src/at/ names an email command (the channel and reader know none)", () => {
    const bad: string[] = [];
    for (const f of files(path.join("src", "at"), /\.ts$/))
      for (const name of emailNames(fs.readFileSync(path.join(ROOT, f), "utf8"))) bad.push(f + ": " + name);
    assert.deepEqual(bad, []);
  });

  it("the email-name scanner sees names in code and none in comments (the check above can fail)", () => {
    const probe = [
      'var URC = /^(RING|\\+SMTPFT|\\+POP3READ: 3,)/;',
      'ch.command("AT+EMAILCID=" + cid, o, done);',
      "var t = `AT+POP3CMD=${n}`;",
      "function onSmtp(SMTPSEND: number) {}",
      '// a comment may say "+SMTPFT: 2,n" or AT+POP3OUT',
      "/** EmailError is a type, not a command */ var e: EmailError;",
    ].join("\n");
    assert.deepEqual(emailNames(probe), ["SMTPFT", "POP3READ", "EMAILCID", "POP3CMD", "SMTPSEND"]);
  });
});
