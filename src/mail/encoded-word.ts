// RFC 2047 encoded words in a header value. Header values are short, so string work per word is fine.
import { base64Decode, qpDecode } from "./transfer-decode";
import { find } from "../strings";

/**
 * Replaces each =?charset?B?text?= / =?charset?Q?text?= (B/Q in either case) by its decoded bytes.
 * The charset is not converted: UTF-8 words give their UTF-8 bytes, one char per byte. Whitespace
 * between two adjacent encoded words is dropped (RFC 2047 6.2); everything else is kept. A
 * malformed or unknown-encoding word is left as it is.
 */
export function decodeWords(v: string): string {
  var out = "", p = 0, prev = false, i;
  while ((i = find(v, "=?", p)) >= 0) {
    var q = v.indexOf("?", i + 2);
    var enc = v.charAt(q + 1).toUpperCase();
    var e = find(v, "?=", q + 3);
    if (q < 0 || e < 0 || v.charAt(q + 2) !== "?" || (enc !== "B" && enc !== "Q")) {
      out += v.substring(p, i + 2);
      p = i + 2;
      prev = false;
      continue;
    }
    var gap = v.substring(p, i);
    if (!(prev && /^[ \t\r\n]*$/.test(gap))) out += gap;
    var t = v.substring(q + 3, e);
    out += enc === "B" ? base64Decode(t) : qpDecode(t.replace(/_/g, " "));
    p = e + 2;
    prev = true;
  }
  return out + v.substring(p);
}
