// The soak run: the built module (dist/sim900-email.js in the ES5 sandbox) on an Espruino-like idle
// loop (a 1,024-byte serial FIFO, data before timers, its timers on the loop) talking to the emulated
// SIM900 and the embedded mail system, through a port that injects faults. N operations at random,
// each with random chunking, pacing, latency, stalls in the user's callbacks and maybe a fault; after
// each: exactly one callback, every byte intact, no payload byte read as a line, no event the faults
// do not explain, and, after a fault, success again once the modem is healthy.
import * as path from "node:path";
import { FakeStorage } from "../espruino-board";
import { IdleLoop } from "../espruino-idle-loop";
import { createIdlePort, E_BYTES, errorFlagApi } from "../espruino-serial";
import { loadBundle } from "../sandbox";
import { OPTIONS, sharedBackend } from "../sim900-emulator/accounts";
import { createFaultyPort, FaultyPort } from "../sim900-emulator/faulty-port";
import type { EmailBackend } from "../sim900-emulator/mail";
import { createEmulator, Emulator } from "../sim900-emulator/modem";
import { createRng, randInt, Rng } from "../sim900-emulator/rng";
import { pick } from "./content";
import { clearFaults, Fault, OpKind, pickFault } from "./faults";
import { ExpectedLines, lineDifference } from "./lines";
import { Op, OpContext, planOp } from "./ops";

export interface SoakOptions {
  count: number;
  seed: number;
  /** Longest stall of a user callback, host ms (see timeouts()). */
  stallMs: number;
  /** Run only operation k of the run (its random choices are the same as in the whole run). */
  only?: number;
  /** Start at operation k (count operations from there), on a fresh connection. */
  from?: number;
  /** Probability that an operation gets a fault. Default 0.3. */
  faultRate?: number;
  backend?: EmailBackend;
  dist?: string;
  /** Alters what the board's UART receives (to show that the checks catch it). */
  tamper?: (data: string) => string;
  /** Progress lines. */
  progress?: (line: string) => void;
  /** One line per operation (kind, fault, ms, outcome) and per stall. */
  trace?: (line: string) => void;
  /** The module's AT transcript. */
  transcript?: (line: string) => void;
}

export interface Failure {
  op: number;
  kind: OpKind;
  opSeed: number;
  fault?: string;
  after?: string;
  check: string;
  detail: string;
  /** Groups failures that are the same problem (numbers and bytes aside). */
  key: string;
}

export interface SoakResult {
  options: SoakOptions;
  timeouts: ReturnType<typeof timeouts>;
  ops: Record<OpKind, number>;
  faults: Record<string, number>;
  faultsMissed: number;
  bytesChecked: number;
  failures: Failure[];
  seconds: number;
}

/** Short timeouts keep faults cheap. Stalls may outlast the AT timeout on purpose: AT+POP3READ is in
 *  flight while onData runs, and the time a user's callback takes must not count as the modem's
 *  silence. The fetch handler's own timeout stays above any stall (running out of it is by design). */
