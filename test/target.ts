// What the tests run against: the TypeScript sources (default) or, with TARGET=dist, the built ES5
// test bundle loaded in the ES5-only sandbox. Suites tagged @dist run under both.
// In dist mode the bundle's require() finds the companion module sim900-email-sign, as on a board
// where it was uploaded to Storage.
import * as path from "node:path";
import * as src from "../src/testing";
import { loadBundle, realHost } from "../tools/sandbox";

const DIST = path.join(__dirname, "..", "dist");
export const target: string = process.env.TARGET === "dist" ? "dist" : "src";
/** The emulated modem of the suites tagged @model: MODEL=sim800 for the SIM800 (default sim900). */
export const model: "sim900" | "sim800" = process.env.MODEL === "sim800" ? "sim800" : "sim900";
export const lib: typeof src =
  target === "dist"
    ? loadBundle(path.join(DIST, "sim900-email.test.js"), { ...realHost(), modules: { "sim900-email-sign": loadBundle(path.join(DIST, "sim900-email-sign.js")) } })
    : src;
