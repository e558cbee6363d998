// The hardware side both examples share: the board profile baked in at build time, the modem's UART,
// its PWRKEY, and the connect() options. Plain Espruino calls; nothing here knows about email.
import BOARD from "board-profile";
import { SETTINGS } from "../settings";

export { BOARD };

/** The modem's UART: Serial1 (B6/B7) on a Pico, Serial2 (A2/A3) on the original board. */
export var serial: SerialPort = BOARD.serial === "Serial2" ? Serial2 : Serial1;
// PWRKEY through the power companion (sim900-email-power): SIM900 Hardware Design timings, never a
// press for a modem that already answers (the key toggles), RDY / Call Ready / OK with a timeout.
var power = require("sim900-email-power").create(serial, { pin: new Pin(BOARD.pwrkey), activeHigh: BOARD.pwrkeyActive === 1 });

export function setupModem() {
  serial.setup(BOARD.baud, { tx: new Pin(BOARD.tx), rx: new Pin(BOARD.rx) });
}

/** Switches the modem on unless it already answers (the board may have been reset, not the modem). */
export function modemOn(cb: () => void) {
  power.on(function (err: any, info: any) {
    if (err) console.log("modem: " + err.message + ", trying anyway"); // connect() synchronises with AT itself
    else console.log(info.already ? "modem: already on" : "modem: switched on");
    cb();
  });
}

/** Switches the modem off (after mail.close): registered and idle it would draw tens of mA. */
export function modemOff(cb: () => void) {
  power.off(function (err: any) {
    console.log(err ? "modem: " + err.message : "modem: off");
    cb();
  });
}

/** connect() options: the account, the board's chunk and ring sizes, the transcript when debugging. */
export function mailOptions(): any {
  return {
    modem: BOARD.modem, // "sim800" on a SIM800 profile; undefined: found from ATI
    apn: SETTINGS.apn,
    smtp: SETTINGS.smtp,
    pop3: SETTINGS.pop3,
    from: SETTINGS.from,
    chunk: BOARD.chunk,
    ring: BOARD.ring,
    log: SETTINGS.debug ? function (line: string) { console.log(line); } : undefined,
  };
}
