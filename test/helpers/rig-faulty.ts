// A variant of rig.ts for fault and fuzz suites: the module talks to the emulated SIM900 through the
// fault-injecting port of tools/sim900-emulator/faulty-port.ts (listener count, recorded writes, an
// action armed before a chosen command, bytes slipped in ahead of the modem's answer).
import { EmailBackend } from "../../tools/sim900-emulator/mail";
import { EmulatorOptions } from "../../tools/sim900-emulator/modem";
import { createFaultyPort, type FaultyPort } from "../../tools/sim900-emulator/faulty-port";
import { createRig, Rig } from "./rig";

export { createFaultyPort };
export type { FaultyPort };

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
