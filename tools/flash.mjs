#!/usr/bin/env node
// npm run flash -- --port /dev/ttyACM0 [--example sensor|remote-config] [--dry-run]
// Puts the module into the board's Storage as "sim900-email" (so require() runs it from flash) and an
// example as the boot code (.bootcde), with the `espruino` command-line tool (EspruinoTools): first
// asks the board for its free Storage and refuses when the files do not fit, then uploads them one by
// one with a progress line, then reads the sizes back. The decisions are in flash-plan.mjs.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { boardQuery, checkFits, formatPlan, parseBoardReply, parseVerify, planFiles, progressLine, verifyCode } from "./flash-plan.mjs";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const EXAMPLES = ["sensor", "remote-config"];

const HELP = `Flash sim900-email and an example program to an Espruino board.

usage: npm run flash -- --port <port> [--example sensor|remote-config] [--baud 115200] [--dry-run]
                        [--no-check] [--verbose]

  --port, -p   the board: /dev/ttyACM0 (Linux), /dev/tty.usbmodem... (macOS), COM3 (Windows),
               or a Bluetooth address / tcp://host as the espruino tool accepts
  --example    the program to run at boot: sensor (default) or remote-config
  --baud, -b   serial baud rate for a board on a USB-serial adapter (USB boards ignore it)
  --dry-run    connect to nothing; write what would be sent to dist/flash/<example>.upload.js
  --no-check   upload without asking the board for its free Storage first
  --verbose    show everything the espruino tool prints
  --help, -h   this text

What it does (needs \`npm run build && npm run build:examples\` first):
  0. prints each file with its bytes and the bytes of Storage it takes (a 32-byte header plus the
     data rounded up to 4), asks the board for require("Storage").getFree() (plus deleted files and
     the files it replaces, which Espruino compacts away when it needs the room) and refuses, before
     anything is written, when the files do not fit; then uploads them one by one with a progress
     line, and reads their sizes back from the board;
  1. writes dist/storage/sim900-email.js (dist/sim900-email.js pretokenised as the Web IDE's
     "Pretokenise code before upload" does: about 16 % smaller) to Storage as the file
     "sim900-email": require("sim900-email")
     finds it there and runs it from flash, so the module's code costs almost no RAM; the same for
     the companions the example needs (sim900-email-power, and sim900-email-outbox for the sensor or
     sim900-email-sign for remote-config);
  2. writes dist/examples/<example>.js to Storage as ".bootcde", the code Espruino runs at every
     power-up, and starts it. Storage files you made (the sensor's CSV "readings", "sim900.json")
     are left alone.
The examples are built for boards/pico-sim900.json; for another profile build them with
  BOARD=original-sim900 npm run build:examples
and edit examples/settings.ts (APN, servers, account) before building.

Without this tool (Espruino Web IDE, https://www.espruino.com/ide):
  1. connect to the board; in the right-hand pane's Storage menu (the disc icon) choose "Upload a
     file", pick dist/storage/sim900-email.js and name it  sim900-email ; the same for the parts
     and companions the example needs from dist/storage/: sim900-email-send.js,
     sim900-email-power.js and sim900-email-outbox.js (sensor), or sim900-email-pop3.js,
     sim900-email-fetch.js, sim900-email-power.js and sim900-email-sign.js (remote-config)
  2. open dist/examples/sensor.js in the editor, set the upload destination (the arrow on the
     Send button) to "Storage" / "Flash", and Send. Or paste examples/*.ts into your own code.
The tool never reads or stores anything else; the board's console stays on USB (USB.setConsole).

Exit codes: 0 done, 1 an upload failed or the sizes read back differ, 2 usage, 3 the files do not
fit in the board's Storage (nothing uploaded), 6 the board did not answer.
`;

function parse(argv) {
  const o = { example: "sensor", dryRun: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith("--")) fail(`${a} needs a value`);
      return v;
    };
    if (a === "--help" || a === "-h") o.help = true;
    else if (a === "--port" || a === "-p") o.port = next();
    else if (a === "--example" || a === "-e") o.example = next();
    else if (a === "--baud" || a === "-b") o.baud = next();
    else if (a === "--dry-run" || a === "-n") o.dryRun = true;
    else if (a === "--no-check") o.noCheck = true;
    else if (a === "--verbose" || a === "-v") o.verbose = true;
    else fail(`unknown argument ${a} (see --help)`);
  }
  return o;
}

