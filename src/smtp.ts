// Sending (manual 2.3-2.12, examples 3.2-3.4, 3.8): the settings an email needs, minus those the
// modem already holds from the last email; the body after the '>' prompt (on a SIM800 after
// "DOWNLOAD", src/dialect.ts); AT+SMTPSEND; then the attachment through one fixed ring buffer in
// AT+SMTPFT requests of at most min(chunk, maxLength).
import type { Modem } from "./modem";
import type { Dialect } from "./dialect";
import type { EmailError } from "./errors";
import type { Callback } from "./flow";
import { quote, int, LIMITS, typedError, codeError, part } from "./kit";
import type * as HexPart from "./hex";

import { hexMode } from "./mail/hex-mode";

declare var E: any;

export interface Address {
  address: string;
  name?: string;
}
export type Recipients = string | Address | (string | Address)[];

export interface Attachment {
  name: string;
  /** false: a text file sent 7bit; true: a binary file the modem sends base64 (manual 2.9). */
  binary?: boolean;
  data?: string | Uint8Array;
  /** Returns up to `max` more bytes; "" or undefined at the end. */
  read?: (max: number) => string | Uint8Array | undefined;
}

export interface Message {
  to?: Recipients;
  cc?: Recipients;
  bcc?: Recipients;
  subject?: string;
  body?: string;
  charset?: string;
  attachment?: Attachment;
  progress?: (sentBytes: number) => void;
}

export interface Setting {
  slot: string;
  cmd: string;
  /** The transcript's version, when cmd holds a password. */
  shown?: string;
}

function list(r?: Recipients): Address[] {
  // not instanceof Array: arrays made in another realm (a host test sandbox) are not instances
  var a = r === undefined ? [] : typeof r === "string" || (r as Address).address !== undefined ? [r] : (r as (string | Address)[]);
  var out: Address[] = [];
  for (var i = 0; i < a.length; i++) out.push(typeof a[i] === "string" ? { address: a[i] as string } : (a[i] as Address));
  return out;
}

/** The settings of `msg`, in the order they are sent, and its body as it goes after the prompt. */
export function settings(m: Modem, msg: Message): { steps: Setting[]; text: string } {
  var C = "SMTPSEND";
  var o = m.o;
  var s = o.smtp;
  if (!s) throw typedError(C, "OPTIONS", "no smtp server in the connect options");
  if (!o.from) throw typedError(C, "OPTIONS", "no from address in the connect options");
  var out: Setting[] = [];
  function add(slot: string, cmd: string, shown?: string) {
    out.push({ slot: slot, cmd: cmd, shown: shown });
  }
  add("SRV", "AT+SMTPSRV=" + quote(C, "smtp.host", s.host) + "," + int(C, "smtp.port", s.port || 25, 1, 65535));
  if (s.user) {
    var auth = "AT+SMTPAUTH=1," + quote(C, "smtp.user", s.user) + ",";
    add("AUTH", auth + quote(C, "smtp.password", s.password), auth + '"***"');
  } else add("AUTH", "AT+SMTPAUTH=0");
  add("FROM", "AT+SMTPFROM=" + quote(C, "from.address", o.from.address) +
    (o.from.name ? "," + quote(C, "from.name", o.from.name) : ""));

  var subject = msg.subject || "";
  var body = msg.body || "";
  var hex = hexMode(msg.charset, subject, body);
  var cs = hex ? msg.charset || "UTF-8" : "ASCII";
  add("CS", "AT+SMTPCS=" + quote(C, "charset", cs, 0, LIMITS.charsetLen));

  var types = [msg.to, msg.cc, msg.bcc];
  var count = 0;
  for (var t = 0; t < 3; t++) {
    var r = list(types[t]);
    if (r.length > LIMITS.rcpt) throw typedError(C, "ARGUMENT", "more than " + LIMITS.rcpt + " recipients of one kind");
    count += r.length;
    for (var i = 0; i < r.length; i++)
      add("R" + t + "." + i, "AT+SMTPRCPT=" + t + "," + i + "," + quote(C, "recipient address", r[i].address) +
        (r[i].name ? "," + quote(C, "recipient name", r[i].name) : ""));
  }
  if (!count) throw typedError(C, "ARGUMENT", "no recipient");

  if (hex) {
    // its own part: a unit that sends only ASCII does without it (found here, before any command)
    var h: typeof HexPart = part("hex");
    subject = h.toHex(subject);
    body = h.toHex(body);
  }
  if (subject.length > LIMITS.subjectLen) throw typedError(C, "ARGUMENT", "subject is longer than the modem takes");
  add("SUB", "AT+SMTPSUB=\"" + subject + "\"");
  if (body.length > LIMITS.bodyLen) throw typedError(C, "ARGUMENT", "body is longer than " + LIMITS.bodyLen + " bytes as sent");

  var f = msg.attachment;
  if (!f) add("FILE", "AT+SMTPFILE=0");
  else {
    if (f.data === undefined && typeof f.read !== "function") throw typedError(C, "ARGUMENT", "attachment has neither data nor read");
    add("FILE", "AT+SMTPFILE=" + (f.binary ? 2 : 1) + "," + quote(C, "attachment.name", f.name) + "," + (f.binary ? 1 : 0));
  }
  return { steps: out, text: body };
}

