// Runs a dist bundle inside QuickJS (quickjs-emscripten) wired to the SIM900 emulator running in Node,
// so that the engine heap the module needs can be measured, like a board's RAM, with a hard limit.
//
// Inside QuickJS: a port object (write → emulator input; the emulator's output reaches the module's
// 'data' listener in strings of at most 64 chars), setTimeout/clearTimeout on Node timers, getTime,
// atob, E.toUint8Array/E.toString (written in JS inside QuickJS, as Espruino's natives would be), and a
// require() that knows no module. Nothing else from the host.
//
// The heap is sampled (runtime.computeMemoryUsage → memory_used_size) after every event delivered into
// QuickJS (a serial chunk, a timer) and at every port write, i.e. also in the middle of an event.
// QuickJS frees by reference counting at once; its cycle collector is not exposed by
// quickjs-emscripten (no JS_RunGC binding), so cyclic garbage, if any, stays counted: the figures are
// an upper bound of what a collecting engine would need.
import * as fs from "node:fs";
import * as path from "node:path";
import { getQuickJS, QuickJSContext, QuickJSHandle, QuickJSRuntime } from "quickjs-emscripten";
import { createEmulator, Emulator, EmulatorOptions } from "./sim900-emulator/modem";
import { createPort } from "./sim900-emulator/transports";
import type { EmailBackend } from "./sim900-emulator/mail";

/** Espruino-like globals, written in ES5 and evaluated inside QuickJS before the bundle. */
const PRELUDE = `
var __timers = {}, __timerN = 0;
function setTimeout(fn, ms) { var id = ++__timerN; __timers[id] = fn; __hostTimer(id, ms || 0); return id; }
function clearTimeout(id) { if (__timers[id]) { delete __timers[id]; __hostClear(id); } }
function __fire(id) { var f = __timers[id]; if (f) { delete __timers[id]; f(); } }
var E = {
  toUint8Array: function (s) { var u = new Uint8Array(s.length); for (var i = 0; i < s.length; i++) u[i] = s.charCodeAt(i) & 255; return u; },
  toString: function (u) { var s = ""; for (var i = 0; i < u.length; i += 256) s += String.fromCharCode.apply(null, u.subarray(i, i + 256)); return s; }
};
function require(name) { throw new Error("Module " + name + " not found"); }
var __listeners = [];
var __port = {
  write: function (d) {
    __hostSample(); // what the module holds while it writes, before the bridge's own conversion below
    if (d.indexOf("\0") < 0) __hostWrite(d); else __hostWriteBytes(E.toUint8Array(d).buffer);
  },
  on: function (ev, fn) { if (ev === "data") __listeners.push(fn); },
  removeListener: function (ev, fn) { for (var i = 0; i < __listeners.length; i++) if (__listeners[i] === fn) { __listeners.splice(i, 1); return; } },
  removeAllListeners: function () { __listeners = []; }
};
function __deliver(s) { for (var i = 0; i < __listeners.length; i++) __listeners[i](s); }
function __deliverBytes(b) { __deliver(E.toString(new Uint8Array(b))); }
var module = { exports: {} }, exports = module.exports;
function __done(e, i) {
  __hostDone(e ? JSON.stringify({ type: e.type, code: e.code, message: e.message }) : "", i ? JSON.stringify(i) : "");
}
`;

export interface QuickJsBridge {
  runtime: QuickJSRuntime;
  vm: QuickJSContext;
  emu: Emulator;
  /** memory_used_size now. */
  memory(): number;
  /** Highest memory_used_size sampled since the last resetPeak(). */
  peak(): number;
  resetPeak(): void;
  /** Sets a hard limit on memory_used_size (bytes), or -1 for none: a breach fails the operation. */
  limit(bytes: number): void;
  /** Evaluates ES5 code in the QuickJS global scope; throws a host Error on an exception. */
  eval(code: string): void;
  /**
   * Evaluates `code`, which must end by calling __done(err, info) once (err: the module's error or
   * null); resolves [err as {type, code, message} | null, info as JSON-parsed | undefined].
   */
  op(code: string): Promise<[any, any]>;
  /** Errors thrown inside QuickJS by an event handler (out of memory, bugs): a run must end with none. */
  faults: string[];
  /** Events delivered into QuickJS (serial chunks and timers) and memory samples taken. */
  stats: { chunks: number; timers: number; samples: number; written: number; received: number };
  dispose(): void;
}

