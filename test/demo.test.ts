// npm start, the newcomer's first command: the demo passes on both emulated models.
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as path from "node:path";

const ROOT = path.join(__dirname, "..");

describe("the demo (npm start) on both models", function () {
  this.timeout(180000);
  for (const model of ["sim900", "sim800"]) {
    it(`--model ${model}: every check passes`, () => {
      // needs npm run build && npm run build:examples, as the test script runs first
      const r = spawnSync(process.execPath, ["--import", "tsx", "tools/demo.ts", "--model", model], { cwd: ROOT, encoding: "utf8", timeout: 170000 });
      assert.equal(r.status, 0, r.stdout.slice(-2000) + r.stderr);
      assert.match(r.stdout, new RegExp("== the emulated modem: " + model));
      assert.match(r.stdout, /all checks passed/);
      if (model === "sim800") assert.match(r.stdout, /> AT\+SMTPBODY=\d+/, "the body went after DOWNLOAD");
      else assert.match(r.stdout, /> AT\+SMTPBODY\n/);
    });
  }
});
