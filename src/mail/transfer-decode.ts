// Content-Transfer-Encoding decoders (RFC 2045 6.7, 6.8), streaming over slices split anywhere.
// Work is per slice with native calls; quoted-printable costs one small step per "=" escape.

// Espruino (and Node) have atob natively; a bare ES5 engine may not: then a small fallback is used.
declare var atob: ((s: string) => string) | undefined;

export interface Decoder {
  push(s: string): void;
  /** Decodes what is held back (a final unpadded group, a lone "=") and delivers it. */
  end(): void;
}

var B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Fallback base64 decoder for unpadded, clean input (JS loop per char: only where atob is missing). */
export function b64Fallback(s: string): string {
  var out = "", bits = 0, n = 0;
  for (var i = 0; i < s.length; i++) {
    bits = ((bits << 6) | B64.indexOf(s.charAt(i))) & 0xffffff;
    n += 6;
    if (n >= 8) { n -= 8; out += String.fromCharCode((bits >> n) & 255); }
  }
  return out;
}

// Decodes clean base64 (alphabet only, no "="), whose last group may be 2 or 3 chars.
function b64(s: string): string {
  if ((s.length & 3) === 1) s = s.substring(0, s.length - 1); // a lone char carries no whole byte
  return typeof atob === "function" ? atob(s + "===".substring(0, (4 - s.length) & 3)) : b64Fallback(s);
}

/**
 * Streaming base64: ignores every byte outside the alphabet (CR, LF, spaces...). A "=" ends a group
 * (so concatenated padded runs decode too). onData gets the bytes, at most one call per push/end,
 * never "". Holds at most 3 base64 chars between pushes.
 */
export function createBase64Decoder(onData: (s: string) => void): Decoder {
  var carry = "";
  function push(s: string) {
    var parts = s.replace(/[^A-Za-z0-9+\/=]/g, "").split("="), out = "";
    for (var k = 0; k < parts.length; k++) {
      var c = carry + parts[k];
      // before a "=" everything is final; otherwise keep the incomplete group
      var n = k < parts.length - 1 ? c.length : c.length - (c.length & 3);
      out += b64(c.substring(0, n));
      carry = c.substring(n);
    }
    if (out) onData(out);
  }
  return {
    push: push,
    end: function () { var o = b64(carry); carry = ""; if (o) onData(o); },
  };
}

/** One-shot base64 decode (see createBase64Decoder). */
export function base64Decode(s: string): string {
  var out = "";
  var d = createBase64Decoder(function (x) { out += x; });
  d.push(s);
  d.end();
  return out;
}

var HEX = /^[0-9A-Fa-f][0-9A-Fa-f]/;

// Decodes the "="-escapes of complete quoted-printable text: "=XX" -> byte, "=\r\n" / "=\n" -> nothing
// (soft line break). Any other "=" is kept as is.
function qp(s: string): string {
  var parts = s.split("="), out = parts[0];
  for (var k = 1; k < parts.length; k++) {
    var p = parts[k];
    if (HEX.test(p)) out += String.fromCharCode(parseInt(p.substring(0, 2), 16)) + p.substring(2);
    else if (p.charAt(0) === "\n") out += p.substring(1);
    else if (p.substring(0, 2) === "\r\n") out += p.substring(2);
    else out += "=" + p;
  }
  return out;
}

/**
 * Streaming quoted-printable. onData gets the bytes, at most one call per push/end, never "".
 * Holds at most 2 bytes between pushes: a final "=", "=X" or "=\r" whose meaning the next byte decides.
 * Trailing whitespace before line ends is kept (lenient).
 */
export function createQpDecoder(onData: (s: string) => void): Decoder {
  var carry = "";
  function out(s: string) { s = qp(s); if (s) onData(s); }
  function push(s: string) {
    s = carry + s;
    var i = s.lastIndexOf("=");
    if (i >= 0 && i > s.length - 3) {
      carry = s.substring(i);
      s = s.substring(0, i);
    } else carry = "";
    out(s);
  }
  return { push: push, end: function () { var c = carry; carry = ""; out(c); } };
}

/** One-shot quoted-printable decode. */
export { qp as qpDecode };
