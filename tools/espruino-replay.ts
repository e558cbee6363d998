// Runs the board bundle on a real Espruino (the Linux build, ESPRUINO=path) through a whole session:
// connect, an email with an attachment, a UTF-8 email, list, a streamed retrieve, a whole retrieve,
// fetch (base64 body, encoded subject), a retrieve the server refuses and a send that fails (61). The modem's side is replayed: the same session first runs in the ES5 sandbox against the
// emulated SIM900, recording each write of the module and the serial chunks that followed it; on
// Espruino a port hands those chunks back after each write, and checks that every write is the one
// recorded. Both runs print their callbacks' results, which must be the same.
//
//   ESPRUINO=/path/to/espruino npx tsx tools/espruino-replay.ts
import * as fs from "node:fs";
import * as path from "node:path";
import { loadBundle } from "./sandbox";
import { createEmulator } from "./sim900-emulator/modem";
import { createPort } from "./sim900-emulator/transports";
import { createBackend } from "./sim900-emulator/mail";
import { run, fresh } from "./espruino-measure";

const root = path.join(__dirname, "..");
const espruino = process.env.ESPRUINO || process.argv[2];

// The session, as ES5 source: run as it is on the host and on Espruino.
const SCENARIO = `function scenario(email, port, done) {
  var R = [];
  function e(err) { return err ? (err.code || err.type) : null; }
  function sum(s) { var t = 0; for (var i = 0; i < s.length; i++) t = (t * 31 + s.charCodeAt(i)) % 1000003; return t; }
  var mail = email.connect(port, { apn: "internet", chunk: 200, ring: 300, atTimeout: 3000, serverTimeout: 8000,
    smtp: { host: "smtp.example.com", port: 25, user: "unit7", password: "secret" },
    pop3: { host: "pop.example.com", port: 110, user: "unit7", password: "secret" },
    from: { address: "unit7@example.com", name: "Unit 7" } }, function (err) {
    R.push(["connect", e(err)]);
    var left = 1500;
    mail.send({ to: ["ops@example.com", { address: "lab@example.com", name: "Lab" }], subject: "Reading 42", body: "t=21.5C\\r\\n",
      attachment: { name: "log.csv", read: function (max) {
        if (!left) return undefined;
        var k = Math.min(max, left, 170), s = "";
        left -= k;
        while (s.length < k) s += "2026-11-25,21.5\\r\\n".substr(0, k - s.length);
        return s;
      } } }, function (err, info) {
      R.push(["send", e(err), info && info.commands, info && info.size]);
      mail.send({ to: "ops@example.com", subject: "Temp\\u00e9rature 21\\u00b0C", body: "\\u00e9t\\u00e9 \\u2713\\r\\n" }, function (err, info) {
        R.push(["send-utf8", e(err), info && info.commands]);
        mail.list(function (err, l) {
          var ls = [];
          if (l) for (var i = 0; i < l.length; i++) ls.push([l[i].n, l[i].size, l[i].uid.length]);
          R.push(["list", e(err), ls]);
          var got = 0, h = 0;
          mail.retrieve(1, { onData: function (s) { got += s.length; h = (h * 7 + sum(s)) % 1000003; } }, function (err, info) {
            R.push(["retrieve-stream", e(err), info && info.size, got, h]);
            mail.retrieve(2, null, function (err, info) {
              R.push(["retrieve-whole", e(err), info && info.size, info && sum(info.message)]);
              var seen = [];
              mail.fetch({ from: "ops@example.com", subject: "config", seen: { has: function () { return false; }, add: function () {}, keep: function () {} } },
                function (msg, ok) { seen.push([msg.from, sum(msg.subject), sum(msg.body), msg.body.length]); ok(); },
                function (err, stats) {
                  R.push(["fetch", e(err), seen, stats && [stats.checked, stats.matched, stats.deleted]]);
                  mail.retrieve(999, null, function (err) {
                    R.push(["retrieve-999", e(err), err && err.command]);
                    mail.send({ to: "ops@example.com", subject: "fails", body: "x" }, function (err) {
                      R.push(["send-61", e(err), err && err.command, err && err.message]);
                      mail.close(function (err) { R.push(["close", e(err)]); done(R); });
                    });
                  });
                });
            });
          });
        });
      });
    });
  });
}`;

function mailbox(deliver: (raw: string) => void) {
  // message 1: 6 KB with lines a naive reader trips on; 2: small; 3: a base64 config with an encoded subject
  const lines = [".", "..", "...x", "OK", "ERROR", "+POP3READ: 2,5", "> ", "", "\x1a\x1b", "line ending in CR\r"];
  let body = "";
  for (let i = 0; body.length < 6000; i++) body += lines[i % lines.length] + "\r\n" + "data " + i + " " + "x".repeat(i % 60) + "\r\n";
  deliver("From: ops@example.com\r\nSubject: big\r\n\r\n" + body);
  deliver("From: lab@example.com\r\nSubject: small\r\n\r\nhello\r\n.\r\n..\r\n");
  deliver("From: Ops <ops@example.com>\r\nSubject: =?UTF-8?Q?CONFIG_Temp=C3=A9rature?=\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
    Buffer.from("interval=600\r\nname=K\xfcche\r\n", "latin1").toString("base64") + "\r\n");
}

export type Steps = [string, string[]][];

