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
import { loadBundle } from "../test/helpers/sandbox";
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

async function host(): Promise<{ results: unknown; steps: [string, string[]][] }> {
  const backend = createBackend({ accounts: [{ user: "unit7", pass: "secret" }, { user: "ops", pass: "secret" }, { user: "lab", pass: "secret" }] });
  await backend.ready;
  mailbox((raw) => backend.deliver("unit7", raw));
  const emu = createEmulator({ backend, baud: 0 });
  const inner = createPort(emu);
  const steps: [string, string[]][] = [];
  let sends = 0;
  const port = {
    write(d: string) {
      steps.push([d, []]);
      if (d === "AT+SMTPSEND\r" && ++sends === 3) emu.faults.failSmtpSend(61); // the third email fails
      inner.write(d);
    },
    on(ev: "data", fn: (d: string) => void) {
      inner.on(ev, (d: string) => { if (steps.length) steps[steps.length - 1][1].push(d); fn(d); });
    },
    removeListener() { inner.removeAllListeners?.("data"); },
  };
  const email = loadBundle(path.join(root, "dist", "sim900-email.js"));
  const scenario = new Function(SCENARIO + "\nreturn scenario;")();
  const results = await new Promise((resolve) => scenario(email, port, resolve));
  emu.close?.();
  await backend.close();
  return { results, steps };
}

async function onEspruino(steps: [string, string[]][]): Promise<{ results?: unknown; mismatch?: string; out: string }> {
  const code = fs.readFileSync(path.join(root, "dist", "sim900-email.js"), "utf8");
  const script = `Modules.addCached("sim900-email", function () {${code}\n});
var steps = ${JSON.stringify(steps)};
var si = 0, mismatch = null;
var port = { on: function (e, f) { port.f = f; }, removeListener: function () { port.f = null; },
  write: function (d) {
    var st = steps[si++];
    if (!st) { if (!mismatch) mismatch = "extra write " + JSON.stringify(d); return; }
    if (st[0] !== d && !mismatch) mismatch = "write " + (si - 1) + ": " + JSON.stringify(d).substr(0, 120) + " recorded " + JSON.stringify(st[0]).substr(0, 120);
    var chunks = st[1];
    if (chunks.length) setTimeout(function () { for (var i = 0; i < chunks.length; i++) if (port.f) port.f(chunks[i]); }, 1);
  } };
${SCENARIO}
scenario(require("sim900-email"), port, function (R) { print("RESULT " + JSON.stringify({ results: R, mismatch: mismatch })); });
`;
  const out = await run(fresh(), script, /RESULT \{.*\}/);
  const m = /RESULT (\{.*\})/.exec(out);
  return m ? { ...JSON.parse(m[1]), out } : { out };
}

async function main() {
  if (!espruino || !fs.existsSync(espruino)) {
    console.error("usage: ESPRUINO=/path/to/espruino npx tsx tools/espruino-replay.ts  (Espruino's Linux build)");
    return 2;
  }
  const h = await host();
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

main().then((c) => process.exit(c), (err) => { console.error(err); process.exit(1); });
