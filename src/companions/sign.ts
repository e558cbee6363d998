// sim900-email-sign: authenticated config emails. fetch() require()s it when given a key.
//
// Format: the decoded body's FIRST line is
//   sig: <seq> <hmac>
// seq: decimal 1..2^31-1, no sign or leading zeros; hmac: 64 hex chars (either case).
// The payload is everything after that first line break (CRLF or LF), normalised before signing and
// verifying: every CRLF becomes LF and trailing spaces/tabs/CR/LF at the very end are dropped (mail
// transport may add a final CRLF). hmac = HMAC-SHA256(key, seq + "\n" + payload), hex, over byte
// strings (UTF-8 bytes; Espruino strings are bytes already). A body is applied only when the hmac
// matches and seq is above the last committed one (kept in a Storage file), so forged and replayed
// emails are refused. Errors are typedError("CONFIG", type, message), type "UNSIGNED" (no well-formed
// sig line), "FORGED" (hmac does not match) or "REPLAY" (seq not above the last applied one).
import { typedError } from "../errors";
import { storageOr } from "../storage";
import type { Verifier } from "../verifier";

export type { Verifier };

declare var E: any;

var K: number[], H0: number[], hash: (s: string) => string;

/** 32-bit fraction of x, as an int32. */
function frac(x: number): number {
  return (x - Math.floor(x)) * 4294967296 | 0;
}

function rotr(x: number, n: number): number {
  return x >>> n | x << 32 - n;
}

/** SHA-256 of a byte string, as a 32-byte byte string. */
export function sha256(s: string): string {
  var l = s.length, n = (l + 8 >> 6) + 1, h: number[], w: number[] = [], v: number[], b, j, i, t, a, e;
  if (!K) {
    // The constants are fractions of square/cube roots of the first primes: computing them is smaller
    // than listing them. One Newton step makes the cube root exact whatever Math.pow's accuracy.
    K = [];
    H0 = [];
    for (a = 2; K.length < 64; a++) {
      for (e = 2; a % e; e++);
      if (e == a) {
        t = Math.pow(a, 1 / 3);
        if (H0.length < 8) H0.push(frac(Math.sqrt(a)));
        K.push(frac(t - (t * t * t - a) / 3 / t / t));
      }
    }
  }
  h = H0.slice();
  for (b = 0; b < n; b++) {
    // 16 big-endian words of this block, the 0x80 end marker and zero padding read as bytes past the end
    var blk = s.substr(b * 64, 64); // a short piece: charCodeAt on a long Espruino string walks from its start
    for (j = 0; j < 16; j++) {
      for (t = i = 0; i < 4; i++) {
        e = b * 64 + j * 4 + i;
        t = t << 8 | (e < l ? blk.charCodeAt(j * 4 + i) : e == l ? 128 : 0);
      }
      w[j] = t;
    }
    if (b == n - 1) {
      w[14] = l / 536870912 | 0; // the length in bits, 64-bit
      w[15] = l << 3;
    }
    v = h.slice();
    for (j = 0; j < 64; j++) {
      if (j > 15) {
        a = w[j - 15];
        e = w[j - 2];
        w[j] = (rotr(a, 7) ^ rotr(a, 18) ^ a >>> 3) + w[j - 7] + (rotr(e, 17) ^ rotr(e, 19) ^ e >>> 10) + w[j - 16] | 0;
      }
      a = v[0];
      e = v[4];
      t = v[7] + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + (e & v[5] ^ ~e & v[6]) + K[j] + w[j] | 0;
      // a..h shift down one place: new a = t1 + t2, new e = d + t1
      v.pop();
      v.unshift(t + (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + (a & v[1] ^ a & v[2] ^ v[1] & v[2]) | 0);
      v[4] = v[4] + t | 0;
    }
    for (i = 0; i < 8; i++) h[i] = h[i] + v[i] | 0;
  }
  for (s = "", i = 0; i < 32; i++) s += String.fromCharCode(h[i >> 2] >>> 24 - i % 4 * 8 & 255);
  return s;
}

/** HMAC-SHA256 (RFC 2104) of byte strings, as 64 lowercase hex chars. */
export function hmac(key: string, msg: string): string {
  if (!hash) {
    // The board's native SHA256 when it has one (much faster), else the JS one above.
    hash = sha256;
    try {
      var c = require("crypto");
      if (c.SHA256) hash = function (s) { return E.toString(new Uint8Array(c.SHA256(s))); };
    } catch (e) { /* no crypto module */ }
  }
  if (key.length > 64) key = hash(key);
  var i, k, o = "", p = "", d;
  for (i = 0; i < 64; i++) {
    k = key.charCodeAt(i) | 0; // NaN past the end: zero padding
    o += String.fromCharCode(k ^ 92);
    p += String.fromCharCode(k ^ 54);
  }
  d = hash(o + hash(p + msg));
  for (o = "", i = 0; i < 32; i++) o += (256 + d.charCodeAt(i)).toString(16).slice(1);
  return o;
}

/** CRLF to LF, trailing whitespace dropped: what is signed. */
function norm(p: string): string {
  p = p.replace(/\r\n/g, "\n");
  var e = p.length;
  while (e && " \t\r\n".indexOf(p.charAt(e - 1)) >= 0) e--;
  return p.slice(0, e);
}

/** The full signed body: sig line, CRLF, payload. */
export function sign(key: string, seq: number, payload: string): string {
  return "sig: " + seq + " " + hmac(key, seq + "\n" + norm(payload)) + "\r\n" + payload;
}

/** Checks config bodies signed with `key`; the last applied seq is kept in Storage file `file`. */
export function verifier(key: string, file?: string, storage?: any): Verifier {
  var S = storageOr(storage), f = file || "sim900em.seq", ram = 0; // no Storage: RAM only
  function last() {
    // re-read, so verifiers sharing the file see each other's commits
    var v = 0;
    try { v = S && +S.readJSON(f, true) || 0; } catch (e) { /* unreadable: RAM value */ }
    return v > ram ? v : ram;
  }
  return {
    check: function (body) {
      body = "" + body;
      var nl = body.indexOf("\n"), w = (nl < 0 ? body : body.slice(0, nl)).trim().split(" "),
        seq = +w[1], mac = (w[2] || "").toLowerCase(), d = 0, i, exp, p, top;
      if (w.length != 3 || w[0] != "sig:" || "" + seq !== w[1] || seq % 1 || seq < 1 || seq > 2147483647 || mac.length != 64)
        return typedError("CONFIG", "UNSIGNED", "Config email is not signed");
      p = norm(nl < 0 ? "" : body.slice(nl + 1));
      exp = hmac(key, seq + "\n" + p);
      // compare every char, so the time taken tells nothing about where a forged hmac differs
      for (i = 0; i < 64; i++) d |= exp.charCodeAt(i) ^ mac.charCodeAt(i);
      if (d) return typedError("CONFIG", "FORGED", "Config email signature is wrong");
      if (seq <= (top = last())) return typedError("CONFIG", "REPLAY", "Config email seq " + seq + " is not above " + top);
      return { seq: seq, payload: p };
    },
    commit: function (seq) {
      if (seq > last()) {
        ram = seq;
        if (S) try { S.writeJSON(f, seq); } catch (e) { /* flash full: keep it in RAM */ }
      }
    },
    last: last,
  };
}
