// The bench's floor (tools/floor.ts): the edits that build each optional feature out still match the
// sources and take out what they name, the edited sources still build, and only message strings are
// counted as messages.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { copySources, buildBundles, applyEdits } from "../tools/variant-build";
import { messageBytes, isMessage, buildOut } from "../tools/floor";

describe("the bench's floor (tools/floor.ts)", function () {
  this.timeout(120000);

  it("counts string literals with words as messages, not AT commands, patterns or regular expressions", () => {
    for (const s of ["no answer from the modem", "! callback threw: ", " is longer than "]) assert.ok(isMessage(s), s);
    for (const s of ["AT+SMTPSRV=", '"Contype","GPRS"', "NORMAL POWER DOWN", "quoted-printable", "sim900em.seen", ""]) assert.ok(!isMessage(s), s);
    // 9 + 2: the bytes between the quotes of "no answer" and "! "; the regex literal is no string
    assert.equal(messageBytes('var a="no answer",b="AT+X",c=/"a b"/g,d=\'! \';'), 11);
  });

  it("builds the sources without every optional feature and the dialect, and what they name is gone", () => {
    const dir = copySources();
    try {
      buildOut(dir);
      const src = ["modem.ts", "fetch.ts"].map((f) => fs.readFileSync(path.join(dir, "src", f), "utf8")).join("\n")
        .replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, ""); // code only
      for (const gone of ["NEWS", "news", "errorFlag", "resets(", "AT+SAPBR=0,\" + cid, null, back", "v.check", "v.commit", "sim900-email-sign"])
        assert.ok(!src.includes(gone), gone + " is still in the floor's sources");
      const [core, send] = buildBundles(dir, ["sim900-email.js", "sim900-email-send.js"]);
      const dist = (f: string) => fs.readFileSync(path.resolve("dist", f), "latin1");
      assert.ok(core.length < dist("sim900-email.js").length - 1000, `core ${core.length} B`);
      assert.ok(core.includes("AT+SAPBR=1,") && core.includes("AT+EMAILTO=") && send.includes("AT+SMTPSEND"), "what the contract names stays");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("fails naming the edit when one no longer matches the sources", () => {
    const dir = copySources();
    try {
      assert.throws(() => applyEdits(dir, [{ file: "modem.ts", from: "no such text", to: "" }], "tools/optional-features.ts"),
        /tools\/optional-features\.ts: "no such text" does not match once in src\/modem\.ts/);
      assert.throws(() => applyEdits(dir, [{ file: "modem.ts", from: "function resets(", through: "no such end", to: "" }], "tools/optional-features.ts"),
        /"function resets\(" does not match once in src\/modem\.ts/, "a `through` not found after `from`");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
