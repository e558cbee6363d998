// Loads a dist bundle into a Node vm context that offers only ES5 built-ins and the Espruino API subset
// the module uses: no Buffer, process, require, Promise, Map, Symbol... A bundle that leans on any of
// them fails here just as it would on a board.
import * as fs from "node:fs";
import * as vm from "node:vm";

const NOT_ES5 = [
  "Promise", "Map", "Set", "WeakMap", "WeakSet", "Symbol", "Proxy", "Reflect", "WeakRef",
  "FinalizationRegistry", "BigInt", "BigInt64Array", "BigUint64Array", "SharedArrayBuffer", "Atomics",
  "AggregateError", "Intl", "WebAssembly", "queueMicrotask", "globalThis",
];

export interface SandboxHost {
  setTimeout(fn: () => void, ms?: number): unknown;
  clearTimeout(id: unknown): void;
  setInterval(fn: () => void, ms?: number): unknown;
  clearInterval(id: unknown): void;
  getTime(): number;
  modules?: Record<string, unknown>;
  storage?: unknown;
  /** More Espruino globals the bundle may use (digitalWrite, pinMode... on a pretend board). */
  globals?: Record<string, unknown>;
}

/** Node's own timers and a getTime() in seconds. */
export function realHost(): SandboxHost {
  return {
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (id) => clearTimeout(id as NodeJS.Timeout),
    setInterval: (fn, ms) => setInterval(fn, ms),
    clearInterval: (id) => clearInterval(id as NodeJS.Timeout),
    getTime: () => performance.now() / 1000,
  };
}

/**
 * Espruino's own String.indexOf, bugs included (2v29, non-SAVE_ON_FLASH builds such as the Pico's):
 * it scans to the end of the string, so a needle that only begins there is reported too
 * ("...x\r".indexOf("\r\n") is the index of that "\r"); and an empty needle is not found at or past
 * the end ("".indexOf("") and "abc".indexOf("", 3) are -1). Code that runs on a board must cope.
 */
export const ESPRUINO_INDEXOF =
  "(function () { var real = String.prototype.indexOf;" +
  " String.prototype.indexOf = function (needle, from) {" +
  "  var s = String(this), n = String(needle), i = real.call(s, n, from);" +
  "  if (!n.length) return i >= s.length ? -1 : i;" +
  "  if (i >= 0 || n.length > s.length) return i;" +
  "  var k = Math.max(from > 0 ? Math.min(from, s.length - n.length + 1) : 0, s.length - n.length + 1);" +
  "  for (; k < s.length; k++) if (real.call(n, s.substring(k)) === 0) return k;" +
  "  return -1; }; })();";

/**
 * The rest of what Espruino 2v29 (Pico-sized Linux build, no Unicode) does differently from V8, each
 * seen on the real interpreter:
 * - split with a string separator two or more characters longer than the string returns []
 *   ("s ".split("\r\n..") and "x".split("=\r\n") drop the string);
 * - trim removes only ASCII white space (it keeps "\xa0");
 * - toLowerCase and toUpperCase change only A-Z and a-z;
 * - every Error has own enumerable "message", "type" ("Error") and "stack" properties.
 */
export const ESPRUINO_QUIRKS =
  ESPRUINO_INDEXOF +
  "(function () { var split = String.prototype.split;" +
  " String.prototype.split = function (sep, limit) {" +
  "  var s = String(this);" +
  "  if (typeof sep === 'string' && sep.length - s.length >= 2) return [];" +
  "  return split.call(s, sep, limit); };" +
  " String.prototype.trim = function () { return String(this).replace(/^[ \\t\\n\\v\\f\\r]+/, '').replace(/[ \\t\\n\\v\\f\\r]+$/, ''); };" +
  " String.prototype.toLowerCase = function () { return String(this).replace(/[A-Z]/g, function (c) { return String.fromCharCode(c.charCodeAt(0) + 32); }); };" +
  " String.prototype.toUpperCase = function () { return String(this).replace(/[a-z]/g, function (c) { return String.fromCharCode(c.charCodeAt(0) - 32); }); };" +
  " var RealError = Error;" +
  " Error = function Error(message) { var e = new RealError(message), p = { writable: true, enumerable: true, configurable: true };" +
  "  p.value = e.message; Object.defineProperty(e, 'message', p);" +
  "  p.value = 'Error'; Object.defineProperty(e, 'type', p);" +
  "  p.value = '    at [raw]\\n'; Object.defineProperty(e, 'stack', p); return e; };" +
  " Error.prototype = RealError.prototype; })();";

/** Evaluates `file` as Espruino's require() would and returns its exports. */
export function loadBundle(file: string, host: SandboxHost = realHost()): any {
  const code = fs.readFileSync(file, "utf8");
  const ctx = vm.createContext({});
  vm.runInContext(NOT_ES5.map((n) => "delete this." + n + ";").join(""), ctx);
  // ES2015+ methods on ES5 built-ins go too, so their use fails loudly.
  vm.runInContext(
    "delete Object.assign; delete Object.entries; delete Object.values; delete Array.from; delete Array.of;" +
      "delete Array.prototype.find; delete Array.prototype.includes; delete Array.prototype.fill;" +
      "delete String.prototype.startsWith; delete String.prototype.endsWith; delete String.prototype.includes;" +
      "delete String.prototype.repeat; delete String.prototype.padStart; delete Number.isNaN;" +
      // ES5, but not in Espruino 2v29 (checked on the Pico-sized build); rollup's namespace objects use freeze
      "delete Object.freeze; delete Object.isFrozen; delete Object.seal; delete Object.isSealed;" +
      "delete Object.preventExtensions; delete Object.isExtensible; delete String.prototype.localeCompare; delete String.prototype.search;",
    ctx,
  );
  vm.runInContext(ESPRUINO_QUIRKS, ctx);
  // Espruino's native byte helpers and atob, as the board has them.
  vm.runInContext(
    "var E = { toUint8Array: function (s) { var u = new Uint8Array(s.length);" +
      " for (var i = 0; i < s.length; i++) u[i] = s.charCodeAt(i) & 255; return u; }," +
      " toString: function (u) { return String.fromCharCode.apply(null, u); } };",
    ctx,
  );
  const g = ctx as any;
  g.atob = (s: string) => Buffer.from(s, "base64").toString("latin1");
  g.setTimeout = host.setTimeout;
  // Espruino refuses clearTimeout(undefined) (without an argument it would clear every timer).
  g.clearTimeout = (id: unknown) => {
    if (id === undefined) throw new Error("clearTimeout(undefined) not allowed");
    host.clearTimeout(id);
  };
  g.setInterval = host.setInterval;
  g.clearInterval = host.clearInterval;
  g.getTime = host.getTime;
  g.require = (name: string) => {
    const m = host.modules && host.modules[name];
    if (m === undefined) throw new Error("Module " + name + " not found");
    return m;
  };
  if (host.globals) for (const k of Object.keys(host.globals)) g[k] = host.globals[k];
  g.exports = {};
  g.module = { exports: g.exports };
  vm.runInContext(code, ctx, { filename: file });
  return g.module.exports === g.exports ? g.exports : g.module.exports;
}
