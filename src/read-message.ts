// One message read through retrieve (TOP n lines, or the whole of it): its headers and at most `cap`
// bytes of its body, transfer-decoded, as fetch() matches and hands it on.
import type { Modem } from "./modem";
import type { EmailError } from "./errors";
import { retrieve, createLineSplitter } from "./pop3";
import { createHeaderParser, parseAddress } from "./mail/headers";
import { decodeWords } from "./mail/encoded-word";
import { base64Decode, qpDecode } from "./mail/transfer-decode";
import { lower } from "./mail/text";

export interface ReadMessage {
  uid: string;
  /** The sender's address (parsed from From). */
  from: string;
  /** The decoded Subject. */
  subject: string;
  date: string;
  body: string;
}

/** Reads message n's headers and (when lines is undefined) its body, at most `cap` bytes of it;
 *  done also gets the raw From header, which a filter matches against. */
export function readMessage(m: Modem, n: number, lines: number | undefined, cap: number, done: (err: EmailError | null, msg?: ReadMessage, fromHeader?: string) => void) {
  var h: { [name: string]: string } = {};
  var inBody = false;
  var body = "";
  var hp = createHeaderParser(function (name, value) { h[name] = value; }, function () { inBody = true; });
  var ls = createLineSplitter(function (line) {
    if (!inBody) hp.line(line);
    else if (body.length < cap) body += line + "\r\n";
  }, 998);
  retrieve(m, function (err) {
    if (err) return done(err);
    ls.end();
    var cte = lower(h["content-transfer-encoding"] || "");
    body = cte === "base64" ? base64Decode(body) : cte === "quoted-printable" ? qpDecode(body) : body;
    done(null, {
      uid: "",
      from: parseAddress(h.from || ""),
      subject: decodeWords(h.subject || ""),
      date: h.date || "",
      body: body.substring(0, cap),
    }, h.from || "");
  }, n, { lines: lines, onData: ls.push });
}
