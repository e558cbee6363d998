// A pretend Espruino board for running the example programs on the host (demo and tests): an ES5-only
// vm context with the Espruino globals the examples use (USB, E, Serial1/2, Pin, digitalWrite,
// digitalPulse, analogRead, setDeepSleep, getTime, require("Storage"), require("sim900-email")), a
// SIM900 on Serial whose power follows the PWRKEY pin, and an in-memory Storage with StorageFiles.
// The module itself is the built bundle, loaded by tools/sandbox.ts like on a board. Serial input and
// every timer (the program's, the module's, its companions') go through one idle loop as on Espruino
// (tools/espruino-idle-loop.ts): a bounded input FIFO, data before timers, E.getErrorFlags().
import { EventEmitter } from "node:events";
import * as fs from "node:fs";
import * as path from "node:path";
import * as vm from "node:vm";
import type { Emulator } from "./sim900-emulator/modem";
import { IdleLoop, IdleTimer } from "./espruino-idle-loop";
import { E_BYTES, errorFlagApi } from "./espruino-serial";
import { loadBundle, realHost, ESPRUINO_INDEXOF } from "./sandbox";

const NOT_ES5 = [
  "Promise", "Map", "Set", "WeakMap", "WeakSet", "Symbol", "Proxy", "Reflect", "WeakRef",
  "FinalizationRegistry", "BigInt", "SharedArrayBuffer", "Atomics", "Intl", "WebAssembly", "queueMicrotask", "globalThis",
];

/** require("Storage"): plain files and appendable StorageFiles, in RAM, shared by the module and the program. */
export class FakeStorage {
  readonly files = new Map<string, string>();
  /** StorageFile contents by name (Espruino keeps them as numbered chunks "name\1", "name\2"...). */
  readonly streams = new Map<string, string>();
  free = 200 * 1024;

  /** The object a program gets from require("Storage"); `json` is its realm's JSON. */
  api(json: JSON = JSON) {
    const self = this;
    return {
      read: (name: string) => self.files.get(name),
      write: (name: string, data: unknown) => {
        self.files.set(name, typeof data === "string" ? data : JSON.stringify(data));
        return true;
      },
      readJSON: (name: string, noExceptions?: boolean) => {
        const text = self.files.get(name);
        if (text === undefined) return undefined;
        try { return json.parse(text); } catch (e) { if (noExceptions) return undefined; throw e; }
      },
      writeJSON: (name: string, data: unknown) => { self.files.set(name, JSON.stringify(data)); return true; },
      erase: (name: string) => { self.files.delete(name); },
      // list(regex) filters names, as Espruino's does; StorageFile chunks end in "\x01"
      list: (re?: { test(s: string): boolean }) =>
        [...self.files.keys(), ...[...self.streams.keys()].map((n) => n + "\x01")].filter((n) => !re || re.test(n)),
      getFree: () => self.free,
      compact: () => undefined,
      open: (name: string, mode: "r" | "w" | "a") => self.open(name, mode),
    };
  }

  open(name: string, mode: "r" | "w" | "a") {
    if (mode !== "r" && mode !== "w" && mode !== "a") throw new Error("Invalid mode " + mode);
    if (mode === "w") this.streams.delete(name);
    let pos = 0;
    const self = this;
    return {
      read(len: number): string | undefined {
        const s = self.streams.get(name) ?? "";
        if (pos >= s.length) return undefined;
        const piece = s.slice(pos, pos + len);
        pos += piece.length;
        return piece;
      },
      readLine(): string | undefined {
        const s = self.streams.get(name) ?? "";
        if (pos >= s.length) return undefined;
        const nl = s.indexOf("\n", pos);
        const end = nl < 0 ? s.length : nl + 1;
        const line = s.slice(pos, end);
        pos = end;
        return line;
      },
      write(data: string) {
        if (mode === "r") throw new Error("StorageFile opened for reading");
        if (data.indexOf("\xff") >= 0) throw new Error("StorageFile can't contain \\xFF"); // as on the board
        self.streams.set(name, (self.streams.get(name) ?? "") + data);
      },
      erase() { self.streams.delete(name); },
      getLength() { return (self.streams.get(name) ?? "").length; },
    };
  }
}