export interface BridgeOptions {
  backend: EmailBackend;
  emu?: Partial<EmulatorOptions>;
  /** Bundle to load; default dist/sim900-email.js. */
  bundle?: string;
  /** Called after the fresh context and after the bundle loaded, with memory_used_size. */
  onBaseline?: (stage: "fresh" | "loaded", used: number) => void;
}

export async function startQuickJs(o: BridgeOptions): Promise<QuickJsBridge> {
  const QuickJS = await getQuickJS();
  const runtime = QuickJS.newRuntime();
  const vm = runtime.newContext();
  const emu = createEmulator({ backend: o.backend, baud: 0, ...o.emu });
  const port = createPort(emu);
  const timers = new Map<number, NodeJS.Timeout>();
  const faults: string[] = [];
  const stats = { chunks: 0, timers: 0, samples: 0, written: 0, received: 0 };
  let top = 0;
  let pending: ((r: [any, any]) => void) | null = null;
  let disposed = false;

  function memory(): number {
    const h = runtime.computeMemoryUsage();
    const used = vm.dump(h).memory_used_size as number;
    h.dispose();
    return used;
  }
  let hard = -1;
  function sample() {
    stats.samples++;
    const m = memory();
    if (m > top) top = m;
    if (hard > 0 && m > hard && !faults.some((f) => f.startsWith("heap limit"))) {
      const text = "heap limit exceeded: memory_used_size " + m + " > " + hard;
      faults.push(text);
      if (pending) { const p = pending; pending = null; p([{ type: "BRIDGE", message: text }, undefined]); }
    }
  }
  function check(r: ReturnType<QuickJSContext["callFunction"]>, what: string) {
    if (r.error) {
      const e = vm.dump(r.error);
      r.error.dispose();
      const text = what + ": " + (e && e.message ? e.name + ": " + e.message : JSON.stringify(e));
      faults.push(text);
      if (pending) { const p = pending; pending = null; p([{ type: "BRIDGE", message: text }, undefined]); }
    } else r.value.dispose();
  }

  const fresh = memory();
  o.onBaseline?.("fresh", fresh);

  const fns: Record<string, (...a: QuickJSHandle[]) => QuickJSHandle | void> = {
    __hostSample() {
      sample();
    },
    __hostWrite(d) {
      const s = vm.getString(d);
      stats.written += s.length;
      emu.input(Buffer.from(s, "latin1"));
    },
    __hostWriteBytes(d) {
      const b = vm.getArrayBuffer(d);
      const copy = Buffer.from(b.value);
      b.dispose();
      stats.written += copy.length;
      emu.input(copy);
    },
    __hostTimer(id, ms) {
      const n = vm.getNumber(id);
      timers.set(n, setTimeout(() => fire(n), vm.getNumber(ms)));
    },
    __hostClear(id) {
      const n = vm.getNumber(id);
      clearTimeout(timers.get(n));
      timers.delete(n);
    },
    getTime() {
      return vm.newNumber(performance.now() / 1000);
    },
    atob(s) {
      return vm.newString(Buffer.from(vm.getString(s), "base64").toString("latin1"));
    },
    __hostDone(err, info) {
      const e = vm.getString(err), i = vm.getString(info);
      const res: [any, any] = [e ? JSON.parse(e) : null, i ? JSON.parse(i) : undefined];
      const p = pending;
      pending = null;
      if (p) setImmediate(() => p(res));
    },
  };
  for (const [name, fn] of Object.entries(fns)) {
    const h = vm.newFunction(name, fn);
    vm.setProp(vm.global, name, h);
    h.dispose();
  }
  evalOrThrow(PRELUDE);
  const deliverFn = vm.getProp(vm.global, "__deliver");
  const fireFn = vm.getProp(vm.global, "__fire");
  const deliverBytesFn = vm.getProp(vm.global, "__deliverBytes");

  function evalOrThrow(code: string, filename = "eval.js") {
    const r = vm.evalCode(code, filename);
    if (r.error) {
      const e = vm.dump(r.error);
      r.error.dispose();
      throw new Error("QuickJS: " + (e && e.message ? e.name + ": " + e.message + "\n" + (e.stack || "") : JSON.stringify(e)));
    }
    r.value.dispose();
  }

  function fire(id: number) {
    timers.delete(id);
    if (disposed) return;
    stats.timers++;
    const h = vm.newNumber(id);
    check(vm.callFunction(fireFn, vm.undefined, h), "timer");
    h.dispose();
    runtime.executePendingJobs();
    sample();
  }

  port.on("data", (s) => {
    if (disposed) return;
    stats.chunks++;
    stats.received += s.length;
    // quickjs-emscripten passes strings as C strings: one with a NUL byte goes as an ArrayBuffer
    const nul = s.indexOf("\0") >= 0;
    const h = nul ? vm.newArrayBuffer(Uint8Array.from(s, (c) => c.charCodeAt(0)).buffer) : vm.newString(s);
    check(vm.callFunction(nul ? deliverBytesFn : deliverFn, vm.undefined, h), "data");
    h.dispose();
    runtime.executePendingJobs();
    sample();
  });

  const bundle = o.bundle ?? path.join(__dirname, "..", "dist", "sim900-email.js");
  evalOrThrow(fs.readFileSync(bundle, "utf8"), bundle);
  evalOrThrow("var email = module.exports, __modules = { 'sim900-email': email };" +
    "require = function (name) { var m = __modules[name]; if (m) return m; throw new Error('Module ' + name + ' not found'); };");
  // The module's parts, as a board holds them in Storage beside it (each takes its helpers from it).
  for (const p of ["sim900-email-send", "sim900-email-pop3", "sim900-email-fetch", "sim900-email-hex"]) {
    const f = path.join(path.dirname(bundle), p + ".js");
    if (fs.existsSync(f))
      evalOrThrow("(function (module, exports) {\n" + fs.readFileSync(f, "utf8") + "\n})(__modules['" + p + "'] = { exports: {} }, __modules['" + p + "'].exports);" +
        "__modules['" + p + "'] = __modules['" + p + "'].exports;", f);
  }
  o.onBaseline?.("loaded", memory());

  return {
    runtime, vm, emu, faults, stats, memory,
    peak: () => top,
    resetPeak() { top = memory(); },
    limit(bytes) {
      // runtime.setMemoryLimit is not enough here: this wasm build has no malloc_usable_size, so
      // QuickJS's own malloc accounting counts only 8 bytes per block. The limit is enforced on
      // memory_used_size at every sample (after each event, at each write), and passed on as well.
      hard = bytes;
      runtime.setMemoryLimit(bytes);
    },
    eval: (code) => evalOrThrow(code),
    op(code) {
      return new Promise((resolve) => {
        pending = resolve;
        try {
          evalOrThrow(code);
          runtime.executePendingJobs();
          sample();
        } catch (e) {
          pending = null;
          resolve([{ type: "BRIDGE", message: String(e) }, undefined]);
        }
      });
    },
    dispose() {
      disposed = true;
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
      port.close();
      emu.close?.();
      deliverFn.dispose();
      fireFn.dispose();
      deliverBytesFn.dispose();
      vm.dispose();
      runtime.dispose();
    },
  };
}