function fail(msg, code = 2) {
  console.error("flash: " + msg);
  process.exit(code);
}

const o = parse(process.argv.slice(2));
if (o.help) {
  process.stdout.write(HELP);
  process.exit(0);
}
if (!EXAMPLES.includes(o.example)) fail(`--example must be one of ${EXAMPLES.join(", ")}`);
if (!o.port && !o.dryRun) fail("--port is required (or --dry-run); see --help");

const files = planFiles(root, o.example);
for (const f of files) {
  if (f.bytes < 0) fail(`${f.file} is missing: run npm run build && npm run build:examples`);
}
const cli = path.join(root, "node_modules", "espruino", "bin", "espruino-cli.js");
if (!fs.existsSync(cli)) fail("the espruino tool is not installed: npm i -D espruino");

const plan = formatPlan(files);
console.log(`flash: ${o.dryRun ? "dry run" : o.port}: ${plan.summary}`);
for (const line of plan.lines) console.log(line);

// The espruino tool inlines every require("x") it can find (espruino.com/modules, ./modules) into
// the upload. sim900-email must come from Storage instead, so module lookup is switched off: no
// online URL and a module folder that is empty.
const noModules = fs.mkdtempSync(path.join(os.tmpdir(), "sim900-flash-"));
process.on("exit", () => fs.rmSync(noModules, { recursive: true, force: true }));
// No line-number marks (ESC [ n d) before each line sent: what goes to Storage has no use for them.
const common = [cli, "--config", "MODULE_URL=", "--config", `MODULES_CWD=${noModules}`, "--config", "STORE_LINE_NUMBERS=false"];
// Bluetooth only for a Bluetooth address: elsewhere its D-Bus probe can kill the tool at start.
if (!/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i.test(o.port || "")) common.push("--no-ble");
const storageArg = (f) => (f.name === ".bootcde" ? [] : ["--storage", `${f.name}:${f.abs}`]);

if (o.dryRun) {
  const out = path.join(root, "dist", "flash", o.example + ".upload.js");
  fs.mkdirSync(path.dirname(out), { recursive: true });
  // No board to ask: describe one (a Pico on 2v20 firmware, Storage built in) so the upload is
  // written the way it would be for a real board.
  const env = path.join(noModules, "board.json");
  fs.writeFileSync(env, JSON.stringify({ BOARD: "PICO_R1_3", VERSION: "2v20", VERSION_MAJOR: 2, VERSION_MINOR: 20, MODULES: "Storage", info: { binary_version: "2v20", builtin_modules: ["Storage"] } }));
  const boot = files[files.length - 1];
  const args = [...common, "--config", "SET_TIME_ON_WRITE=true", ...files.flatMap(storageArg), "--storage", ".bootcde:-", "-n", "--board", env, "-o", out, boot.abs];
  const r = spawnSync(process.execPath, args, { stdio: o.verbose ? "inherit" : "pipe", cwd: noModules, encoding: "utf8" });
  if (r.status !== 0) fail(`the espruino tool failed (exit ${r.status}):\n${r.stdout}${r.stderr}`, 1);
  console.log(`flash: dry run: Storage not checked (no board); wrote ${path.relative(root, out)}`);
  process.exit(0);
}

const baud = o.baud ? ["-b", String(o.baud)] : [];
/** One run of the espruino tool on the board; its output is kept and shown only with --verbose or on failure. */
function tool(args, what) {
  const r = spawnSync(process.execPath, [...common, "-p", o.port, ...baud, ...args], {
    cwd: noModules, encoding: "utf8", timeout: 300000, maxBuffer: 16 << 20, stdio: ["ignore", "pipe", "pipe"],
  });
  const output = (r.stdout || "") + (r.stderr || "");
  if (o.verbose) process.stdout.write(output);
  // The board's own errors come back as its console output (the tool prefixes it with "--]").
  const boardError = /^(?:--\] *)?(Uncaught .*|ERROR: .*|.*Unable to find or create file.*)$/m.exec(output);
  if (r.error || r.status !== 0 || boardError) {
    const why = r.error ? r.error.message : boardError ? "the board said: " + boardError[1] : "exit " + r.status;
    return { ok: false, output, why: `${what} failed (${why})` };
  }
  return { ok: true, output };
}

