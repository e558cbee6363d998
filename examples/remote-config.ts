// Remote configuration: polls the unit's mailbox for emails from the operator whose subject contains
// "CONFIG", applies the settings in the body (JSON, or key=value lines), stores them in flash,
// acknowledges by email, and has the message deleted from the server. The sensor example reads the
// same file (settings.ts CONFIG_FILE) for its interval and recipients. With SETTINGS.configKey set,
// only configs signed with that key (tools/sign-config.ts) and newer than the last applied one are
// taken: fetch() checks them with the sim900-email-sign module, uploaded next to sim900-email.
//
//   Subject: CONFIG unit7            Subject: CONFIG
//                                    
//   interval=600                     {"interval": 600, "recipients": ["ops@example.com"]}
//   recipients=ops@example.com, lab@example.com
import { serial, setupModem, modemOn, modemOff, mailOptions } from "./lib/modem";
import { SETTINGS, CONFIG_FILE } from "./settings";

var email = require("sim900-email");
var storage: StorageModule = require("Storage");

// REQUIRED on the Pico: on battery Espruino moves its console to Serial1 (B6/B7), the modem's UART.
// Prints and the REPL would talk to the modem; keep the console on USB.
USB.setConsole(true);

interface Config { interval: number; recipients: string[] }

var MIN_INTERVAL = 60;
var MAX_INTERVAL = 24 * 3600;
var MAX_RECIPIENTS = 5; // the SIM900 takes at most 5 To recipients (AT+SMTPRCPT index 0-4)
var ADDRESS = /^[^\s@",<>()\[\];:\\]+@[^\s@",<>()\[\];:\\]+\.[A-Za-z0-9-]+$/;

/** The body as a Config, or a string saying what is wrong with it. */
function parseConfig(body: string): Config | string {
  var raw: any;
  var text = body.trim();
  if (text.charAt(0) === "{") {
    try { raw = JSON.parse(text); } catch (e) { return "not valid JSON"; }
  } else {
    raw = {};
    var lines = text.split("\n");
    for (var i = 0; i < lines.length; i++) {
      var line = lines[i].trim();
      if (!line || line.charAt(0) === "#") continue;
      var eq = line.indexOf("=");
      if (eq < 1) return "line " + (i + 1) + " is not key=value";
      raw[line.substr(0, eq).trim().toLowerCase()] = line.substr(eq + 1).trim();
    }
    if (raw.recipients !== undefined) raw.recipients = raw.recipients.split(",");
  }
  var out: Config = { interval: SETTINGS.interval, recipients: SETTINGS.recipients };
  for (var key in raw) {
    if (key !== "interval" && key !== "recipients") return "unknown setting " + key;
  }
  if (raw.interval !== undefined) {
    var n = +raw.interval;
    if (!(n % 1 === 0 && n >= MIN_INTERVAL && n <= MAX_INTERVAL)) return "interval must be " + MIN_INTERVAL + ".." + MAX_INTERVAL + " seconds";
    out.interval = n;
  }
  if (raw.recipients !== undefined) {
    var r = raw.recipients;
    if (typeof r === "string") r = [r];
    if (!r || typeof r.length !== "number" || !r.length || r.length > MAX_RECIPIENTS) return "recipients: 1 to " + MAX_RECIPIENTS + " addresses";
    var list: string[] = [];
    for (var j = 0; j < r.length; j++) {
      var a = String(r[j]).trim();
      if (!ADDRESS.test(a)) return "not an email address: " + a;
      list.push(a);
    }
    out.recipients = list;
  }
  return out;
}

function current(): Config {
  var c = storage.readJSON(CONFIG_FILE, true) || {};
  return { interval: c.interval || SETTINGS.interval, recipients: c.recipients || SETTINGS.recipients };
}

function poll() {
  setDeepSleep(0); // the UART must run while the modem talks
  var acks: { to: string; subject: string; body: string }[] = [];
  modemOn(function () {
    var mail: any;
    mail = email.connect(serial, mailOptions(), function (err: any) {
      if (err) return finish(err);
      var filter = {
        from: SETTINGS.configFrom, subject: SETTINGS.configSubject, key: SETTINGS.configKey || undefined,
        // forged, replayed or unsigned: not applied, not acknowledged (an attacker learns nothing)
        onReject: function (err: any, msg: any) { console.log("config: refused from " + msg.from + ": " + err.message); },
      };
      mail.fetch(filter, function (msg: any, done: (err?: any) => void) {
        var cfg = parseConfig(msg.body);
        if (typeof cfg === "string") {
          console.log("config: rejected from " + msg.from + ": " + cfg);
          acks.push({ to: msg.from, subject: "Re: " + msg.subject + " (rejected)", body: "Not applied: " + cfg + "\r\n" });
          return done(new Error(cfg)); // left on the server for a human to look at
        }
        storage.writeJSON(CONFIG_FILE, cfg);
        console.log("config: applied " + JSON.stringify(cfg));
        acks.push({ to: msg.from, subject: "Re: " + msg.subject + " (applied)", body: "Applied: " + JSON.stringify(cfg) + "\r\n" });
        done(); // the module deletes the message on the server now
      }, function (err: any, stats: any) {
        if (err) return finish(err);
        console.log("config: " + stats.checked + " new, " + stats.matched + " for us, " + stats.deleted + " deleted, " + stats.rejected + " refused");
        sendAcks();
      });
    });

    // After fetch has finished: a send queued from inside onMessage would wait for fetch, and close()
    // ends whatever runs, so the acknowledgements go one by one before closing.
    function sendAcks() {
      var a = acks.shift();
      if (!a) return finish(null);
      mail.send({ to: a.to, subject: a.subject, body: a.body }, function (err: any) {
        if (err) console.log("config: acknowledgement failed: " + (err.message || err));
        else console.log("config: acknowledged to " + a!.to);
        sendAcks();
      });
    }

    function finish(err: any) {
      if (err) console.log("config: poll failed: " + (err.message || err));
      mail.close(function () {
        modemOff(function () {
          var next = current().interval;
          console.log("config: next poll in " + next + " s");
          setDeepSleep(1);
          setTimeout(poll, next * 1000);
        });
      });
    }
  });
}

setupModem();
poll();
