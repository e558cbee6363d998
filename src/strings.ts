// String helpers that give the same answer on Espruino 2v29 and on V8 (the sandbox, tools/sandbox.ts,
// reproduces each difference). Espruino 2v29's String.indexOf (the non-SAVE_ON_FLASH build, which a
// Pico runs) also reports a needle that only begins at the end of the string: with
// s = "...x\r", s.indexOf("\r\n") is s.length - 1. A match must fit, so any later index is no match.
// (Single-character needles and `indexOf(p) === 0` tests are not affected.)

/** s.indexOf(needle, from), without Espruino's match past the end. */
export function find(s: string, needle: string, from?: number): number {
  var i = s.indexOf(needle, from);
  return i + needle.length > s.length ? -1 : i;
}

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
