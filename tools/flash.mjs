#!/usr/bin/env node
// npm run flash -- --port /dev/ttyACM0 [--example sensor|remote-config] [--dry-run]
// Puts the module into the board's Storage as "sim900-email" (so require() runs it from flash) and an
// example as the boot code (.bootcde), with the `espruino` command-line tool (EspruinoTools).
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const EXAMPLES = ["sensor", "remote-config"];

const HELP = `Flash sim900-email and an example program to an Espruino board.

usage: npm run flash -- --port <port> [--example sensor|remote-config] [--baud 115200] [--dry-run]

  --port, -p   the board: /dev/ttyACM0 (Linux), /dev/tty.usbmodem... (macOS), COM3 (Windows),
               or a Bluetooth address / tcp://host as the espruino tool accepts
  --example    the program to run at boot: sensor (default) or remote-config
  --baud, -b   serial baud rate for a board on a USB-serial adapter (USB boards ignore it)
  --dry-run    connect to nothing; write what would be sent to dist/flash/<example>.upload.js
  --help, -h   this text

What it does (needs \`npm run build && npm run build:examples\` first):
  1. writes dist/sim900-email.js to Storage as the file "sim900-email": require("sim900-email")
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
     file", pick dist/sim900-email.js and name it  sim900-email ; the same for the companions the
     example needs: dist/sim900-email-power.js, and dist/sim900-email-outbox.js (sensor) or
     dist/sim900-email-sign.js (remote-config)
  2. open dist/examples/sensor.js in the editor, set the upload destination (the arrow on the
     Send button) to "Storage" / "Flash", and Send. Or paste examples/*.ts into your own code.
The tool never reads or stores anything else; the board's console stays on USB (USB.setConsole).
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
    else fail(`unknown argument ${a} (see --help)`);
  }
  return o;
}

function fail(msg) {
  console.error("flash: " + msg);
  process.exit(2);
}

const o = parse(process.argv.slice(2));
if (o.help) {
  process.stdout.write(HELP);
  process.exit(0);
}
if (!EXAMPLES.includes(o.example)) fail(`--example must be one of ${EXAMPLES.join(", ")}`);
if (!o.port && !o.dryRun) fail("--port is required (or --dry-run); see --help");

const moduleFile = path.join(root, "dist", "sim900-email.js");
const exampleFile = path.join(root, "dist", "examples", o.example + ".js");
// The companion modules each example require()s: PWRKEY handling, and the sensor's outbox or
// remote-config's signature check.
const companions = ["sim900-email-power", o.example === "sensor" ? "sim900-email-outbox" : "sim900-email-sign"];
const companionFiles = companions.map((c) => path.join(root, "dist", c + ".js"));
for (const f of [moduleFile, ...companionFiles, exampleFile]) {
  if (!fs.existsSync(f)) fail(`${path.relative(root, f)} is missing: run npm run build && npm run build:examples`);
}
const cli = path.join(root, "node_modules", "espruino", "bin", "espruino-cli.js");
if (!fs.existsSync(cli)) fail("the espruino tool is not installed: npm i -D espruino");

// The espruino tool inlines every require("x") it can find (espruino.com/modules, ./modules) into
// the upload. sim900-email must come from Storage instead, so module lookup is switched off: no
// online URL and a module folder that is empty.
const noModules = fs.mkdtempSync(path.join(os.tmpdir(), "sim900-flash-"));
const args = [
  cli,
  "--config", "MODULE_URL=",
  "--config", `MODULES_CWD=${noModules}`,
  "--config", "SET_TIME_ON_WRITE=true", // the CSV's timestamps need the board's clock set
  "--storage", `sim900-email:${moduleFile}`,
  ...companions.flatMap((c, i) => ["--storage", `${c}:${companionFiles[i]}`]),
  "--storage", ".bootcde:-",
];
if (o.dryRun) {
  const out = path.join(root, "dist", "flash", o.example + ".upload.js");
  fs.mkdirSync(path.dirname(out), { recursive: true });
  // No board to ask: describe one (a Pico on 2v20 firmware, Storage built in) so the upload is
  // written the way it would be for a real board.
  const env = path.join(noModules, "board.json");
  fs.writeFileSync(env, JSON.stringify({ BOARD: "PICO_R1_3", VERSION: "2v20", VERSION_MAJOR: 2, VERSION_MINOR: 20, MODULES: "Storage", info: { binary_version: "2v20", builtin_modules: ["Storage"] } }));
  args.push("-n", "--board", env, "-o", out);
  console.log(`flash: dry run, writing ${path.relative(root, out)}`);
} else {
  args.push("-p", o.port);
  if (o.baud) args.push("-b", String(o.baud));
  console.log(`flash: ${o.port}: Storage "sim900-email" <- dist/sim900-email.js, ${companions.map((c) => `"${c}" <- dist/${c}.js`).join(", ")}, .bootcde <- dist/examples/${o.example}.js`);
}
args.push(exampleFile);
console.log(`flash: (the espruino tool will say "Module sim900-email not found": expected, the board loads it and ${companions.join(", ")} from Storage)`);

const r = spawnSync(process.execPath, args, { stdio: "inherit", cwd: noModules });
fs.rmSync(noModules, { recursive: true, force: true });
process.exit(r.status ?? 1);
