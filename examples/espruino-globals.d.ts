// The Espruino globals and modules the examples use (https://www.espruino.com/Reference).
// lib is "es5" only, so nothing from Node or ES2015 can slip into board code.

// Timers, getTime and require are the module's own declarations (src/espruino.d.ts, included by
// examples/tsconfig.json); these are the ones only the examples need.
declare function print(...args: any[]): void;
declare var console: { log(...args: any[]): void };

/** A pin: `B3`, or `new Pin("B3")` from a name kept in data. */
declare class Pin {
  constructor(value: string | number | Pin);
}
declare type PinLike = Pin | string | number;
declare function digitalWrite(pin: PinLike, value: boolean | number): void;
/** Drives `pin` to `value` for `ms` milliseconds, then to !value (timed in hardware, returns at once). */
declare function digitalPulse(pin: PinLike, value: boolean | number, ms: number): void;
declare function digitalRead(pin: PinLike): number;
declare function pinMode(pin: PinLike, mode: string): void;
/** 0..1 of the analog reference voltage. */
declare function analogRead(pin: PinLike): number;
/** 1: sleep in STOP mode whenever idle and USB is not connected (~20 uA on a Pico). */
declare function setDeepSleep(sleep: boolean | number): void;

interface SerialPort {
  setup(baud: number, options?: { tx?: PinLike; rx?: PinLike }): void;
  write(data: string): void;
  on(event: "data", fn: (data: string) => void): void;
  removeListener(event: "data", fn: (data: string) => void): void;
}
declare var Serial1: SerialPort;
declare var Serial2: SerialPort;

declare var USB: {
  /** true: keep the console on USB even when USB is not connected. */
  setConsole(force?: boolean): void;
};

declare var E: {
  /** The chip's temperature sensor, degrees C. */
  getTemperature(): number;
  /** The voltage analogRead() is a fraction of (about 3.3 V; lower when the battery sags). */
  getAnalogVRef(): number;
};

/** require("Storage") */
interface StorageFile {
  /** Up to `len` characters, or undefined at the end. */
  read(len: number): string | undefined;
  readLine(): string | undefined;
  write(data: string): void;
  erase(): void;
  getLength(): number;
}
interface StorageModule {
  read(name: string): string | undefined;
  write(name: string, data: string): boolean;
  readJSON(name: string, noExceptions?: boolean): any;
  writeJSON(name: string, data: any): boolean;
  erase(name: string): void;
  open(name: string, mode: "r" | "w" | "a"): StorageFile;
  getFree(): number;
}

/** The board profile (boards/<name>.json) the build bakes in; see examples/rollup.config.mjs. */
declare module "board-profile" {
  var board: {
    board: string;
    /** "sim800" for a SIM800 or SIM808 board; absent: connect() asks the modem (ATI). */
    modem?: string;
    serial: "Serial1" | "Serial2";
    tx: string;
    rx: string;
    baud: number;
    pwrkey: string;
    pwrkeyActive: number;
    battery: { pin: string; divider: number };
    chunk: number;
    ring: number;
  };
  export default board;
}