/** The commands that bring the modem from what `cache` says it holds to `want`. */
function plan(cache: { [key: string]: string }, want: Setting[]): Setting[] {
  var out: Setting[] = [];
  var keep: { [key: string]: boolean } = {};
  var i;
  for (i = 0; i < want.length; i++) keep[want[i].slot] = true;
  // Unknown recipients (first email, or after a failure): clear all three lists (manual 2.6).
  if (!cache.R) for (i = 0; i < 3; i++) out.push({ slot: "R", cmd: "AT+SMTPRCPT=" + i });
  else
    for (var k in cache) { // cache: always an object (Espruino throws on for-in over null)
      var r = /^R(\d)\.(\d+)$/.exec(k);
      if (r && !keep[k]) out.push({ slot: "-" + k, cmd: "AT+SMTPRCPT=" + r[1] + "," + r[2] });
    }
  for (i = 0; i < want.length; i++) if (cache[want[i].slot] !== want[i].cmd) out.push(want[i]);
  return out;
}

/** Sends `msg` whose settings() were computed (and so validated) before any command went out. */
export function send(m: Modem, msg: Message, s: { steps: Setting[]; text: string }, done: Callback) {
  var C = "SMTPSEND";
  var first = m.ch.tally;
  var sent = 0;
  var todo = plan(m.cache, s.steps);
  var i = 0;
  var text = s.text;
  // The list is not kept while sending (a Setting costs ~7 JsVars): what it takes goes into the cache.
  s = null as any;

  var f = msg.attachment;
  var progress = msg.progress;
  msg = null as any; // nor the message: its subject, body and recipients are in the settings
  var size = m.o.ring;
  var off = 0;
  var buf = "";
  var eof = !f;

  // The settings one by one, then the body (one function for both: each function the send holds
  // costs about 9 JsVars, and a closure per setting would be held while sending).
  // SIM900 2.8: the body after the ">" prompt, ended by Ctrl-Z (the body cannot hold one: hex
  // otherwise). SIM800 p296: "DOWNLOAD", then exactly <length> bytes; no Ctrl-Z, so the body is never
  // empty (a line end stands for none). Printable ASCII or hex either way: the length counts bytes.
  function setting(err?: EmailError | null) {
    if (err) return done(err);
    var st = todo[i++];
    if (st)
      return m.at(st.cmd, st.shown ? { logAs: st.shown } : null, function (err) {
        if (!err) {
          if (st.slot.charAt(0) === "-") delete m.cache[st.slot.substring(1)];
          else m.cache[st.slot] = st.cmd;
        }
        setting(err);
      });
    todo = []; // the settings are done: none held during the transfer
    var d = (m.dialect as Dialect).download;
    text = d ? text || "\r\n" : text + "\x1a";
    // the prompt (the line ">") or the line DOWNLOAD; any other line is not ours. Once written, the
    // body (up to 4 KB, twice that as hex) is not held through the attachment's transfer.
    m.at("AT+SMTPBODY" + (d ? "=" + text.length : ""), {
      onLine: function (line: string): boolean {
        return line === (d || ">") && (m.ch.serial.write(text), (text = ""), true);
      },
    }, function (err) {
      if (err) done(err);
      else m.at("AT+SMTPSEND", { until: ["+SMTPFT: 1,", "+SMTPSEND:"] }, finished);
    });
  }

  // The answer to AT+SMTPSEND or AT+SMTPFT (it creates no closure: its scope is not kept).
  function finished(err: EmailError | null, res: { result: string }) {
    var line = res.result, x = /^\+SMTPSEND: *(\d+)/.exec(line);
    if (err) {
      if (x) err.code = +x[1]; // a bearer drop is followed by "+SMTPSEND: 61": the error keeps both
      return done(err);
    }
    if (x) return done(+x[1] === 1 ? null : codeError(C, +x[1]), { commands: m.ch.tally - first, size: sent });
    x = /^\+SMTPFT: *1,(\d+)/.exec(line);
    // (not inlined: the closures transfer makes would keep this scope, and the answer with it)
    if (x) return /*#__NOINLINE__*/ transfer(+x[1]);
    done(typedError(C, "ERROR", "unexpected answer " + line));
  }

  // Manual 2.11: "+SMTPFT: 1,<max>" invites a request of at most max bytes; 0 ends the attachment.
  // The bytes go through one buffer of at most `ring` bytes, topped up from data or read(max): RAM
  // stays the same whatever the attachment's size. Producer pieces are byte strings or Uint8Arrays.
  function transfer(max: number) {
    while (!eof && buf.length < size) {
      var want = size - buf.length, d = (f as Attachment).data, p: any;
      try {
        p = d === undefined ? ((f as Attachment).read as (n: number) => any)(want) : typeof d === "string" ? d.substr(off, want) : d.subarray(off, off + want);
        off += want;
      } catch (e) {
        return done(typedError("SMTPFT", "ARGUMENT", "attachment read() threw: " + e));
      }
      if (!p || !p.length) eof = true;
      else buf += typeof p === "string" ? p : typeof E !== "undefined" ? E.toString(p) : String.fromCharCode.apply(null, p);
    }
    p = 0; // the closures below keep this scope: not the piece too
    var n = Math.min(m.o.chunk, max, buf.length);
    if (!n) return m.at("AT+SMTPFT=0", { until: ["+SMTPSEND:"] }, finished);
    var k = 0;
    m.at("AT+SMTPFT=" + n, {
      until: ["+SMTPFT: 1,", "+SMTPSEND:"],
      onLine: function (line) {
        var c = /^\+SMTPFT: *2,(\d+)/.exec(line);
        if (!c) return false;
        k = Math.min(+c[1], buf.length);
        m.ch.serial.write(buf.substring(0, k));
        buf = buf.substring(k);
        return true;
      },
    }, function (err, res) {
      // No "+SMTPFT: 2,n" seen: the modem may be waiting for n bytes; fill them so it hears commands
      // again (the send fails, and no AT+SMTPFT=0 ever lets those bytes go out as an email).
      if (err && !k && err.type !== "ERROR") m.ch.serial.write(new Array(n + 1).join("\0"));
      sent += k;
      if (!err && progress) try { progress(sent); } catch (e) { /* a progress callback may not stop the transfer */ }
      finished(err, res);
    });
  }

  setting();
}
