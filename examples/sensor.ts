// A battery sensor: wakes on a timer, appends a reading to a CSV in flash, powers the SIM900 up, emails
// the reading with every reading since the last successful send attached, and sleeps again. The CSV
// is erased only after a send succeeded, so a failed send (no network, server down) loses nothing:
// the next wake sends it all.
//
// Board code: built to ES5 by `npm run build:examples` (dist/examples/sensor.js) with the board profile
// baked in, flashed by `npm run flash -- --port /dev/ttyACM0 --example sensor`.
import { BOARD, serial, setupModem, modemOn, modemOff, mailOptions } from "./lib/modem";
import { SETTINGS, CONFIG_FILE } from "./settings";

var email = require("sim900-email");
var storage: StorageModule = require("Storage");

// REQUIRED on the Pico: when it boots without USB (on battery) Espruino moves its console to Serial1,
// which is B6/B7, the modem's UART. Every print, error message and the REPL prompt would then go to
// the modem as garbage AT commands, and whatever the modem says would be typed into the REPL.
USB.setConsole(true);

/** A StorageFile: appendable, read back in pieces; names of 8 characters work on every firmware. */
var CSV = "readings";
var HEADER = "time,temp_c,battery_v\r\n";
/** Stop appending when flash is this close to full (bytes). */
var FLASH_RESERVE = 4096;

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
  if (storage.getFree() > FLASH_RESERVE) storage.open(CSV, "a").write(line + "\r\n");
  else console.log("sensor: flash full, reading not kept");
  return line;
}

/** The attachment: the header, then the CSV file read straight from flash a piece at a time. */
function csvReader(counter: { lines: number }) {
  var file = storage.open(CSV, "r");
  var head = HEADER;
  return function (max: number): string | undefined {
    if (head) {
      var h = head.substr(0, max);
      head = head.substr(h.length);
      return h;
    }
    var piece = file.read(max);
    if (piece) for (var i = piece.indexOf("\n"); i >= 0; i = piece.indexOf("\n", i + 1)) counter.lines++;
    return piece; // undefined at the end of the file
  };
}

function wake() {
  // The UART stops in deep sleep and bytes from the modem would be lost: stay awake while it runs.
  setDeepSleep(0);
  var cfg = config();
  var reading = measure();
  var parts = reading.split(",");
  console.log("sensor: reading " + reading);
  modemOn(function () {
    var mail: any;
    var counter = { lines: 0 };
    mail = email.connect(serial, mailOptions(), function (err: any) {
      if (err) return finish(err);
      mail.send({
        to: cfg.recipients,
        subject: SETTINGS.from.name + ": " + parts[1] + "C " + parts[2] + "V",
        body: "Reading at " + parts[0] + ": temperature " + parts[1] + " C, battery " + parts[2] + " V.\r\n" +
          "Attached: every reading since the last email.\r\n",
        attachment: { name: "readings.csv", binary: false, read: csvReader(counter) },
      }, function (err: any) {
        if (!err) storage.open(CSV, "r").erase(); // only now: the server has it
        finish(err);
      });
    });

    function finish(err: any) {
      if (err) console.log("sensor: send failed, readings kept: " + (err.message || err));
      else console.log("sensor: sent " + counter.lines + (counter.lines === 1 ? " reading" : " readings"));
      mail.close(function () {
        modemOff(function () {
          console.log("sensor: sleeping " + cfg.interval + " s");
          setDeepSleep(1); // the modem is off: nothing to listen to until the next wake
          setTimeout(wake, cfg.interval * 1000);
        });
      });
    }
  });
}

setupModem();
wake();
