// npm start: the built board bundle, in the Espruino-like ES5 sandbox, drives the emulated SIM900
// (paced at 115200 baud, with network latency) whose embedded mail system is the mail server. It
// sends a reading with a CSV attachment, then fetches a CONFIG email over POP3, and prints the AT
// transcript and a summary. No hardware, no network, no outside server.
import * as path from "node:path";
import { simpleParser } from "mailparser";
import { createEmulator } from "./sim900-emulator/modem";
import { createPort } from "./sim900-emulator/transports";
import { createBackend } from "./sim900-emulator/mail";
import { loadBundle } from "../test/helpers/sandbox";

const BAUD = 115200;
const started = Date.now();
const grey = (s: string) => (process.stdout.isTTY ? `\x1b[90m${s}\x1b[0m` : s);

async function main() {
  const backend = createBackend({ accounts: [{ user: "unit7", pass: "secret" }, { user: "ops", pass: "secret" }] });
  await backend.ready;
  const emu = createEmulator({ backend, baud: BAUD, maxChunk: 64, latencyMs: 300 });
  const port = createPort(emu);
  const email = loadBundle(path.join(__dirname, "..", "dist", "sim900-email.js"));
  let commands = 0;
  const log = (line: string) => {
    if (line.startsWith("> ")) commands++;
    console.log(grey(((Date.now() - started) / 1000).toFixed(2).padStart(6) + "s ") + line.replace(/[\x00-\x1f\x7f-\xff]/g, (c) => "\\x" + c.charCodeAt(0).toString(16).padStart(2, "0")));
  };
  const call = (fn: (cb: (err: any, res?: any) => void) => void) =>
    new Promise<any>((resolve, reject) => fn((err, res) => (err ? reject(err) : resolve(res))));

  console.log("== connect: sync, bearer (manual 3.1), email parameters");
  let mail: any;
  await call((cb) => {
    mail = email.connect(port, {
      apn: "internet",
      smtp: { host: "smtp.example.com", port: 25, user: "unit7", password: "secret" },
      pop3: { host: "pop.example.com", port: 110, user: "unit7", password: "secret" },
      from: { address: "unit7@example.com", name: "Unit 7" },
      log,
    }, cb);
  });

  console.log("\n== send: a reading with a CSV attachment of every reading since the last send");
  const csv = "time,temp_c,battery_v\r\n" + Array.from({ length: 48 }, (_, i) => `2026-11-25T${String(i >> 1).padStart(2, "0")}:${i % 2 ? "30" : "00"},${(19 + Math.sin(i / 5) * 2).toFixed(1)},${(4.1 - i * 0.004).toFixed(3)}`).join("\r\n") + "\r\n";
  const info = await call((cb) => mail.send({
    to: [{ address: "ops@example.com", name: "Ops" }],
    subject: "Unit 7 reading 21.5C",
    body: "t=21.5C battery=3.91V",
    attachment: { name: "readings.csv", data: csv },
  }, cb));
  const sent = await simpleParser(backend.mailbox("ops")[0].raw);
  console.log(`   arrived at ops@: "${sent.subject}" with ${sent.attachments[0].filename} (${sent.attachments[0].size} bytes); ${info.commands} AT commands`);

  console.log("\n== fetch: remote configuration over POP3 (list, TOP 0, RETR, DEL after done)");
  backend.deliver("unit7", "From: Ops <ops@example.com>\r\nTo: unit7@example.com\r\nSubject: CONFIG unit7\r\n\r\ninterval=600\r\nto=ops@example.com\r\n");
  backend.deliver("unit7", "From: newsletter@example.net\r\nSubject: Hello\r\n\r\nnot for us\r\n");
  let config = "";
  const stats = await call((cb) => mail.fetch({ from: "ops@example.com", subject: "CONFIG" }, (msg: any, done: () => void) => {
    config = msg.body;
    done();
  }, cb));
  console.log(`   applied config from ${"ops@example.com"}: ${JSON.stringify(config)}; ${stats.checked} checked, ${stats.deleted} deleted`);

  await call((cb) => mail.close(cb));
  const out = emu.transcript.bytes("out").length;
  const inn = emu.transcript.bytes("in").length;
  const onAir = (out + inn) / (BAUD / 10);
  console.log("\n== summary");
  console.log(`   emails sent: 1 (${csv.length} byte attachment), emails received: 1 config applied, ${stats.checked - stats.matched} ignored`);
  console.log(`   AT commands: ${commands}; UART bytes: ${inn} to the modem, ${out} from it`);
  console.log(`   simulated time on the UART at ${BAUD} baud: ${onAir.toFixed(2)} s; wall time ${((Date.now() - started) / 1000).toFixed(1)} s`);
  port.close();
  emu.close();
  await backend.close();
}

main().then(() => process.exit(0), (err) => {
  console.error("demo failed:", err && err.message ? err.message : err);
  process.exit(1);
});
