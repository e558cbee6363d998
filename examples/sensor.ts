// A battery sensor: wakes on a timer, appends a reading to a CSV in flash, puts an email with the CSV in
// the outbox (flash too, sim900-email-outbox), and when the outbox's backoff allows, powers the SIM900
// up and sends what waits there, oldest first; then sleeps again. A reading is erased from the CSV only
// once its email is in the outbox, and an email leaves the outbox only once the server took it: no
// network, server down or a reset lose nothing. Each email's subject ends with its id ("[unit7#12]"),
// the same on every retry, so the receiver can drop a duplicate (delivery is at least once).
//
// Board code: built to ES5 by `npm run build:examples` (dist/examples/sensor.js) with the board profile
// baked in, flashed by `npm run flash -- --port /dev/ttyACM0 --example sensor`.
import { BOARD, serial, setupModem, modemOn, modemOff, mailOptions } from "./lib/modem";
import { SETTINGS, CONFIG_FILE } from "./settings";

var email = require("sim900-email");
var storage: StorageModule = require("Storage");
// The outbox sends through whichever connection is open at the time.
var mail: any;
var outbox = require("sim900-email-outbox").create({ send: function (m: any, cb: any) { mail.send(m, cb); } }, {
  id: SETTINGS.unit, max: 16, maxBytes: 12288,
});
/** getTime() before which the outbox's backoff says not to power the modem up. */
var nextTry = 0;

// REQUIRED on the Pico: when it boots without USB (on battery) Espruino moves its console to Serial1,
// which is B6/B7, the modem's UART. Every print, error message and the REPL prompt would then go to
// the modem as garbage AT commands, and whatever the modem says would be typed into the REPL.
USB.setConsole(true);

/** A StorageFile: appendable, read back in pieces; names of 8 characters work on every firmware. */
var CSV = "readings";
var HEADER = "time,temp_c,battery_v\r\n";
/** Stop appending when flash is this close to full (bytes). */
var FLASH_RESERVE = 4096;
/** The CSV never grows beyond this (bytes, about 100 readings): it must fit one email in the outbox,
 *  and it only grows while the outbox is full (16 emails waiting). */
var MAX_CSV = 4096;

function config(): { interval: number; recipients: string[] } {
  var c = storage.readJSON(CONFIG_FILE, true) || {};
  return { interval: c.interval || SETTINGS.interval, recipients: c.recipients || SETTINGS.recipients };
}

/** Takes a reading and appends it to the CSV in flash. */
function measure(): string {
  var t = E.getTemperature();
  // the divider halves the battery voltage; analogRead is a fraction of VRef
  var v = analogRead(new Pin(BOARD.battery.pin)) * E.getAnalogVRef() * BOARD.battery.divider;
  var line = new Date(getTime() * 1000).toISOString() + "," + t.toFixed(1) + "," + v.toFixed(2);
  var file = storage.open(CSV, "a");
  if (storage.getFree() > FLASH_RESERVE && file.getLength() + line.length + 2 <= MAX_CSV) file.write(line + "\r\n");
  else console.log("sensor: flash or CSV full, reading not kept");
  return line;
}

/** Moves the readings from the CSV into an email in the outbox; the CSV is erased once it is there. */
function queueReadings(reading: string) {
  var csv = storage.open(CSV, "r").read(MAX_CSV) || "";
  var rows = csv.split("\n").length - 1;
  var p = reading.split(",");
  outbox.queue({
    to: config().recipients,
    subject: SETTINGS.from.name + ": " + p[1] + "C " + p[2] + "V",
    body: "Reading at " + p[0] + ": temperature " + p[1] + " C, battery " + p[2] + " V.\r\n" +
      "Attached: " + rows + (rows === 1 ? " reading" : " readings") + " since the last email.\r\n",
    attachment: { name: "readings.csv", binary: false, data: HEADER + csv },
  }, function (err: any, id: string) {
    if (err) return console.log("sensor: readings kept in the CSV, outbox refused them: " + err.message);
    storage.open(CSV, "r").erase();
    console.log("sensor: queued " + id + " (" + rows + (rows === 1 ? " reading)" : " readings)"));
  });
}

function wake() {
  // The UART stops in deep sleep and bytes from the modem would be lost: stay awake while it runs.
  setDeepSleep(0);
  var cfg = config();
  var reading = measure();
  console.log("sensor: reading " + reading);
  queueReadings(reading);
  var waiting = outbox.size().count;
  if (!waiting || getTime() < nextTry) {
    if (waiting) console.log("sensor: " + waiting + " waiting, next try in " + Math.round(nextTry - getTime()) + " s");
    return sleep(cfg.interval);
  }
  modemOn(function () {
    mail = email.connect(serial, mailOptions(), function (err: any) {
      if (err) return finish(err, { sent: 0, left: waiting, retryIn: 60000 });
      outbox.flush(finish);
    });

    function finish(err: any, stats: any) {
      nextTry = getTime() + stats.retryIn / 1000;
      if (err) console.log("sensor: send failed, " + stats.left + " waiting, retry in " + Math.round(stats.retryIn / 1000) + " s: " + (err.message || err));
      else console.log("sensor: sent " + stats.sent + (stats.sent === 1 ? " email" : " emails") + ", " + stats.left + " waiting");
      mail.close(function () {
        modemOff(function () { sleep(cfg.interval); });
      });
    }
  });
}

function sleep(seconds: number) {
  console.log("sensor: sleeping " + seconds + " s");
  setDeepSleep(1); // the modem is off: nothing to listen to until the next wake
  setTimeout(wake, seconds * 1000);
}

setupModem();
wake();