/** A raw message of about `size` bytes: headers, then 76-char lines, every 10th starting with a dot. */
export function sampleMessage(size: number): Buffer {
  const head = "From: Ops <ops@example.com>\r\nTo: unit7@example.com\r\nSubject: Big " + size + "\r\n\r\n";
  const lines: string[] = [head];
  let n = head.length;
  for (let i = 0; n < size; i++) {
    const l = (i % 10 === 0 ? "." : "x") + String(i).padStart(8, "0") + "-".repeat(65) + "\r\n";
    lines.push(l);
    n += l.length;
  }
  return Buffer.from(lines.join(""), "latin1");
}

export interface Scenario {
  /** e.g. "retrieve 256 KB (streamed)". */
  name: string;
  kind: "retrieve" | "send";
  bytes: number;
  /** memory_used_size of a fresh context, after loading the bundle, idle after connect. */
  fresh: number;
  loaded: number;
  idle: number;
  /** The hard limit in force after loading (loaded + headroom). */
  limit: number;
  /** Highest memory_used_size sampled during the operation. */
  peak: number;
  /** Serial chunks and timers delivered into QuickJS during the operation; memory samples taken. */
  events: number;
  samples: number;
  ms: number;
  /** What went wrong (the operation's error, a fault inside QuickJS, a breach of the limit), or "". */
  error: string;
}

