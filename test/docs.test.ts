// The documentation a user gets: every module has an EspruinoDocs page in docs/, docs/API.md names every
// option, field, error type and result code the sources implement, and no link leaves the repository.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { RESULT_CODES } from "../tools/result-codes";

const ROOT = path.join(__dirname, "..");
const read = (f: string) => fs.readFileSync(path.join(ROOT, f), "utf8");
const MODULES = ["sim900-email", "sim900-email-outbox", "sim900-email-sign", "sim900-email-power"];
const DOCS = fs.readdirSync(path.join(ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => "docs/" + f);

/** The property names of `export interface <name> { ... }` in a source file. */
function fields(file: string, name: string): string[] {
  const m = new RegExp("export interface " + name + "(?: extends \\w+)? \\{([\\s\\S]*?)\\n\\}").exec(read(file));
  assert.ok(m, name + " in " + file);
  return [...m[1].matchAll(/^ {2}(\w+)\??[:(]/gm)].map((x) => x[1]);
}

describe("documentation", () => {
  it("each module has an EspruinoDocs page: copyright line, title, === underline, KEYWORDS, [[module.js]]", () => {
    for (const m of MODULES) {
      const lines = read(`docs/${m}.md`).split("\n");
      assert.match(lines[0], /^<!--- Copyright \(c\) .+ See the file LICENSE for copying permission\. -->$/, m);
      assert.ok(lines[1].trim().length > 0 && !lines[1].startsWith("#"), m + ": the title is the second line");
      assert.match(lines[2], /^=+$/, m + ": the title is underlined with =");
      assert.ok(lines[2].length >= lines[1].length, m + ": the underline is as long as the title");
      assert.ok(lines.some((l) => /^\* KEYWORDS: Module(,[^,\s][^,]*)+$/.test(l)), m + ": a KEYWORDS line starting with Module");
      assert.ok(lines.join("\n").includes(`[[${m}.js]]`), m + ": refers to itself as [[" + m + ".js]]");
    }
  });

  it("README and docs link only to files inside the repository, and those exist", () => {
    for (const f of ["README.md", ...DOCS]) {
      const text = read(f);
      assert.ok(!text.includes("../shared") && !text.includes("/work/"), f + " points outside the repository");
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^(https?:|mailto:|#)/.test(target)) continue;
        const file = path.resolve(path.dirname(path.join(ROOT, f)), target.split("#")[0]);
        assert.ok(file.startsWith(ROOT + path.sep), `${f}: ${target} leaves the repository`);
        assert.ok(fs.existsSync(file), `${f}: ${target} does not exist`);
      }
    }
    assert.match(read("README.md"), /\]\(docs\/API\.md\)/, "the README links docs/API.md");
  });

  it("docs/API.md names every option and field the sources declare", () => {
    // Words inside `code spans` and ```js blocks```: `{ host, port }` names host and port.
    const code = new Set<string>();
    for (const m of read("docs/API.md").matchAll(/```[a-z]*\n([\s\S]*?)```|`([^`\n]+)`/g))
      for (const w of (m[1] ?? m[2]).match(/\w+/g) ?? []) code.add(w);
    const declared: [string, string][] = [
      ["src/modem.ts", "Options"], ["src/modem.ts", "Server"], ["src/smtp.ts", "Message"], ["src/smtp.ts", "Attachment"],
      ["src/smtp.ts", "Address"], ["src/pop3.ts", "RetrieveOptions"], ["src/pop3.ts", "Listing"], ["src/fetch.ts", "Filter"],
      ["src/fetch.ts", "FetchedMessage"], ["src/read-message.ts", "ReadMessage"], ["src/seen-store.ts", "SeenStore"], ["src/index.ts", "Email"],
      ["src/companions/outbox.ts", "OutboxOptions"], ["src/companions/outbox.ts", "FlushStats"], ["src/companions/outbox.ts", "Outbox"],
      ["src/verifier.ts", "Verifier"], ["src/companions/power.ts", "PowerOptions"], ["src/companions/power.ts", "Power"],
    ];
    const missing: string[] = [];
    for (const [file, name] of declared) {
      const names = fields(file, name);
      assert.ok(names.length > 0, name + " has fields");
      for (const n of names) if (!code.has(n)) missing.push(name + "." + n);
    }
    assert.deepEqual(missing, []);
  });

  it("docs/API.md names every error type and result code the sources produce", () => {
    const api = read("docs/API.md");
    let src = "";
    for (const dir of ["src", "src/at", "src/mail", "src/companions"])
      for (const f of fs.readdirSync(path.join(ROOT, dir))) if (f.endsWith(".ts")) src += read(dir + "/" + f);
    const types = new Set<string>(["DEACT", "REBOOT", "POWERDOWN"]); // the modem's own lines, via ch.abort(event)
    for (const [, t] of src.matchAll(/(?:typedError\([^,]+,|abort\()\s*"([A-Z_]+)"/g)) types.add(t);
    assert.ok(types.size >= 15, [...types].join(" "));
    const undocumented = [...types].filter((t) => !api.includes("`" + t + "`"));
    assert.deepEqual(undocumented, []);
    // every code of the manual's tables (tools/result-codes.ts: the board carries none of the texts)
    const codes = RESULT_CODES.map(String);
    assert.ok(codes.length >= 14, codes.join(" "));
    const table = codes.filter((c) => !new RegExp("^\\| " + c + " \\|", "m").test(api));
    assert.deepEqual(table, []);
  });
});