export function timeouts(stallMs: number) {
  return { atTimeout: 500, serverTimeout: 1500, bearerTimeout: 1500, registerTimeout: 1, handlerTimeout: 2 * stallMs + 2000 };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const spin = (ms: number) => { const end = performance.now() + ms; while (performance.now() < end); };
const WATCHDOG_MS = 90000;

/** Operation k's own seed: its choices do not depend on the operations before it. */
export function opSeed(seed: number, k: number): number {
  return Math.floor(createRng((seed >>> 0) ^ Math.imul(k + 1, 0x9e3779b1))() * 2 ** 32) >>> 0;
}

interface Session {
  mail: any;
  events: string[];
}

export async function runSoak(o: SoakOptions): Promise<SoakResult> {
  const started = performance.now();
  const t = timeouts(o.stallMs);
  const backend = o.backend ?? (await sharedBackend());
  const dist = o.dist ?? path.join(__dirname, "..", "..", "dist");
  const emu: Emulator = createEmulator({ backend, baud: 0, seed: o.seed });
  const loop = new IdleLoop();
  const expected = new ExpectedLines();
  let received = "";
  const tap = (d: string) => { received += d; expected.push(d); };
  const port: FaultyPort = createFaultyPort(emu, createIdlePort(emu, loop, o.tamper));
  const log: string[] = [];
  const storage = new FakeStorage();
  const host = {
    setTimeout: (fn: () => void, ms?: number) => loop.setTimer(fn, ms ?? 0),
    clearTimeout: (id: unknown) => loop.clearTimer(id as any),
    setInterval: () => { throw new Error("setInterval is not used by the module"); },
    clearInterval: () => undefined,
    getTime: () => performance.now() / 1000,
    modules: { Storage: storage.api(), "sim900-email-sign": loadBundle(path.join(dist, "sim900-email-sign.js")) } as Record<string, unknown>,
    globals: { E: { ...E_BYTES, ...errorFlagApi(loop) } },
  };
  const lib = loadBundle(path.join(dist, "sim900-email.js"), host);
  // its parts, as a board holds them in Storage beside it (each takes its helpers from the core)
  host.modules["sim900-email"] = lib;
  for (const p of ["send", "pop3", "fetch", "hex"]) host.modules["sim900-email-" + p] = loadBundle(path.join(dist, "sim900-email-" + p + ".js"), host);

  const result: SoakResult = {
    options: { ...o, backend: undefined, tamper: undefined }, timeouts: t,
    ops: { send: 0, streamed: 0, whole: 0, fetch: 0 }, faults: {}, faultsMissed: 0, bytesChecked: 0, failures: [], seconds: 0,
  };
  let current: Fail | null = null;
  const onUncaught = (e: any) => {
    const d = String((e && e.stack) || e).split("\n").slice(0, 3).join(" | ");
    if (current) current("exception", d);
    else result.failures.push({ op: -1, kind: "send", opSeed: 0, check: "exception", detail: d, key: "exception: " + String(e) });
  };
  process.on("uncaughtException", onUncaught);

  // A fresh module on the port (at start, and after an operation that never called back).
  async function connect(): Promise<Session> {
    loop.offAllData();
    loop.onData(tap); // before the module's listener: it sees each string first
    const s: Session = { mail: null, events: [] };
    const err = await new Promise<any>((resolve) => {
      s.mail = lib.connect(port, { ...OPTIONS, ...t, log: (l: string) => log.push(l), onEvent: (ev: string) => s.events.push(ev) }, (e: any) => resolve(e));
    });
    if (err) throw new Error("soak: connect failed: " + err.message);
    await settle();
    expected.take();
    log.length = 0;
    received = "";
    return s;
  }
  async function settle() {
    await emu.idle();
    await sleep(30);
  }

  const stalls: string[] = [];
  let session = await connect();
  let lastFault: string | undefined;
  const first = o.only ?? o.from ?? 0;
  const end = o.only !== undefined ? o.only + 1 : first + o.count;
  try {
    for (let k = first; k < end; k++) {
      const seed = opSeed(o.seed, k);
      const rng = createRng(seed);
      const op = planOp(rng);
      const fault: Fault | undefined = rng() < (o.faultRate ?? 0.3) ? pickFault(rng, op.kind, op.bytes) : undefined;
      emu.configurePacing({ maxChunk: randInt(rng, 1, 64), baud: pick(rng, [0, 0, 921600, 460800, 230400, 115200]) });
      emu.reseed(seed);
      emu.latencyMs = randInt(rng, 0, 8);
      result.ops[op.kind]++;
      const failed: Failure[] = [];
      stalls.length = 0;
      const fail: Fail = (check, detail, key) => {
        const f: Failure = { op: k, kind: op.kind, opSeed: seed, fault: fault?.name, after: lastFault, check, detail, key: check + ": " + (key ?? detail) };
        failed.push(f);
        result.failures.push(f);
      };
      current = fail;
      const t0 = performance.now();
      const { err, timedOut } = await runOp(op, k, rng, session, fault, fail);
      const ms = performance.now() - t0;
      await settle();
      const struck = !!fault && fault.struck(port, received);
      checkLines(fail, expected.take(), takeModuleLines(fault, fail));
      checkEvents(fail, session.events.splice(0), fault && struck ? fault.name : "");
      if (fault) {
        if (struck) result.faults[faultKind(fault.name)] = (result.faults[faultKind(fault.name)] ?? 0) + 1;
        else result.faultsMissed++;
      }
      if (!timedOut && err) {
        const what = describeErr(err);
        const stalled = stalls.some((x) => / in on/.test(x)) ? " (the user's callbacks stalled)" : "";
        const general = what.replace(/\b\d+\b/g, "N") + stalled + (lastFault ? " after a fault" : "");
        const detail = what + (stalls.length ? "; stalls: " + stalls.join(", ") : "");
        if (!fault || !struck) fail(lastFault ? "recovery" : "unexpected error", detail + (fault ? " (its fault was armed but never reached)" : ""), general);
        else if (fault.harmless) fail(stalled ? "unexpected error" : "harmless fault", `${fault.name} is harmless, yet: ${detail}`, general);
        else if (typeof err.message !== "string" || !err.command) fail("error shape", "not an EmailError with a command: " + String(err), "not an EmailError");
      }
      o.trace?.(`#${k} ${op.kind} ${op.bytes} B${fault ? ", " + fault.name + (struck ? "" : " (not reached)") : ""}: ${describeErr(err)} in ${ms.toFixed(0)} ms${failed.length ? "; " + failed.map((f) => f.check).join(", ") : ""}`);
      clearFaults(emu, port);
      lastFault = fault && struck ? fault.name : undefined;
      received = "";
      if (timedOut) session = await connect();
      if (o.progress && (k + 1) % 50 === 0) o.progress(`soak: ${k + 1 - first}/${end - first} operations, ${result.failures.length} failures`);
    }
  } finally {
    current = null;
    process.removeListener("uncaughtException", onUncaught);
    await new Promise<void>((r) => { try { session.mail.close(() => r()); } catch { r(); } setTimeout(r, 3000); });
    loop.stop();
    port.close();
    emu.close();
  }
  result.seconds = (performance.now() - started) / 1000;
  return result;

  async function runOp(op: Op, k: number, rng: Rng, s: Session, fault: Fault | undefined, fail: Fail) {
    let calls = 0;
    const stall = (where: string) => {
      const ms = randInt(rng, 0, o.stallMs);
      stalls.push(`${ms} ms in ${where}`);
      o.trace?.(`  stall ${ms} ms in ${where}`);
      spin(ms);
    };
    const ctx: OpContext = {
      backend, rng, k, tag: String(o.seed), handlerTimeout: t.handlerTimeout,
      stall: (p) => { if (rng() < p) stall("onMessage"); },
      consumer(calls) {
        const r = rng();
        const at = new Set<number>();
        if (r < 0.3) for (let i = randInt(rng, 1, 2); i > 0; i--) at.add(randInt(rng, 0, calls));
        else if (r < 0.5) for (let i = randInt(rng, 0, calls), n = randInt(rng, 2, 4); n > 0; n--) at.add(i++);
        let call = 0;
        return () => { if (at.has(call)) stall("onData call " + (call + 1)); call++; };
      },
      later: (fn, p) => {
        if (rng() >= p) return fn();
        const ms = randInt(rng, 0, o.stallMs);
        stalls.push(`done() ${ms} ms later`);
        loop.setTimer(fn, ms);
      },
      async mailbox(raws) {
        const e = await new Promise<any>((r) => s.mail.logout((x: any) => r(x)));
        if (e) fail("recovery", "the logout before the operation failed: " + describeErr(e), "logout failed: " + describeErr(e).replace(/\b\d+\b/g, "N"));
        const box = backend.mailbox("unit7");
        box.length = 0;
        raws.forEach((raw, i) => box.push({ uid: `soak.${o.seed}.${k}.${i}`, raw }));
        return box.slice();
      },
      call(method, ...args) {
        fault?.arm(emu, port);
        return new Promise((resolve) => {
          s.mail[method](...args, (...a: any[]) => {
            if (++calls === 1) resolve(a);
            else fail("callbacks", `${method} called back ${calls} times (this time: ${describeErr(a[0])})`, `${method} called back more than once`);
          });
        });
      },
      fail,
      checked: (n) => { result.bytesChecked += n; },
    };
    let timer: NodeJS.Timeout | undefined;
    const watchdog = new Promise<"timeout">((r) => { timer = setTimeout(() => r("timeout"), WATCHDOG_MS); });
    const outcome = await Promise.race([op.run(ctx), watchdog]).finally(() => clearTimeout(timer));
    if (outcome === "timeout") {
      fail("callbacks", `no callback within ${WATCHDOG_MS / 1000} s`, "no callback");
      return { err: null, timedOut: true };
    }
    return { err: outcome, timedOut: false };
  }

  /** The module's "< " lines since the last call; its "!" lines are checked on the way. */
  function takeModuleLines(fault: Fault | undefined, fail: Fail): string[] {
    const lines: string[] = [];
    for (const l of log) {
      o.transcript?.(l);
      if (l.startsWith("< ")) lines.push(l.slice(2));
      else if (l.startsWith("! line over the bound")) {
        if (!fault || !/LONG/.test(fault.name)) fail("misparsed lines", "the module dropped an over-long line, and the modem sent none (payload read as lines)", "an over-long line dropped that the modem never sent");
      } else if (l.startsWith("! ")) fail("exception", l.slice(2), l.slice(2).replace(/\b\d+\b/g, "N").slice(0, 80));
    }
    log.length = 0;
    return lines;
  }
}

type Fail = (check: string, detail: string, key?: string) => void;

function checkLines(fail: Fail, expected: string[], got: string[]) {
  const d = lineDifference(expected, got);
  if (d.kind) fail("misparsed lines", d.detail, d.kind);
}

/** REBOOT and DEACT only from those faults, UNDERVOLTAGE only from noise: any other is a payload line read as a URC. */
function checkEvents(fail: Fail, events: string[], fault: string) {
  for (const ev of events) {
    const ok = ev === "REBOOT" ? /REBOOT/.test(fault) : ev === "DEACT" ? /DEACT|bearer drop/.test(fault) : ev === "UNDERVOLTAGE" ? /noise/.test(fault) : false;
    if (!ok) fail("misparsed lines", `event ${ev} without a fault that explains it`);
  }
}

export function describeErr(err: any): string {
  if (!err) return "success";
  if (typeof err !== "object") return String(err);
  return `${err.type ?? (err.code !== undefined ? "code " + err.code : "?")} ${err.command ?? ""}: ${err.message}`;
}

function faultKind(name: string): string {
  if (name.startsWith("URC noise")) return "URC noise";
  if (name.startsWith("bearer drop after")) return "bearer drop mid-transfer";
  return name.replace(/^.* × /, "").replace(/: \d+/, ": N").replace(/ \((connect|final)\)/, "");
}
