// An integration rig: the module (sources or dist bundle, see target.ts) connected through an
// Espruino-like port to the emulated SIM900, which talks to the embedded mail system (or to the
// servers a test gives it).
import { createEmulator, Emulator, EmulatorOptions } from "../../tools/sim900-emulator/modem";
import { createPort } from "../../tools/sim900-emulator/transports";
import { createBackend, EmailBackend } from "../../tools/sim900-emulator/mail";
import { lib } from "../target";

export const ACCOUNTS = ["unit7", "ops", "lab", "boss", "audit"].map((user) => ({ user, pass: "secret" }));

export const OPTIONS = {
  apn: "internet",
  smtp: { host: "smtp.example.com", port: 25, user: "unit7", password: "secret" },
  pop3: { host: "pop.example.com", port: 110, user: "unit7", password: "secret" },
  from: { address: "unit7@example.com", name: "Unit 7" },
  chunk: 512,
};

export interface Rig {
  backend: EmailBackend;
  emu: Emulator;
  mail: any;
  log: string[];
  /** Calls mail[method](...args, cb) and resolves [err, result]. */
  call(method: string, ...args: unknown[]): Promise<[any, any]>;
  /** Commands the module wrote (transcript lines starting with "> "), since `from`. */
  commands(from?: number): string[];
  stop(): Promise<void>;
}

let shared: EmailBackend | undefined;
/** One embedded mail system for the whole run: starting one costs a certificate and four listeners. */
export async function sharedBackend(): Promise<EmailBackend> {
  if (!shared) shared = createBackend({ accounts: ACCOUNTS });
  await shared.ready;
  return shared;
}

export async function startRig(o: { emu?: Partial<EmulatorOptions>; mod?: Record<string, unknown>; backend?: EmailBackend; noConnect?: boolean } = {}): Promise<Rig> {
  const backend = o.backend ?? (await sharedBackend());
  const emu = createEmulator({ backend, baud: 0, ...o.emu });
  const port = createPort(emu);
  const log: string[] = [];
  let mail: any;
  const rig: Rig = {
    backend, emu, log,
    get mail() { return mail; },
    call(method, ...args) {
      return new Promise((resolve) => mail[method](...args, (err: any, res: any) => resolve([err, res])));
    },
    commands(from = 0) {
      return log.slice(from).filter((l) => l.startsWith("> ")).map((l) => l.slice(2));
    },
    async stop() {
      await new Promise<void>((resolve) => mail.close(() => resolve()));
      port.close();
      emu.close?.();
    },
  } as Rig;
  await new Promise<void>((resolve, reject) => {
    mail = lib.connect(port, { ...OPTIONS, log: (l: string) => log.push(l), ...o.mod }, (err: any) =>
      err ? reject(err) : resolve(),
    );
  });
  return rig;
}
