// What the pretend board and the soak give the module on top of the idle loop (espruino-idle-loop.ts):
// a Serial-like port onto the emulated SIM900 whose input goes through the loop's FIFO, and E's
// error-flag calls (E.getErrorFlags, E.on/E.removeListener('errorFlag')).
import type { IdleLoop } from "./espruino-idle-loop";
import type { Emulator } from "./sim900-emulator/modem";
import type { EmulatorPort } from "./sim900-emulator/transports";

/** The modem's output enters the FIFO as the UART receives it; inject() slips bytes in the same way.
 *  `line` may alter what the UART receives (a soak checks that its checks catch that). */
export function createIdlePort(emu: Emulator, loop: IdleLoop, line: (data: string) => string = (d) => d): EmulatorPort {
  let listeners = 0;
  const fromModem = (chunk: Buffer) => loop.receive(line(chunk.toString("latin1")));
  emu.on("data", fromModem);
  return {
    write: (data) => emu.input(Buffer.from(String(data), "latin1")),
    on: (_event, fn) => { listeners++; loop.onData(fn); },
    removeListener: (_event, fn) => { listeners = Math.max(0, listeners - 1); loop.offData(fn); },
    removeAllListeners: () => { listeners = 0; loop.offAllData(); },
    inject: (data) => loop.receive(data),
    listenerCount: () => listeners,
    close: () => void emu.removeListener("data", fromModem),
  };
}

/** E.getErrorFlags and E.on/removeListener('errorFlag', fn); `toArray` makes arrays of the caller's realm. */
export function errorFlagApi(loop: IdleLoop, toArray: (a: string[]) => unknown = (a) => a) {
  const wrapped = new Map<unknown, (flags: string[]) => void>();
  return {
    getErrorFlags: () => toArray(loop.takeErrorFlags()),
    on(ev: string, fn: (flags: unknown) => void) {
      if (ev !== "errorFlag" || wrapped.has(fn)) return;
      const w = (flags: string[]) => fn(toArray(flags));
      wrapped.set(fn, w);
      loop.onErrorFlag(w);
    },
    removeListener(ev: string, fn: unknown) {
      const w = wrapped.get(fn);
      if (ev !== "errorFlag" || !w) return;
      wrapped.delete(fn);
      loop.offErrorFlag(w);
    },
  };
}

/** E's byte helpers as tools/sandbox.ts defines them, in host arrays. */
export const E_BYTES = {
  toUint8Array: (s: string) => { const u = new Uint8Array(s.length); for (let i = 0; i < s.length; i++) u[i] = s.charCodeAt(i) & 255; return u; },
  toString: (u: ArrayLike<number>) => { let s = ""; for (let i = 0; i < u.length; i++) s += String.fromCharCode(u[i]); return s; },
};
