// The hardware side both examples share: the board profile baked in at build time, the modem's UART,
// its PWRKEY, and the connect() options. Plain Espruino calls; nothing here knows about email.
import BOARD from "board-profile";
import { SETTINGS } from "../settings";

export { BOARD };

/** The modem's UART: Serial1 (B6/B7) on a Pico, Serial2 (A2/A3) on the original board. */
export var serial: SerialPort = BOARD.serial === "Serial2" ? Serial2 : Serial1;
var PWRKEY = new Pin(BOARD.pwrkey);
var PRESS = BOARD.pwrkeyActive ? 1 : 0;

/**
 * SIM900 Hardware Design, "Power on/down": PWRKEY held low for at least 1 s switches the modem on,
 * and again for at least 1 s switches it off ("NORMAL POWER DOWN"). We press for 1.2 s and 1.5 s.
 * After power-on a modem at a fixed baud rate prints "RDY", then "Call Ready" when it has found the
 * network, usually 3 to 10 s later; an auto-bauding modem prints nothing until it hears "AT".
 */
var ON_PRESS_MS = 1200;
var OFF_PRESS_MS = 1500;
var CALL_READY_MS = 15000;
var POWER_DOWN_MS = 5000;

export function setupModem() {
  pinMode(PWRKEY, "output");
  digitalWrite(PWRKEY, 1 - PRESS); // key released
  serial.setup(BOARD.baud, { tx: new Pin(BOARD.tx), rx: new Pin(BOARD.rx) });
}

/** Calls back with true when `text` arrives on the modem's UART, false after `ms`. */
function waitFor(text: string, ms: number, cb: (seen: boolean) => void) {
  var tail = "";
  function onData(d: string) {
    tail = (tail + d).slice(-64); // bounded: only the last few characters are kept
    if (tail.indexOf(text) >= 0) end(true);
  }
  var timer = setTimeout(function () { end(false); }, ms);
  function end(seen: boolean) {
    clearTimeout(timer);
    serial.removeListener("data", onData);
    cb(seen);
  }
  serial.on("data", onData);
}

/** Switches the modem on unless it already answers (the board may have been reset, not the modem). */
export function modemOn(cb: () => void) {
  waitFor("OK", 500, function (on) {
    if (on) return cb();
    // PWRKEY is a toggle: press it only when the modem did not answer.
    console.log("modem: switching on (PWRKEY " + ON_PRESS_MS + " ms)");
    waitFor("Call Ready", CALL_READY_MS, function (ready) {
      console.log(ready ? "modem: Call Ready" : "modem: no 'Call Ready' (auto-baud?), trying anyway");
      cb(); // connect() synchronises with AT itself
    });
    digitalPulse(PWRKEY, PRESS, ON_PRESS_MS);
  });
  serial.write("AT\r");
}

/** Switches the modem off (after mail.close): registered and idle it would draw tens of mA. */
export function modemOff(cb: () => void) {
  console.log("modem: switching off (PWRKEY " + OFF_PRESS_MS + " ms)");
  // The whole line: its LF must not arrive after the board has gone to sleep.
  waitFor("NORMAL POWER DOWN\r\n", POWER_DOWN_MS, function (seen) {
    if (!seen) console.log("modem: no 'NORMAL POWER DOWN'");
    cb();
  });
  digitalPulse(PWRKEY, PRESS, OFF_PRESS_MS);
}

/** connect() options: the account, the board's chunk and ring sizes, the transcript when debugging. */
export function mailOptions(): any {
  return {
    apn: SETTINGS.apn,
    smtp: SETTINGS.smtp,
    pop3: SETTINGS.pop3,
    from: SETTINGS.from,
    chunk: BOARD.chunk,
    ring: BOARD.ring,
    log: SETTINGS.debug ? function (line: string) { console.log(line); } : undefined,
  };
}