/**
 * Runs `scenario` (ES5 source of `function scenario(email, port, done, mem)`) in the ES5 sandbox
 * against the emulated SIM900 holding the mail `mailbox` delivers to unit7, and records each write
 * of the module with the serial chunks that followed it. `onWrite` may set faults first. `mem`
 * returns 0 here; on Espruino it is the JsVars in use.
 */
export async function record(scenario: string, mailbox: (deliver: (raw: string) => void) => void,
  onWrite?: (d: string, emu: ReturnType<typeof createEmulator>) => void): Promise<{ results: unknown; steps: Steps }> {
  const backend = createBackend({ accounts: [{ user: "unit7", pass: "secret" }, { user: "ops", pass: "secret" }, { user: "lab", pass: "secret" }] });
  await backend.ready;
  mailbox((raw) => backend.deliver("unit7", raw));
  const emu = createEmulator({ backend, baud: 0 });
  const inner = createPort(emu);
  const steps: Steps = [];
  const port: any = {
    write(d: string) {
      steps.push([d, []]);
      if (onWrite) onWrite(d, emu);
      inner.write(d);
    },
    on(ev: "data", fn: (d: string) => void) {
      inner.on(ev, (d: string) => { if (steps.length) steps[steps.length - 1][1].push(d); fn(d); if (port.sample) port.sample(); });
    },
    removeListener() { inner.removeAllListeners?.("data"); },
  };
  const email = loadBundle(path.join(root, "dist", "sim900-email.js"));
  const run = new Function(scenario + "\nreturn scenario;")();
  const results = await new Promise((resolve) => run(email, port, resolve, () => 0));
  emu.close?.();
  await backend.close();
  return { results, steps };
}

/**
 * An Espruino program that runs `scenario` with the module `email` against a port replaying
 * `steps`: after each write, the chunks recorded after it (then port.sample(), if the scenario set
 * one). Writes and chunk lists are stored once each, so a long transfer (the same read again and
 * again) stays small. Prints RESULT {results, mismatch, ...extra}.
 */
export function replayProgram(steps: Steps, scenario: string, load: string, extra = ""): string {
  const writes: string[] = [], lists: string[] = [], order: number[] = [];
  const index = (a: string[], v: string) => { let i = a.indexOf(v); if (i < 0) i = a.push(v) - 1; return i; };
  for (const [w, chunks] of steps) order.push(index(writes, w), index(lists, JSON.stringify(chunks)));
  return `var W = ${JSON.stringify(writes)};
var C = [${lists.join(",")}];
var S = ${JSON.stringify(order)};
var si = 0, mismatch = null;
function mem() { return process.memory().usage; }
var port = { on: function (e, f) { port.f = f; }, removeListener: function () { port.f = null; },
  write: function (d) {
    if (si >= S.length) { if (!mismatch) mismatch = "extra write " + JSON.stringify(d).substr(0, 120); return; }
    var w = W[S[si]], chunks = C[S[si + 1]];
    si += 2;
    if (w !== d && !mismatch) mismatch = "write " + (si / 2 - 1) + ": " + JSON.stringify(d).substr(0, 120) + " recorded " + JSON.stringify(w).substr(0, 120);
    if (chunks.length) setTimeout(function () {
      for (var i = 0; i < chunks.length; i++) if (port.f) { port.f(chunks[i]); if (port.sample) port.sample(); }
    }, 1);
  } };
${scenario}
// once this program's own text is gone from RAM
setTimeout(function () {
  ${load}
  scenario(email, port, function (R) { print("RESULT " + JSON.stringify({ results: R, mismatch: mismatch${extra} })); }, mem);
}, 1);
`;
}

async function onEspruino(steps: Steps): Promise<{ results?: unknown; mismatch?: string; out: string }> {
  const code = fs.readFileSync(path.join(root, "dist", "sim900-email.js"), "utf8");
  const load = `Modules.addCached("sim900-email", function () {${code}\n});\nvar email = require("sim900-email");`;
  const out = await run(fresh(), replayProgram(steps, SCENARIO, load), /RESULT \{.*\}/);
  const m = /RESULT (\{.*\})/.exec(out);
  return m ? { ...JSON.parse(m[1]), out } : { out };
}

async function main() {
  if (!espruino || !fs.existsSync(espruino)) {
    console.error("usage: ESPRUINO=/path/to/espruino npx tsx tools/espruino-replay.ts  (Espruino's Linux build)");
    return 2;
  }
  let sends = 0;
  const h = await record(SCENARIO, mailbox, (d, emu) => { if (d === "AT+SMTPSEND\r" && ++sends === 3) emu.faults.failSmtpSend(61); }); // the third email fails
  console.log("host (ES5 sandbox + emulator): " + JSON.stringify(h.results));
  console.log(`recorded ${h.steps.length} writes, ${h.steps.reduce((n, s) => n + s[1].length, 0)} serial chunks`);
  const e = await onEspruino(h.steps);
  if (!e.results) {
    console.log("Espruino gave no result:\n" + e.out.slice(-1500));
    return 1;
  }
  console.log("Espruino (replayed modem):     " + JSON.stringify(e.results));
  if (e.mismatch) console.log("first write that differs: " + e.mismatch);
  const same = JSON.stringify(e.results) === JSON.stringify(h.results) && !e.mismatch;
  console.log(same ? "same results, same writes" : "DIFFERENT");
  return same ? 0 : 1;
}

if (process.argv[1] && path.resolve(process.argv[1]).replace(/\.ts$/, "") === __filename.replace(/\.ts$/, ""))
  main().then((c) => process.exit(c), (err) => { console.error(err); process.exit(1); });
