// What the tests run against: the TypeScript sources (default) or, with TARGET=dist, the built ES5
// test bundle loaded in the ES5-only sandbox. Suites tagged @dist run under both.
import * as path from "node:path";
import * as src from "../src/testing";
import { loadBundle } from "./helpers/sandbox";

export const target: string = process.env.TARGET === "dist" ? "dist" : "src";
export const lib: typeof src =
  target === "dist" ? loadBundle(path.join(__dirname, "..", "dist", "sim900-email.test.js")) : src;