/** The board's Storage as boardQuery() reports it, or exit 6. Asked twice: the tool ends a run 500 ms
 *  after the board last printed, which a busy board can miss. */
function askBoard(what) {
  let r, board = null;
  for (let i = 0; i < 2 && !board; i++) {
    r = tool(["-e", boardQuery(files.map((f) => f.name))], what);
    board = parseBoardReply(r.output);
  }
  if (!board) fail(`${what}: no answer about Storage from ${o.port} (is it an Espruino board, and is the port right?)` +
    (o.verbose ? "" : "\n" + r.output.split("\n").slice(-15).join("\n")), 6);
  return board;
}

if (!o.noCheck) {
  const fit = checkFits(files, askBoard("reading the board's Storage"));
  if (!fit.fits) fail(fit.message, 3);
  console.log("flash: " + fit.message);
}

// One run of the tool per file, so that the progress line follows what the board has taken: each
// module file goes with a line of code that prints its size as Storage has it (a run with a code file
// also keeps the tool out of its terminal mode). The first run resets the board, stopping the program
// it runs, which may execute from the very files being replaced; the example goes last and starts.
const tty = process.stdout.isTTY;
const show = (line, end) => (tty ? process.stdout.write("\r\x1b[K" + line + (end ? "\n" : "")) : console.log(line));
const started = Date.now();
const checks = fs.mkdtempSync(path.join(os.tmpdir(), "sim900-flash-check-"));
process.on("exit", () => fs.rmSync(checks, { recursive: true, force: true }));
for (let i = 0; i < files.length; i++) {
  const f = files[i];
  show("flash: " + progressLine(files, i, "uploading " + f.name), false);
  const boot = f.name === ".bootcde";
  let args;
  if (boot) args = ["--config", "SET_TIME_ON_WRITE=true", "--storage", ".bootcde:-", f.abs];
  else {
    const check = path.join(checks, `check-${i}.js`);
    fs.writeFileSync(check, verifyCode(f.name));
    args = [...storageArg(f), check];
  }
  if (i > 0) args.unshift("--config", "RESET_BEFORE_SEND=false");
  const r = tool(args, `uploading ${f.name}`);
  // After .bootcde the example runs: what it prints is its own business, not the upload's.
  // No report within the tool's run (it ends 500 ms after the board last printed): ask again.
  const size = boot ? f.bytes : parseVerify(r.output, f.name) ?? askBoard(`reading ${f.name} back`).files[f.name] ?? -1;
  if ((!r.ok && !boot) || size !== f.bytes) {
    if (tty) process.stdout.write("\n");
    if (!o.verbose) process.stderr.write(r.output);
    const why = !r.ok ? r.why : size < 0 ? `uploading ${f.name}: it is not on the board` : `the board has ${f.name} with ${size} bytes, not ${f.bytes}`;
    fail(why + (i ? "; the files before it are on the board" : ""), 1);
  }
  if (boot && !r.ok && !o.verbose) process.stderr.write(`flash: after the upload the example printed:\n${r.output.split("\n").filter((l) => l.startsWith("--]")).slice(-10).join("\n")}\n`);
}
show("flash: " + progressLine(files, files.length, `uploaded in ${((Date.now() - started) / 1000).toFixed(1)} s`), true);
console.log(`flash: the example runs from .bootcde at every start and loads ${files.slice(0, -1).map((f) => f.name).join(", ")} from Storage`);

const after = askBoard("reading the sizes back");
// .bootcde holds the example as the espruino tool sends it, with a blank line around it: compared trimmed.
const size = (f) => (f.name === ".bootcde" ? after.boot : after.files[f.name] ?? -1);
const want = (f) => (f.name === ".bootcde" ? fs.readFileSync(f.abs, "latin1").trim().length : f.bytes);
const wrong = files.filter((f) => size(f) !== want(f));
if (wrong.length) fail("read back from the board: " + wrong.map((f) => `${f.name} is ${size(f) < 0 ? "missing" : size(f) + " bytes"}, not ${want(f)}`).join("; "), 1);
console.log(`flash: done: ${files.length} files read back from the board with the sizes sent; ${after.free.toLocaleString("en-US")} bytes of Storage left free`);