export interface BoardOptions {
  emulator: Emulator;
  /** dist/sim900-email.js */
  module: string;
  /** The board profile the program was built with (pwrkey, pwrkeyActive). Default boards/pico-sim900.json. */
  profile?: { pwrkey: string; pwrkeyActive?: number };
  storage?: FakeStorage;
  /** The board's clock runs this many times faster than the host's (PWRKEY presses, waits). Default 1. */
  speed?: number;
  /** A timer of a minute or more (the sleep between wakes) fires after this many host ms. Default: not shortened. */
  sleepMs?: number;
  /** Board time at start, ms since 1970. Default 2026-11-25T10:00:00Z. */
  epoch?: number;
  /** E.getTemperature(), called once per reading. Default 21.0, 21.5, 22.0, ... */
  temperature?: () => number;
  /** analogRead(pin), 0..1. Default 0.6 (3.96 V through a 1:2 divider at 3.3 V). */
  analog?: (pin: string) => number;
  /** Every console.log / print line of the program (the module's transcript included). */
  onLog?: (line: string) => void;
  /** Serial input FIFO in bytes; when full, further bytes are dropped (FIFO_FULL). Default 1024, the Pico's. */
  fifoBytes?: number;
}

export interface Board extends EventEmitter {
  storage: FakeStorage;
  logs: string[];
  /** Was the modem switched on by PWRKEY (and not off since)? */
  readonly modemPowered: boolean;
  /** Things a real board would not like: UART traffic in deep sleep, console on Serial1... */
  warnings: string[];
  /** Calls, in order, of USB.setConsole / Serial.setup / setDeepSleep (for checks). */
  calls: string[];
  /** Board time, ms since 1970. */
  now(): number;
  /** Runs a program (dist/examples/*.js) as the board's boot code. */
  run(file: string): void;
  /** Resolves when a log line matches (or rejects after `ms` host milliseconds). */
  waitForLog(match: RegExp | string, ms?: number, from?: number): Promise<string>;
  /** The program stays busy for `ms` host ms from now (as if a callback ran that long): no serial data
   * is handed on and no timer runs meanwhile, while bytes from the modem keep filling the FIFO. */
  busy(ms: number): void;
  /** Serial bytes dropped so far because the FIFO was full. */
  readonly droppedBytes: number;
  /** Stops every timer of the program and disconnects the modem. */
  stop(): void;
}

