// A port onto the emulated SIM900 for fault suites and the soak: it (1) counts the module's 'data'
// listeners, (2) records every write the module makes, (3) can run an action right before a chosen
// command reaches the modem (arm a one-shot emulator fault, drop the bearer...) and (4) can slip bytes
// into the module's input ahead of the modem's answer (garbage, an over-long line, a URC the emulator
// cannot produce at that point). Delivery is the inner port's (default createPort: 64-character events).
import type { Emulator } from "./modem";
import { createPort, EmulatorPort } from "./transports";

export interface FaultyPort {
  write(data: string): void;
  on(event: "data", fn: (data: string) => void): void;
  removeListener(event: "data", fn: (data: string) => void): void;
  removeAllListeners(event?: string): void;
  /** The module's 'data' listeners right now. */
  listenerCount(): number;
  /** Everything the module wrote, one entry per write() call. */
  writes: string[];
  /** The modem's input mode when each write arrived ("command", "body" or "data"). */
  modes: string[];
  /** Bytes the module will receive before anything the modem says next. */
  inject(data: string): void;
  /** Runs `action(line)` once, just before the `nth` (default first) command line matching `re` reaches the modem. */
  arm(re: RegExp, action: (line: string) => void, nth?: number): void;
  /** True while an armed action has not fired. */
  armed(): boolean;
  /** Forgets an armed action that has not fired. */
  disarm(): void;
  close(): void;
}

export function createFaultyPort(emu: Emulator, inner: EmulatorPort = createPort(emu)): FaultyPort {
  let trap: { re: RegExp; action: (line: string) => void; skip: number } | null = null;
  let closed = false;
  const port: FaultyPort = {
    writes: [],
    modes: [],
    write(data) {
      if (closed) return;
      port.writes.push(data);
      port.modes.push(emu.state().mode);
      if (trap && /^AT/i.test(data) && trap.re.test(data) && trap.skip-- <= 0) {
        const t = trap;
        trap = null;
        t.action(data);
      }
      inner.write(data);
    },
    on: (event, fn) => inner.on(event, fn),
    removeListener: (event, fn) => inner.removeListener(event, fn),
    removeAllListeners: () => inner.removeAllListeners(),
    listenerCount: () => inner.listenerCount(),
    inject: (data) => inner.inject(data),
    arm(re, action, nth = 1) {
      trap = { re, action, skip: nth - 1 };
    },
    armed: () => trap !== null,
    disarm() {
      trap = null;
    },
    close() {
      closed = true;
      inner.close();
    },
  };
  return port;
}