/**
 * One measurement of issue 7 in a runtime of its own: a fresh context, the bundle loaded (then a hard
 * limit of loaded + headroom), connect, idle, and the peak during one streamed retrieve of a message
 * of `bytes` or one send of a binary attachment of `bytes` produced by read(max) inside QuickJS.
 */
export async function measureScenario(o: {
  backend: EmailBackend;
  connect: Record<string, unknown>;
  kind: "retrieve" | "send";
  bytes: number;
  headroom?: number;
  bundle?: string;
}): Promise<Scenario> {
  const r: Scenario = {
    name: o.kind === "retrieve" ? "retrieve " + o.bytes / 1024 + " KB (streamed)" : "send " + o.bytes / 1024 + " KB attachment",
    kind: o.kind, bytes: o.bytes, fresh: 0, loaded: 0, idle: 0, limit: 0, peak: 0, events: 0, samples: 0, ms: 0, error: "",
  };
  const user = String((o.connect as any).pop3.user);
  const box = o.backend.mailbox(user);
  box.length = 0;
  const raw = sampleMessage(o.bytes);
  if (o.kind === "retrieve") o.backend.deliver(user, raw);
  const q = await startQuickJs({ backend: o.backend, bundle: o.bundle, onBaseline: (stage, used) => { r[stage] = used; } });
  const why = (what: string, err: any) => what + ": " + (err.type || "") + " " + (err.message || JSON.stringify(err));
  try {
    r.limit = r.loaded + (o.headroom ?? 32 * 1024);
    q.limit(r.limit);
    let [err, info] = await q.op("var mail = email.connect(__port, " + JSON.stringify(o.connect) + ", __done);");
    if (err) { r.error = why("connect", err); return r; }
    r.idle = q.memory();
    q.resetPeak();
    const t = performance.now(), ev = q.stats.chunks + q.stats.timers, sm = q.stats.samples;
    if (o.kind === "retrieve") {
      [err, info] = await q.op("mail.retrieve(1, { onData: function (s) {} }, __done);");
      if (!err && info.size !== raw.length) r.error = "retrieve delivered " + info.size + " of " + raw.length + " bytes";
    } else {
      [err, info] = await q.op(
        "var left = " + o.bytes + ";" +
        "mail.send({ to: 'ops@example.com', subject: 'log', body: 'see attachment', attachment: { name: 'log.bin', binary: true," +
        " read: function (max) { var n = max < left ? max : left; left -= n; var u = new Uint8Array(n);" +
        " for (var i = 0; i < n; i++) u[i] = (left + i) & 255; return u; } } }, __done);",
      );
      if (!err && info.size !== o.bytes) r.error = "send reported " + info.size + " of " + o.bytes + " bytes";
    }
    r.ms = performance.now() - t;
    r.events = q.stats.chunks + q.stats.timers - ev;
    r.samples = q.stats.samples - sm;
    r.peak = q.peak();
    if (err) { r.error = why("operation", err); return r; }
    [err] = await q.op("mail.close(__done);");
    if (err) r.error = why("close", err);
  } finally {
    if (q.faults.length && !r.error) r.error = q.faults.join("; ");
    if (q.faults.length && r.error.indexOf(q.faults[0]) < 0) r.error += "; " + q.faults.join("; ");
    q.dispose();
    box.length = 0;
    o.backend.mailbox("ops").length = 0;
  }
  return r;
}

/** The scenarios of issue 7: streamed retrieves of 16 and 256 KB, attachment sends of 16 and 128 KB. */
export async function measureHeap(o: { backend: EmailBackend; connect: Record<string, unknown>; headroom?: number; bundle?: string }): Promise<Scenario[]> {
  const out: Scenario[] = [];
  for (const [kind, bytes] of [["retrieve", 16384], ["retrieve", 262144], ["send", 16384], ["send", 131072]] as const)
    out.push(await measureScenario({ ...o, kind, bytes }));
  return out;
}

/** Heap budgets of issue 7, in bytes. */
export const HEAP_BUDGET = { load: 40 * 1024, operation: 24 * 1024, limitHeadroom: 32 * 1024, growth: 0.1 };
