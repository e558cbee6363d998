// The program a replayed session runs on Espruino: it opens a TCP socket to the host's replay server
// (tools/espruino-replay-server.ts) and hands it to the module as its serial port, plus a second
// socket on which it acknowledges each 'data' event, so that the host sends one recorded chunk at a
// time (TCP would merge them). It require()s the module and runs a scenario:
//   function scenario(email, port, done, h)   done(results, figures)
// h.mem() is the JsVars in use after a garbage collection (process.memory() collects first), less
// what the sockets buffer for us (a Pico's Serial buffers in C); h.peak is the highest seen, and is
// sampled after every 'data' event. The text is the same whichever module is loaded, so a run with
// STUB_MODULE measures the harness alone, to be subtracted.
//
// Code as a Pico holds it. There, require() of a Storage file makes a native string over the file in
// memory-mapped flash, and every function's code is a slice of it: one JsVar however long, also for
// each closure made at run time. The Linux build copies a Storage file into RAM instead (jsflash.c,
// jsvAddressToVar), so every function would hold its text in JsVars. So the files (module, scenario,
// harness) are passed as the interpreter's last argument, an "image" outside the JsVar pool standing
// in for flash, and a bootstrap makes the native string over each one (the build's own
// jsvNewNativeString, through E.nativeCall) and evaluates it as require() does (Modules.addCached).
// Without the symbols to find that function, the files go to Storage and load the Linux way ("RAM").
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";

/** A module with the module's calls that does nothing but call back (soon, as the module would). */
export const STUB_MODULE = `function later(cb, a) { if (cb) setTimeout(function () { cb(null, a); }, 1); }
exports.connect = function (port, options, cb) {
  later(cb);
  return {
    send: function (msg, cb) { later(cb, { commands: 0, size: 0 }); },
    list: function (cb) { later(cb, []); },
    retrieve: function (n, opts, cb) { later(cb, { size: 0 }); },
    remove: function (n, cb) { later(cb); },
    undoRemove: function (cb) { later(cb); },
    logout: function (cb) { later(cb); },
    fetch: function (filter, onMessage, cb) { later(cb, { checked: 0, matched: 0, deleted: 0, failed: 0, rejected: 0 }); },
    close: function (cb) { later(cb); }
  };
};
`;

/** The module files holding the scenario and the harness. */
export const SCENARIO_FILE = "scenario", HARNESS_FILE = "harness";

/** The Storage file SCENARIO_FILE for a scenario's source. */
export const scenarioModule = (scenario: string) => scenario + "\nexports.scenario = scenario;\n";

/**
 * The module HARNESS_FILE: prints `RESULT {results, figures, base, loaded}`, base before require()
 * of `module` and loaded after (JsVars in use).
 */
export function harnessModule(o: { dataPort: number; ackPort: number; module: string }): string {
  return `var net = require("net"), sock, ack, ended = false;
var scenario = require(${JSON.stringify(SCENARIO_FILE)}).scenario;
function held(s) {
  var n = 0;
  if (s && s.dSnd !== undefined) n += 1 + E.getSizeOf(s.dSnd);
  if (s && s.dRcv !== undefined) n += 1 + E.getSizeOf(s.dRcv);
  return n;
}
var H = { peak: 0, mem: function () {
  var u = process.memory().usage - held(sock) - held(ack);
  if (u > H.peak) H.peak = u;
  return u;
} };
function start() {
  var base = H.mem();
  var email = require(${JSON.stringify(o.module)});
  var loaded = H.mem();
  H.peak = loaded;
  scenario(email, sock, function (R, F) {
    if (ended) return;
    ended = true;
    print("RESULT " + JSON.stringify({ results: R, figures: F, base: base, loaded: loaded }));
    sock.end();
    ack.end();
  }, H);
  // after the module's own listener: the sample sees what the chunk left behind
  sock.on("data", function () { H.mem(); if (!ended) ack.write("."); });
  ack.write("."); // ready for the first chunk
}
sock = net.connect({ host: "127.0.0.1", port: ${o.dataPort} }, function () {
  ack = net.connect({ host: "127.0.0.1", port: ${o.ackPort} }, function () { setTimeout(start, 10); });
});
`;
}

/** Where the build's jsvNewNativeString is, from its symbols (nm), or undefined if they are stripped. */
export function findNativeString(binary: string): { offset: number; binary: string } | undefined {
  const r = spawnSync("nm", ["--defined-only", binary], { encoding: "latin1", maxBuffer: 64 << 20 });
  const m = /^([0-9a-f]+) T jsvNewNativeString$/m.exec(r.stdout || "");
  return m ? { offset: parseInt(m[1], 16), binary: fs.realpathSync(binary) } : undefined;
}

const MAGIC = "/*image*/";

/**
 * The interpreter's arguments that run HARNESS_FILE with `files` (name -> source) mapped as flash:
 * ["-e", bootstrap, image]. The image is ASCII (the tools escape the rest), so argv holds it byte for byte.
 */
export function flashArgs(files: Record<string, string>, native: { offset: number; binary: string }): string[] {
  let image = MAGIC;
  const table: Record<string, [number, number]> = {};
  for (const [name, text] of Object.entries(files)) {
    if (/[^\x01-\x7f]/.test(text)) throw new Error(name + " is not ASCII: it would not reach the image byte for byte");
    table[name] = [image.length, text.length];
    image += text;
  }
  // /proc/self/stat: field 49 is the end of argv (after the image's NUL); /proc/self/maps: where the binary is
  const bootstrap = `function locate() {
  var fs = require("fs"), stat = fs.readFileSync("/proc/self/stat").split(" ");
  var maps = fs.readFileSync("/proc/self/maps").split("\\n"), i, f, make;
  for (i = 0; i < maps.length && !make; i++) {
    f = maps[i].split(/ +/);
    if (f[2] === "00000000" && f[5] === ${JSON.stringify(native.binary)}) make = E.nativeCall(parseInt(f[0], 16) + ${native.offset}, "JsVar(int,int)");
  }
  return [make, +stat[48] - 1 - ${image.length}];
}
(function (m) {
  var IMG = ${JSON.stringify(table)}, make = m[0], at = m[1], real = require;
  if (!make || make(at, ${MAGIC.length}) != ${JSON.stringify(MAGIC)}) throw new Error("no image in argv");
  global.require = function (name) {
    var e = IMG[name];
    if (e) { IMG[name] = undefined; Modules.addCached(name, make(at + e[0], e[1])); }
    return real(name);
  };
})(locate());
delete locate;
require(${JSON.stringify(HARNESS_FILE)});`;
  return ["-e", bootstrap, image];
}
