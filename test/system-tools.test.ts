// A machine without Dovecot (or socat) still passes `npm test`: the suites that need it are skipped
// with one line naming them and the install command, and REQUIRE_DOVECOT=1 (.ci/run) turns that into
// a failure. "Not installed" is simulated with DOVECOT_BIN pointing at nothing.
import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DOVECOT, SOCAT, locate, required, skipLine } from "./helpers/system-tools";

const ROOT = path.join(__dirname, "..");
const MOCHA = path.join(ROOT, "node_modules", "mocha", "bin", "mocha.js");

/** One mocha run of `file` in a child process, with `env` on top of ours minus the REQUIRE_* of CI. */
function mocha(file: string, env: Record<string, string>): Promise<{ code: number; out: string }> {
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(REQUIRE_|DOVECOT_BIN|SOCAT_BIN)/.test(k) && v !== undefined) base[k] = v;
  return new Promise((resolve) => {
    execFile(process.execPath, ["--import", "tsx", MOCHA, "--no-config", "--timeout", "20000", "--reporter", "spec", "--exit", file],
      { cwd: ROOT, env: { ...base, ...env }, timeout: 90000, maxBuffer: 8 << 20 },
      (err: any, stdout, stderr) => resolve({ code: err ? (typeof err.code === "number" ? err.code : -1) : 0, out: stdout + stderr }));
  });
}

describe("tests that need programs outside npm (Dovecot, socat)", function () {
  this.timeout(120000);

  it("finds a tool through <KEY>_BIN, PATH or its usual places; a _BIN that does not exist means not installed", () => {
    assert.equal(locate(DOVECOT, { DOVECOT_BIN: "/nonexistent/dovecot" }), undefined);
    assert.equal(locate(DOVECOT, { DOVECOT_BIN: process.execPath }), process.execPath);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sim900-tools-"));
    try {
      const fake = path.join(dir, "socat");
      fs.writeFileSync(fake, "#!/bin/sh\n", { mode: 0o755 });
      const onPath = locate({ ...SOCAT, paths: [] }, { PATH: dir });
      assert.equal(onPath, fake);
      assert.equal(locate({ ...SOCAT, paths: [] }, { PATH: path.join(dir, "empty") }), undefined);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    assert.equal(required(DOVECOT, { REQUIRE_DOVECOT: "1" }), true);
    assert.equal(required(DOVECOT, {}), false);
    assert.equal(required(SOCAT, { REQUIRE_DOVECOT: "1" }), false);
  });

  it(".ci/run makes Dovecot and socat mandatory before it runs npm test", () => {
    const ci = fs.readFileSync(path.join(ROOT, ".ci", "run"), "utf8");
    const before = ci.slice(0, ci.indexOf("\nnpm test"));
    const exported = [...before.matchAll(/^export (.*)$/gm)].flatMap((m) => m[1].split(/\s+/));
    for (const v of ["REQUIRE_DOVECOT=1", "REQUIRE_SOCAT=1"]) assert.ok(exported.includes(v), v + " in " + exported.join(" "));
  });

  it("without Dovecot the Dovecot suite is skipped with one line and the run passes; with REQUIRE_DOVECOT=1 it fails", async () => {
    const file = "test/mail-backend/dovecot.test.ts";
    const [skipped, mandatory] = await Promise.all([
      mocha(file, { DOVECOT_BIN: "/nonexistent/dovecot" }),
      mocha(file, { DOVECOT_BIN: "/nonexistent/dovecot", REQUIRE_DOVECOT: "1" }),
    ]);
    assert.equal(skipped.code, 0, skipped.out);
    const suite = "mail backend against Dovecot (POP3, POP3S) and an SMTP → Maildir server";
    const lines = skipped.out.split("\n").filter((l) => l.includes("SKIPPED"));
    assert.deepEqual(lines.map((l) => l.trim()), [skipLine(DOVECOT, suite, 13)]);
    assert.match(lines[0], /Install it with: sudo apt-get install -y dovecot-pop3d/);
    assert.match(skipped.out, /0 passing[\s\S]*13 pending/);
    assert.doesNotMatch(skipped.out, /failing/);

    assert.notEqual(mandatory.code, 0, mandatory.out);
    assert.match(mandatory.out, /1 failing/);
    assert.match(mandatory.out, /Dovecot is required \(REQUIRE_DOVECOT=1\) but not installed/);
    assert.doesNotMatch(mandatory.out, /SKIPPED/);
  });
});
