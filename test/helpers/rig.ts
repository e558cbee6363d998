// An integration rig: the module (sources or dist bundle, see target.ts) connected through an
// Espruino-like port to the emulated SIM900, which talks to the embedded mail system (or to the
// servers a test gives it).
import { createEmulator, Emulator, EmulatorOptions } from "../../tools/sim900-emulator/modem";
import { createPort } from "../../tools/sim900-emulator/transports";
import type { EmailBackend } from "../../tools/sim900-emulator/mail";
import { ACCOUNTS, OPTIONS, sharedBackend } from "../../tools/sim900-emulator/accounts";
import { lib, model } from "../target";

export { ACCOUNTS, OPTIONS, sharedBackend };

export interface Rig {
  backend: EmailBackend;
  emu: Emulator;
  mail: any;
  log: string[];
  /** Connects (again); resolves with the connect callback's first argument, or null. */
  connect(options?: Record<string, unknown>): Promise<any>;
  /** Calls mail[method](...args, cb) and resolves [err, result] at the first callback. */
  call(method: string, ...args: unknown[]): Promise<[any, any]>;
  /** Commands the module wrote (transcript lines starting with "> "), since `from`. */
  commands(from?: number): string[];
  /** mail.close(), then detaches the port and stops the emulator. Resolves close's error. */
  stop(): Promise<any>;
}


type RigOptions = { emu?: Partial<EmulatorOptions>; mod?: Record<string, unknown>; backend?: EmailBackend; /** The module to connect (default: the one under test, see target.ts). */ lib?: { connect: Function } };

/** The emulator, a port onto it made by `makePort`, and the module (not connected yet). */
export async function createRig<P extends Port & { close(): void }>(o: RigOptions, makePort: (emu: Emulator) => P): Promise<Rig & { port: P }> {
  const backend = o.backend ?? (await sharedBackend());
  const emu = createEmulator({ backend, baud: 0, model, ...o.emu });
  const port = makePort(emu);
  const log: string[] = [];
  let mail: any;
  return {
    backend, emu, port, log,
    get mail() { return mail; },
    connect(options) {
      return new Promise((resolve) => {
        mail = (o.lib ?? lib).connect(port, { ...OPTIONS, log: (l: string) => log.push(l), ...o.mod, ...options }, (err: any) => resolve(err ?? null));
      });
    },
    call(method, ...args) {
      return new Promise((resolve) => mail[method](...args, (err: any, res: any) => resolve([err, res])));
    },
    commands(from = 0) {
      return log.slice(from).filter((l) => l.startsWith("> ")).map((l) => l.slice(2));
    },
    async stop() {
      let err: any = null;
      if (mail) err = await new Promise((resolve) => mail.close((e: any) => resolve(e ?? null)));
      port.close();
      emu.close?.();
      return err;
    },
  };
}

/** A connected rig on an Espruino-like port (64-character 'data' events). */
export async function startRig(o: RigOptions & { noConnect?: boolean } = {}): Promise<Rig> {
  const rig = await createRig(o, createPort);
  if (!o.noConnect) {
    const err = await rig.connect();
    if (err) throw err;
  }
  return rig;
}
