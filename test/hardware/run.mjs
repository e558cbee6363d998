// npm run test:hardware -- --port /dev/ttyUSB0 [--baud N]: the acceptance suite *.hw.ts against a
// real SIM900 and a real mailbox. The port may also come from SIM900_PORT; without one the suite is
// skipped (with a message saying why) and this exits 0.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";

const args = process.argv.slice(2);
const env = { ...process.env };
const rest = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--port" || args[i] === "--baud") {
    if (args[i + 1] === undefined) {
      console.error("test:hardware: " + args[i] + " needs a value");
      process.exit(2);
    }
    env[args[i] === "--port" ? "SIM900_PORT" : "SIM900_BAUD"] = args[++i];
  } else rest.push(args[i]);
}
const mocha = createRequire(import.meta.url).resolve("mocha/bin/mocha.js");
const child = spawn(process.execPath, [mocha, "--config", "test/hardware/.mocharc.json", ...rest], { stdio: "inherit", env });
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
