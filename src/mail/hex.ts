// AT+SMTPCS non-ASCII mode, where subject and body go to the modem as hex of their bytes (SIM900
// manual 2.12: "TEST" -> "54455354"): the part sim900-email-hex, which only a unit that sends
// non-ASCII text needs (whether a message does is hex-mode.ts's, in the send part). Meant for a
// subject or a body of a few KB: per-char work, done on 64-char blocks so that charCodeAt never
// walks a long Espruino string.

var HEXD = "0123456789ABCDEF";

function each(s: string, fn: (c: number) => void) {
  for (var p = 0; p < s.length; p += 64) {
    var b = s.substr(p, 64);
    for (var j = 0; j < b.length; j++) fn(b.charCodeAt(j));
  }
}

/**
 * The UTF-8 bytes of s, one char per byte. The rule (strings may be host strings or Espruino byte
 * strings): if every char is <= 0xFF AND the chars, read as bytes, are well-formed UTF-8 (lead byte
 * C2-F4 followed by the right number of 80-BF bytes; ASCII is trivially so), s is taken to be UTF-8
 * bytes already and returned unchanged. Otherwise (a char > 0xFF, or e.g. a lone 0xE9 "é" typed as
 * Latin-1) every char is a code point and is UTF-8 encoded; UTF-16 surrogate pairs are combined,
 * a lone surrogate is encoded as its own 3 bytes. Caveat: Latin-1 text whose bytes happen to form
 * valid UTF-8 (like "Ã©") is taken as UTF-8 ("é").
 */
export function utf8Bytes(s: string): string {
  if (!/[^\x00-\x7f]/.test(s)) return s;
  var ok = true, need = 0;
  each(s, function (c) {
    if (c > 255) ok = false;
    else if (need) { if ((c & 0xc0) === 0x80) need--; else ok = false; }
    else if (c > 127) { if (c >= 0xc2 && c <= 0xf4) need = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : 1; else ok = false; }
  });
  if (ok && !need) return s;
  var out = "", hi = 0, f = String.fromCharCode;
  function put(c: number) {
    if (c < 0x80) { out += f(c); return; }
    var n = c < 0x800 ? 1 : c < 0x10000 ? 2 : 3; // continuation bytes
    out += f(((0xff00 >> (n + 1)) & 0xff) | (c >> (6 * n)));
    while (n--) out += f(0x80 | ((c >> (6 * n)) & 63));
  }
  each(s, function (c) {
    if (hi && c >= 0xdc00 && c <= 0xdfff) { put(0x10000 + ((hi - 0xd800) << 10) + c - 0xdc00); hi = 0; return; }
    if (hi) put(hi);
    hi = c >= 0xd800 && c <= 0xdbff ? c : 0;
    if (!hi) put(c);
  });
  if (hi) put(hi);
  return out;
}

/** The length of s as the modem is given it: in hex mode two characters per UTF-8 byte. */
export function sentLength(s: string, hex: boolean): number {
  return hex ? 2 * utf8Bytes(s).length : s.length;
}

/** Uppercase hex of the UTF-8 bytes of s (see utf8Bytes for the rule): "TEST" -> "54455354". */
export function toHex(s: string): string {
  var out = "";
  each(utf8Bytes(s), function (c) { out += HEXD.charAt(c >> 4) + HEXD.charAt(c & 15); });
  return out;
}
