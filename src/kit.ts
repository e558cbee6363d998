// What the parts (sim900-email-send, -pop3, -fetch) take from the core at run time: in a part's
// bundle this file is not included but becomes require("sim900-email"), so each helper is in flash
// once. The core exports all of it (src/index.ts).
export { typedError, codeError } from "./errors";
export { quote, int, LIMITS, UNSAFE } from "./params";
export { resultCode } from "./modem";
export { find } from "./strings";
export { part } from "./part";
