// A session, twice: first in the ES5 sandbox against the emulated SIM900 (recording each write of the
// module and the serial chunks that followed it), then on Espruino with the modem replayed from that
// recording over TCP (tools/espruino-replay-server.ts, tools/espruino-harness.ts). A scenario is ES5
// source of `function scenario(email, port, done, h)`, run unchanged on both.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadBundle, realHost } from "./sandbox";
import { FakeStorage } from "./espruino-board";
import { createEmulator, Emulator, EmulatorOptions } from "./sim900-emulator/modem";
import { createPort } from "./sim900-emulator/transports";
import { createBackend } from "./sim900-emulator/mail";
import { ACCOUNTS } from "./sim900-emulator/accounts";
import { loadModule, storageFiles, moduleName, CORE_FILE } from "./parts";
import { Recording, serveReplay } from "./espruino-replay-server";
import { harnessModule, flashArgs, STUB_MODULE, findNativeString, SCENARIO_FILE, HARNESS_FILE, scenarioModule } from "./espruino-harness";
import { espruinoBinary, freshDir, runEspruino, tagged, tail, toStorage } from "./espruino-process";

export type { Recording };

/** What a fault hook may do when the module writes: set emulator faults, or slip bytes in ahead of the answer. */
export interface WriteHook { (data: string, modem: { emu: Emulator; inject(data: string): void }): void }

export interface RecordOptions {
  /** Sees each write before the modem does. */
  onWrite?: WriteHook;
  /** The emulator's options (e.g. a slow network: pop3Delivery). */
  emu?: Partial<EmulatorOptions>;
}

/**
 * Runs `scenario` in the ES5 sandbox against the emulated SIM900, unit7's mailbox holding what
 * `mailbox` delivers.
 */
export async function record(scenario: string, mailbox: (deliver: (raw: string) => void) => void, o: RecordOptions = {}): Promise<{ results: unknown; rec: Recording }> {
  const backend = createBackend({ accounts: ACCOUNTS });
  await backend.ready;
  mailbox((raw) => backend.deliver("unit7", raw));
  const emu = createEmulator({ backend, baud: 0, ...o.emu });
  const inner = createPort(emu);
  const rec: Recording = { pre: [], steps: [] };
  let last = performance.now();
  const gap = () => { const t = performance.now(), g = t - last; last = t; return Math.floor(g); };
  // first listener: each chunk is noted under the write it followed, before the module sees it
  inner.on("data", (d) => (rec.steps.length ? rec.steps[rec.steps.length - 1].chunks : rec.pre).push({ data: d, gap: gap() }));
  const onWrite = o.onWrite;
  const port = {
    write(d: string) {
      gap();
      rec.steps.push({ write: d, chunks: [] });
      if (onWrite) onWrite(d, { emu, inject: (s) => inner.inject(s) });
      inner.write(d);
    },
    on: (ev: "data", fn: (d: string) => void) => inner.on(ev, fn),
    removeListener: (ev: "data", fn: (d: string) => void) => inner.removeListener(ev, fn),
    removeAllListeners: () => { throw new Error("the module removed every listener of its port"); },
  };
  const h = { peak: 0, mem: () => 0 };
  // the scenario in an ES5-only realm of its own, as the module is
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "scenario-")), "scenario.js");
  fs.writeFileSync(file, scenarioModule(scenario), "latin1");
  const run = loadBundle(file).scenario;
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  // Storage as a board has it (fetch keeps the UIDs it handled there, the sign module its sequence number)
  const results = await new Promise((resolve) => run(loadModule({ ...realHost(), modules: { Storage: new FakeStorage().api() } }), port, resolve, h));
  inner.close();
  emu.close?.();
  await backend.close();
  // as JSON, as Espruino's come back (undefined becomes null)
  return { results: JSON.parse(JSON.stringify(results)), rec };
}

// What Espruino prints when a script goes wrong
const FAILED = /Uncaught|OUT OF MEMORY|LOW_MEMORY|Execution Interrupted/;

export interface EspruinoRun {
  /** What the scenario passed to done(), and the harness's figures; undefined if it never finished. */
  results?: unknown;
  figures?: any;
  base?: number;
  loaded?: number;
  /** The first difference from the recording's writes, or null. */
  mismatch: string | null;
  /** Why there are no results (the interpreter's last words), or "". */
  problem: string;
  writes: number;
  /** "flash": function code left in the Storage file, as on a Pico; "RAM": copied into JsVars (no symbols to do otherwise). */
  code: "flash" | "RAM";
}

/**
 * Runs `scenario` on Espruino with the module (or, `stub`, STUB_MODULE in its place) loaded as from
 * a Pico's Storage, the modem replayed from `rec` (ignored for the stub: it writes nothing).
 */
export async function replayOnEspruino(rec: Recording, scenario: string, o: { stub?: boolean; ms?: number } = {}): Promise<EspruinoRun> {
  const dir = freshDir();
  const core = moduleName(CORE_FILE);
  const native = findNativeString(espruinoBinary()!);
  const server = await serveReplay(o.stub ? { pre: [], steps: [] } : rec);
  try {
    // the same files, by name, for the module and for the stub
    const files: Record<string, string> = {
      [HARNESS_FILE]: harnessModule({ dataPort: server.dataPort, ackPort: server.ackPort, module: core }),
      [SCENARIO_FILE]: scenarioModule(scenario),
    };
    for (const f of storageFiles()) files[f.name] = o.stub && f.name === core ? STUB_MODULE : fs.readFileSync(f.file, "latin1");
    let program: string | string[];
    if (native) program = flashArgs(files, native);
    else {
      for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name + ".js"), text, "latin1");
      await toStorage(dir, Object.keys(files).map((name) => ({ name, file: path.join(dir, name + ".js") })));
      program = `require(${JSON.stringify(HARNESS_FILE)});\n`;
    }
    const r = await runEspruino(dir, program, /RESULT \{.*\}\r?\n/, o.ms ?? 300000, FAILED);
    const res = tagged(r.out, "RESULT");
    const failed = FAILED.exec(r.out);
    const p = server.progress();
    let mismatch = server.mismatch();
    if (!mismatch && res && p.matched < p.recorded) mismatch = `only ${p.matched} of the ${p.recorded} recorded writes`;
    const problem = failed ? "Espruino: " + r.out.slice(Math.max(0, failed.index - 300), failed.index + 600).replace(/\r/g, "")
      : res ? "" : (r.exit || "no result") + ": " + tail(r.out, 900);
    return { ...(res || {}), mismatch, problem, writes: p.matched, code: native ? "flash" : "RAM" };
  } finally {
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
