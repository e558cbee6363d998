// A variant of rig.ts for fault and fuzz suites: the module talks to the emulated SIM900 through a
// port of our own that (1) counts the module's 'data' listeners, (2) records every write the module
// makes, (3) can run an action right before a chosen command reaches the modem (arm a one-shot
// emulator fault, drop the bearer...) and (4) can slip bytes into the module's input ahead of the
// modem's answer (garbage, an over-long line, a URC the emulator cannot produce at that point).
import { createEmulator, Emulator, EmulatorOptions } from "../../tools/sim900-emulator/modem";
import { EmailBackend } from "../../tools/sim900-emulator/mail";
import { createPort } from "../../tools/sim900-emulator/transports";
import { createRig, Rig } from "./rig";

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
  /** Runs `action(line)` once, just before the first command line matching `re` reaches the modem. */
  arm(re: RegExp, action: (line: string) => void): void;
  /** True while an armed action has not fired. */
  armed(): boolean;
  close(): void;
}

export function createFaultyPort(emu: Emulator): FaultyPort {
  const inner = createPort(emu); // delivery in 64-character events, and inject()
  let trap: { re: RegExp; action: (line: string) => void } | null = null;
  let closed = false;
  const port: FaultyPort = {
    writes: [],
    modes: [],
    write(data) {
      if (closed) return;
      port.writes.push(data);
      port.modes.push(emu.state().mode);
      if (trap && /^AT/i.test(data) && trap.re.test(data)) {
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
    arm(re, action) {
      trap = { re, action };
    },
    armed: () => trap !== null,
    close() {
      closed = true;
      inner.close();
    },
  };
  return port;
}

export interface FaultyRig extends Rig {
  port: FaultyPort;
  /**
   * Like call, but resolves `settleMs` after the first callback with every call seen so far (the
   * array keeps growing if more come later).
   */
  callOnce(method: string, args: unknown[], settleMs?: number): Promise<any[][]>;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Emulator and port only; call rig.connect() (possibly after arming a fault) to start the module. */
export async function createFaultyRig(o: { emu?: Partial<EmulatorOptions>; mod?: Record<string, unknown>; backend?: EmailBackend } = {}): Promise<FaultyRig> {
  const rig = await createRig(o, createFaultyPort);
  return Object.assign(rig, {
    callOnce(method: string, args: unknown[], settleMs = 60) {
      const calls: any[][] = [];
      return new Promise<any[][]>((resolve) => {
        rig.mail[method](...args, (...a: any[]) => {
          calls.push(a);
          if (calls.length === 1) setTimeout(() => resolve(calls), settleMs);
        });
      });
    },
  });
}

/** Timers alive in this process (tolerant callers compare before/after inside one test). */
export function activeTimers(): number {
  return process.getActiveResourcesInfo().filter((r) => r === "Timeout" || r === "Immediate").length;
}
