// The string search the core and every part share (the fetch part's other text helpers: mail/text.ts).
// It gives the same answer on Espruino 2v29 and on V8 (the sandbox, tools/sandbox.ts,
// reproduces each difference). Espruino 2v29's String.indexOf (the non-SAVE_ON_FLASH build, which a
// Pico runs) also reports a needle that only begins at the end of the string: with
// s = "...x\r", s.indexOf("\r\n") is s.length - 1. A match must fit, so any later index is no match.
// (Single-character needles and `indexOf(p) === 0` tests are not affected.)

/** s.indexOf(needle, from), without Espruino's match past the end. */
export function find(s: string, needle: string, from?: number): number {
  var i = s.indexOf(needle, from);
  return i + needle.length > s.length ? -1 : i;
}