export function createBoard(o: BoardOptions): Board {
  const board = new EventEmitter() as Board;
  const speed = o.speed ?? 1;
  const storage = o.storage ?? new FakeStorage();
  const emu = o.emulator;
  const hostStart = performance.now();
  let skipped = 0;
  const now = () => (o.epoch ?? Date.UTC(2026, 10, 25, 10, 0, 0)) + (performance.now() - hostStart) * speed + skipped;
  let temp = 20.5;
  const temperature = o.temperature ?? (() => (temp += 0.5));
  const analog = o.analog ?? (() => 0.6);
  let stopped = false;
  const log = (line: string) => {
    board.logs.push(line);
    o.onLog?.(line);
    board.emit("log", line);
  };
  const loop = new IdleLoop({ fifoBytes: o.fifoBytes, log });

  // --- the modem behind PWRKEY: off until the key is held for 1 s, then a fresh boot (RDY, Call Ready)
  let powered = false;
  let deepSleep = false;
  const fromModem = (chunk: Buffer) => {
    const d = chunk.toString("latin1");
    if (deepSleep) board.warnings.push("modem data while in deep sleep (the UART is off in STOP mode): " + JSON.stringify(d.slice(0, 20)));
    loop.receive(d);
  };
  emu.on("data", fromModem);
  const pinLevel: Record<string, number> = {};
  const pressedAt: Record<string, number> = {};
  const profile = o.profile ?? JSON.parse(fs.readFileSync(path.join(__dirname, "..", "boards", "pico-sim900.json"), "utf8"));
  const pwrkey = String(profile.pwrkey);
  const pwrkeyActive = profile.pwrkeyActive === 0 ? 0 : 1;
  function setPin(pin: string, value: number, heldMs?: number) {
    const before = pinLevel[pin];
    pinLevel[pin] = value;
    if (pin !== pwrkey || before === value) return;
    if (value === pwrkeyActive) pressedAt[pin] = now();
    else if (pressedAt[pin] !== undefined) {
      const held = heldMs ?? now() - pressedAt[pin];
      delete pressedAt[pin];
      if (held >= 1000) togglePower();
    }
  }
  function togglePower() {
    if (!powered) {
      powered = true;
      emu.reboot(); // power-up defaults, "RDY", then "Call Ready"
      board.emit("power", true);
    } else {
      emu.injectUrc("NORMAL POWER DOWN");
      void emu.idle().then(() => { powered = false; board.emit("power", false); });
    }
  }

  function serial(name: string) {
    return {
      setup(baud: number, opts?: { tx?: unknown; rx?: unknown }) {
        board.calls.push(`${name}.setup(${baud}, tx=${String(opts?.tx)}, rx=${String(opts?.rx)})`);
      },
      write(data: string) { if (powered && !stopped) emu.input(Buffer.from(String(data), "latin1")); },
      print(data: string) { this.write(data); },
      on(ev: string, fn: (d: string) => void) { if (ev === "data") loop.onData(fn); },
      removeListener(ev: string, fn: (d: string) => void) { if (ev === "data") loop.offData(fn); },
      removeAllListeners() { loop.offAllData(); },
    };
  }

  // --- timers on the board's clock
  function later(fn: () => void, ms = 0): IdleTimer {
    const long = o.sleepMs !== undefined && ms >= 60000;
    const host = long ? o.sleepMs! : ms / speed;
    return loop.setTimer(() => {
      if (long) skipped += ms - host * speed;
      fn();
    }, host);
  }
  const cancel = (id: unknown) => loop.clearTimer(id as IdleTimer);

  // Timers on the board's clock: the program's own, and the power companion's (PWRKEY presses).
  const boardTimers = {
    setTimeout: (fn: () => void, ms?: number) => later(fn, ms),
    clearTimeout: cancel,
  };
  // The module's timers count host milliseconds (the modem runs in real time), in the same idle loop.
  const every = (after: (fn: () => void, ms?: number) => IdleTimer) => (fn: () => void, ms = 0) => {
    const handle: { t?: IdleTimer } = {};
    const tick = () => { handle.t = after(() => { tick(); fn(); }, ms); };
    tick();
    return handle;
  };
  const stopEvery = (h: unknown) => { const t = (h as { t?: IdleTimer } | undefined)?.t; if (t) loop.clearTimer(t); };
  const hostLater = (fn: () => void, ms = 0) => loop.setTimer(fn, ms);
  const host = {
    ...realHost(),
    setTimeout: hostLater,
    clearTimeout: cancel,
    setInterval: every(hostLater),
    clearInterval: stopEvery,
    getTime: () => now() / 1000,
    modules: { Storage: storage.api() } as Record<string, unknown>,
    // the pin functions companion modules use (sim900-email-power drives PWRKEY)
    globals: {
      pinMode: () => undefined,
      digitalWrite: (pin: unknown, v: unknown) => setPin(String(pin), v ? 1 : 0),
      // E as the module sees it: the byte helpers of tools/sandbox.ts plus the board's error flags.
      E: { ...E_BYTES, ...errorFlagApi(loop) },
    } as Record<string, unknown>,
  };
  // Companion modules (sim900-email-sign, -outbox, -power) sit next to the module in dist/, as they
  // would sit next to it in the board's Storage.
  const companion = (name: string) => {
    const file = path.join(path.dirname(o.module), name + ".js");
    if (!/^sim900-email-[a-z]+$/.test(name) || !fs.existsSync(file)) return undefined;
    const clock = name === "sim900-email-power" ? { ...host, ...boardTimers } : host;
    if (!(name in host.modules)) host.modules[name] = loadBundle(file, clock);
    return host.modules[name];
  };
  companion("sim900-email-sign"); // fetch() require()s it when given a key
  const module = loadBundle(o.module, host);
  // The module's parts (sim900-email-send, -pop3, -fetch) sit in Storage beside it too; each is
  // loaded at its first require(), and takes the helpers it shares from the module itself.
  host.modules["sim900-email"] = module;
  for (const p of ["send", "pop3", "fetch", "hex"]) {
    const name = "sim900-email-" + p, file = path.join(path.dirname(o.module), name + ".js");
    let part: unknown;
    if (fs.existsSync(file)) Object.defineProperty(host.modules, name, { enumerable: true, get: () => (part = part ?? loadBundle(file, host)) });
  }

  function run(file: string) {
    const ctx = vm.createContext({});
    vm.runInContext(NOT_ES5.map((n) => "delete this." + n + ";").join(""), ctx);
    vm.runInContext(
      "delete Object.assign; delete Array.from; delete Array.prototype.find; delete Array.prototype.includes;" +
        "delete String.prototype.startsWith; delete String.prototype.endsWith; delete String.prototype.includes;" +
        "delete String.prototype.repeat; delete String.prototype.padStart;" +
        // Pin: new Pin("B3") or Pin("B3"); prints as its name
        "function Pin(v) { if (!(this instanceof Pin)) return new Pin(v); this.name = String(v && v.name || v); }" +
        "Pin.prototype.toString = function () { return this.name; };",
      ctx,
    );
    vm.runInContext(ESPRUINO_INDEXOF, ctx);
    const g = ctx as any;
    // The context's own built-ins (not properties of the sandbox object seen from outside).
    const realm = vm.runInContext("({ Array: Array, Uint8Array: Uint8Array })", ctx);
    const ctxStorage = storage.api(g.JSON);
    const pinName = (p: unknown) => String(p);
    Object.assign(g, {
      ...boardTimers,
      setInterval: every(later),
      clearInterval: stopEvery,
      getTime: () => now() / 1000,
      print: (...a: unknown[]) => log(a.map(String).join(" ")),
      console: { log: (...a: unknown[]) => log(a.map(String).join(" ")) },
      USB: { setConsole: (force?: boolean) => { board.calls.push(`USB.setConsole(${!!force})`); } },
      Serial1: serial("Serial1"),
      Serial2: serial("Serial2"),
      E: {
        getTemperature: () => temperature(),
        getAnalogVRef: () => 3.3,
        toUint8Array: (s: string) => new realm.Uint8Array(Buffer.from(s, "latin1")),
        toString: (u: Uint8Array) => Buffer.from(u).toString("latin1"),
        ...errorFlagApi(loop, (a) => { const r = new realm.Array(); for (const f of a) r.push(f); return r; }),
      },
      pinMode: () => undefined,
      digitalWrite: (pin: unknown, v: unknown) => setPin(pinName(pin), v ? 1 : 0),
      digitalRead: (pin: unknown) => pinLevel[pinName(pin)] ?? 0,
      digitalPulse: (pin: unknown, v: unknown, ms: number) => {
        const p = pinName(pin);
        const level = v ? 1 : 0;
        setPin(p, level);
        later(() => setPin(p, 1 - level, ms), ms);
      },
      analogRead: (pin: unknown) => analog(pinName(pin)),
      setDeepSleep: (on: unknown) => { deepSleep = !!on; board.calls.push(`setDeepSleep(${on ? 1 : 0})`); },
      require: (name: string) => {
        if (name === "Storage") return ctxStorage;
        if (name === "sim900-email") return module;
        const c = companion(name);
        if (c) return c;
        throw new Error("Module " + name + " not found");
      },
    });
    const code = fs.readFileSync(file, "utf8");
    vm.runInContext(code, ctx, { filename: file });
    const iConsole = board.calls.findIndex((c) => c.startsWith("USB.setConsole(true)"));
    const iSetup = board.calls.findIndex((c) => /^Serial1\.setup/.test(c));
    if (iSetup >= 0 && (iConsole < 0 || iConsole > iSetup)) board.warnings.push("Serial1 in use without USB.setConsole(true) first");
  }

  Object.assign(board, {
    storage,
    logs: [] as string[],
    warnings: [] as string[],
    calls: [] as string[],
    now,
    run,
    waitForLog(match: RegExp | string, ms = 30000, from = 0) {
      const test = (l: string) => (typeof match === "string" ? l.indexOf(match) >= 0 : match.test(l));
      const seen = board.logs.slice(from).find(test);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => { board.off("log", on); reject(new Error(`no log line ${match} within ${ms} ms`)); }, ms);
        const on = (l: string) => { if (test(l)) { clearTimeout(timer); board.off("log", on); resolve(l); } };
        board.on("log", on);
      });
    },
    busy(ms: number) { loop.busy(ms); },
    stop() {
      stopped = true;
      loop.stop();
      emu.removeListener("data", fromModem);
    },
  });
  Object.defineProperty(board, "modemPowered", { get: () => powered });
  Object.defineProperty(board, "droppedBytes", { get: () => loop.dropped });
  return board;
}
