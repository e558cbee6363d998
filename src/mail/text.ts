// Text helpers of the fetch part (headers, transfer decoding), not the core's: they give the same
// answer on Espruino 2v29 and on V8 (tools/sandbox.ts reproduces each difference).
import { find } from "../strings";

/** Every `a` in s replaced by `b`. Espruino 2v29's split returns [] (dropping s) when the separator
 *  is two or more characters longer than the string, so split only where `a` occurs at all. */
export function replaceAll(s: string, a: string, b: string): string {
  return find(s, a) < 0 ? s : s.split(a).join(b);
}

/** White space (space, TAB, CR, LF) off both ends. V8's trim also removes "\xa0", Espruino's does not. */
export function trim(s: string): string {
  return s.replace(/^[ \t\r\n]+/, "").replace(/[ \t\r\n]+$/, "");
}

/** A-Z lowered, nothing else: Espruino's toLowerCase is ASCII-only, V8's also lowers "\xc0"... */
export function lower(s: string): string {
  return s.replace(/[A-Z]+/g, function (w) { return w.toLowerCase(); });
}
