// The package as a user gets it: `npm pack` of the built project, installed from the tarball into a
// fresh directory, and its `sim900-email` bin run there with npx, against the emulator over TCP. It
// must not need tsx, TypeScript or anything else from the repository. Needs `npm run build` first.
import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { simpleParser } from "mailparser";
import { startCli } from "../tools/sim900-emulator/cli";
import { createBackend, EmailBackend } from "../tools/sim900-emulator/mail";

const ROOT = path.join(__dirname, "..");
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));

interface Run { code: number; stdout: string; stderr: string }

/** Our environment without npm's npm_* variables (under `npm test` they name this repository as
 *  the project, e.g. npm_config_local_prefix) and without this repository's node_modules/.bin. */
function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || /^npm_/i.test(k) || k.startsWith("SIM900_")) continue;
    env[k] = v;
  }
  env.PATH = (process.env.PATH || "").split(path.delimiter).filter((d) => d && !path.resolve(d).startsWith(ROOT)).join(path.delimiter);
  // npx may then run only what is installed here, never fetch a package of that name from the registry.
  env.npm_config_yes = "false";
  return { ...env, ...extra };
}

function run(cmd: string, args: string[], cwd: string, timeoutMs: number, env = cleanEnv()): Promise<Run> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, env, timeout: timeoutMs, maxBuffer: 32 << 20 }, (err: any, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === "number" ? err.code : -1) : 0, stdout: String(stdout), stderr: String(stderr) }));
  });
}

const show = (r: Run) => `exit ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

describe("the npm package, installed from its tarball", function () {
  this.timeout(600000); // an install takes a while on a loaded machine, even from the npm cache
  let tmp: string;
  let app: string;
  let files: { path: string; size: number }[];
  let backend: EmailBackend;
  let server: Awaited<ReturnType<typeof startCli>>;

  before(async () => {
    for (const f of [pkg.main, pkg.bin["sim900-email"], "dist/cli/at-channel.js", "dist/examples/sensor.js"])
      assert.ok(fs.existsSync(path.join(ROOT, f)), f + " is missing: run npm run build && npm run build:examples first");
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "sim900-pkg-"));
    // The build is already there (npm test builds first): pack it as it is, without prepack's rebuild.
    const pack = await run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", tmp], ROOT, 120000);
    assert.equal(pack.code, 0, show(pack));
    const info = JSON.parse(pack.stdout.slice(pack.stdout.indexOf("[")))[0];
    files = info.files;
    const tarball = path.join(tmp, info.filename);
    assert.ok(fs.existsSync(tarball), tarball);

    app = path.join(tmp, "app");
    fs.mkdirSync(app);
    fs.writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "try-sim900-email", version: "1.0.0", private: true }));
    const install = await run("npm", ["install", tarball, "--prefer-offline", "--no-audit", "--no-fund", "--loglevel", "error"], app, 540000);
    assert.equal(install.code, 0, show(install));

    backend = createBackend({ accounts: [{ user: "unit7", pass: "secret" }, { user: "ops", pass: "secret" }] });
    await backend.ready;
    server = await startCli({ host: "127.0.0.1", port: 0, baud: 0, faults: [] }, backend);
  });
  after(async () => {
    await server?.close();
    await backend?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("ships the board bundles, companions, examples, types, docs and the built CLI, and no test bundle", () => {
    const paths = files.map((f) => f.path);
    for (const f of ["dist/sim900-email.js", "dist/sim900-email-outbox.js", "dist/sim900-email-power.js", "dist/sim900-email-sign.js",
      "dist/examples/sensor.js", "dist/examples/remote-config.js", "dist/sim900-email.d.ts", "dist/types/index.d.ts",
      "dist/cli/sim900-email.cjs", "dist/cli/at-channel.js", "docs/API.md", "docs/sim900-email.md", "README.md", "package.json"])
      assert.ok(paths.includes(f), f + " is not in the package");
    for (const p of paths) {
      assert.ok(!/\.test\.|testing\.d\.ts$/.test(p), p + " is a test file");
      assert.ok(/^(dist|docs)\/|^README\.md$|^package\.json$/.test(p), p + " is outside what the package ships");
    }
  });

  it("installs with its runtime dependencies only: no tsx, no TypeScript", () => {
    const installed = path.join(app, "node_modules");
    for (const d of Object.keys(pkg.dependencies)) assert.ok(fs.existsSync(path.join(installed, d, "package.json")), d);
    for (const d of ["tsx", "typescript", "rollup", "mocha"]) assert.ok(!fs.existsSync(path.join(installed, d)), d + " was installed");
    const bin = fs.realpathSync(path.join(installed, ".bin", "sim900-email"));
    assert.equal(bin, fs.realpathSync(path.join(installed, "sim900-email", "dist", "cli", "sim900-email.cjs")));
    assert.ok(fs.readFileSync(bin, "utf8").startsWith("#!/usr/bin/env node\n"));
  });

  it("serialport's native part loads in the installed copy (the CLI's path to a real modem)", async () => {
    const r = await run(process.execPath, ["-e", "require('serialport'); console.log('loaded')"], app, 60000);
    assert.equal(r.code, 0, show(r));
    assert.equal(r.stdout.trim(), "loaded");
  });

  it("the board bundles mention none of the PC tool's dependencies", () => {
    const installed = path.join(app, "node_modules");
    // The board bundles load nothing of the PC tool's dependencies.
    for (const f of ["sim900-email.js", "sim900-email-outbox.js", "sim900-email-power.js", "sim900-email-sign.js"]) {
      const code = fs.readFileSync(path.join(installed, "sim900-email", "dist", f), "utf8");
      for (const d of Object.keys(pkg.dependencies)) assert.ok(!code.includes(d), f + " mentions " + d);
    }
  });

  it("npx sim900-email --help prints the usage", async () => {
    const r = await run("npx", ["sim900-email", "--help"], app, 120000);
    assert.equal(r.code, 0, show(r));
    assert.match(r.stdout, /^Usage: sim900-email <command>/);
    for (const c of ["send", "inbox", "probe", "Exit codes"]) assert.ok(r.stdout.includes(c), c);
  });

  it("npx sim900-email probe talks to the emulator over TCP", async () => {
    const r = await run("npx", ["sim900-email", "probe", "--port", "tcp://127.0.0.1:" + server.port], app, 120000);
    assert.equal(r.code, 0, show(r));
    for (const item of [/^AT: +OK$/m, /^firmware: +\S*SIM900/m, /^SIM: +READY$/m, /^registration: +registered, home/m,
      /^GPRS: +attached$/m, /^email: +supported \(EMAILCID ok/m]) assert.match(r.stdout, item);
  });

  it("npx sim900-email send runs the installed board bundle and the email arrives", async () => {
    const r = await run("npx", ["sim900-email", "send", "--port", "tcp://127.0.0.1:" + server.port, "--apn", "internet",
      "--smtp", "smtp.example.com", "--from", "unit7@example.com", "--to", "ops@example.com", "--subject", "from the package",
      "--body", "t=21.5C"], app, 120000, cleanEnv({ SIM900_USER: "unit7", SIM900_PASSWORD: "secret" }));
    assert.equal(r.code, 0, show(r));
    assert.match(r.stderr, /^sent: \d+ AT commands, 0 attachment bytes$/m);
    const box = backend.mailbox("ops");
    assert.equal(box.length, 1);
    const m = await simpleParser(box[0].raw);
    assert.equal(m.subject, "from the package");
    assert.equal(m.text?.trim(), "t=21.5C");
  });
});
