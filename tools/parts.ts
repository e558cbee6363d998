// The dist files a board holds, by group: the bench's size rows and budgets and the Espruino tools'
// Storage all read these lists, so a new part of the module is one more name here.
import * as fs from "node:fs";
import * as path from "node:path";
import { loadBundle, realHost, SandboxHost } from "./sandbox";

export const DIST = path.join(__dirname, "..", "dist");

/** The email module's parts (dist file names). The first of core is what a program require()s. */
export const EMAIL_PARTS: Record<"core" | "send" | "pop3" | "fetch" | "hex", string[]> = {
  core: ["sim900-email.js"],
  send: ["sim900-email-send.js"],
  pop3: ["sim900-email-pop3.js"],
  fetch: ["sim900-email-fetch.js"],
  // the UTF-8 hex encoding of non-ASCII subjects and bodies (AT+SMTPCS, manual 2.12): only for a
  // unit that sends such text
  hex: ["sim900-email-hex.js"],
};

/** Optional companion modules, each its own Storage file. */
export const COMPANIONS = ["sim900-email-outbox.js", "sim900-email-power.js", "sim900-email-sign.js"];

export const CORE_FILE = EMAIL_PARTS.core[0];
/** The Storage (and require()) name of a dist file. */
export const moduleName = (file: string) => file.replace(/\.js$/, "");
export const allParts = () => Object.values(EMAIL_PARTS).flat();

/** What a board's Storage holds: every part and companion, as { name, file }. */
export function storageFiles(): { name: string; file: string }[] {
  return [...allParts(), ...COMPANIONS].map((f) => ({ name: moduleName(f), file: path.join(DIST, f) }));
}

/**
 * The core in the ES5 sandbox, with every other part and companion require()able by name (each
 * loaded on first require, as Espruino loads a Storage module).
 */
export function loadModule(host: SandboxHost = realHost()): any {
  const modules: Record<string, unknown> = { ...host.modules };
  for (const f of [...allParts(), ...COMPANIONS].filter((f) => f !== CORE_FILE)) {
    let m: unknown;
    Object.defineProperty(modules, moduleName(f), { enumerable: true, get: () => (m = m ?? loadBundle(path.join(DIST, f), { ...host, modules })) });
  }
  const core = loadBundle(path.join(DIST, CORE_FILE), { ...host, modules });
  modules[moduleName(CORE_FILE)] = core; // the parts take their helpers from it
  return core;
}

/** Missing dist files of the lists above (e.g. before a build). */
export const missingFiles = () => [...allParts(), ...COMPANIONS].filter((f) => !fs.existsSync(path.join(DIST, f)));
