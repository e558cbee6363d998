// Content-Transfer-Encoding decoders (RFC 2045 6.7, 6.8) for a capped config body or a header word.
// Native calls only: atob (Espruino has it built in) and regex replaces.
import { replaceAll } from "./text";
declare function atob(s: string): string;

/** base64, ignoring everything outside the alphabet; a "=" ends a group, so padded runs concatenate. */
export function base64Decode(s: string): string {
  var parts = s.replace(/[^A-Za-z0-9+\/=]/g, "").split("="), out = "";
  for (var k = 0; k < parts.length; k++) {
    var p = parts[k];
    if ((p.length & 3) === 1) p = p.substring(0, p.length - 1); // a lone char carries no whole byte
    if (p) out += atob(p + "===".substring(0, (4 - p.length) & 3));
  }
  return out;
}

/** quoted-printable: "=" at a line end → nothing (soft break), "=XX" → byte; any other "=" is kept.
 *  (No "?" or "{2}" in the regex: Espruino's regex engine does not handle them.) */
export function qpDecode(s: string): string {
  return replaceAll(replaceAll(s, "=\r\n", ""), "=\n", "").replace(/=([0-9A-Fa-f][0-9A-Fa-f])/g, function (m, x) {
    return String.fromCharCode(parseInt(x, 16));
  });
}
