// sim900-email-outbox: emails that cannot be sent now wait in flash (Espruino Storage) and are sent
// later, oldest first, at least once, across resets. Files: "sim900eo" = { seq, attempts } and one
// "sim900eo.<seq>" = { id, m } per message, m being the message as it will be sent (id in the subject).
// flush() sets no timer for the next try: the application sleeps retryIn() ms and calls it again.
import { EmailError, typedError } from "../errors";
import { Message } from "../smtp";
import { sentLength } from "../mail/hex";
import { LIMITS } from "../params";
import { hexMode } from "../mail/hex-mode";
import { assign } from "../flow";
import { storageOr } from "../storage";

export interface OutboxOptions {
  /** This unit's name, the part before "#" in every message id (default "unit"). */
  id?: string;
  /** Bounds on what is stored: messages (default 8) and bytes of stored JSON (default 8192). */
  max?: number;
  maxBytes?: number;
  /** Backoff after failed flushes: baseDelay * 2^(attempts-1), at most maxDelay, ms (30 s, 1 h). */
  baseDelay?: number;
  maxDelay?: number;
  /** Jitter source, [0, 1) (default Math.random). */
  random?: () => number;
  /** Longest wait for mail.send's callback, ms (default 600000): a send that never answers is a failure. */
  timeout?: number;
  /** Espruino's Storage or a stand-in: readJSON, writeJSON, erase, list, read if it has it (default require("Storage")). */
  storage?: any;
}

export interface FlushStats {
  sent: number;
  left: number;
  retryIn: number;
  /** Messages refused for good (bad recipient, ARGUMENT, unreadable file): erased, not retried. */
  dropped: { id: string; err: EmailError }[];
}

export interface Outbox {
  queue(message: Message, cb: (err: EmailError | null, id?: string) => void): void;
  flush(cb: (err: EmailError | null, stats: FlushStats) => void): void;
  size(): { count: number; bytes: number };
  retryIn(): number;
}

export interface Mailer {
  send(message: Message, cb: (err?: EmailError | null, info?: any) => void): void;
}

var C = "OUTBOX", F = "sim900eo", RE = /^sim900eo\.\d+$/;

function def(v: number | undefined, d: number): number {
  return v === undefined ? d : v;
}

export function create(mail: Mailer, options?: OutboxOptions): Outbox {
  var o = options || {}, S = storageOr(o.storage);
  if (!S) throw typedError(C, "FLASH", "no Storage");
  var name = o.id || "unit", max = def(o.max, 8), maxBytes = def(o.maxBytes, 8192), base = def(o.baseDelay, 30000),
    maxDelay = def(o.maxDelay, 3600000), random = o.random || Math.random, timeout = def(o.timeout, 600000);
  var s = S.readJSON(F, true) || {}, st = { seq: s.seq | 0, attempts: s.attempts | 0 }, busy = false, retry = 0;

  function seqOf(file: string): number { return +file.slice(F.length + 1); }
  function save() { S.writeJSON(F, st); }
  function size() {
    var l: string[] = S.list(RE), b = 0;
    // Storage.read is memory-mapped: the length costs no RAM copy (a stand-in without read: re-encoded)
    for (var i = 0; i < l.length; i++) b += ((S.read ? S.read(l[i]) : JSON.stringify(S.readJSON(l[i], true))) || "").length;
    return { count: l.length, bytes: b };
  }
  function delay(): number {
    return Math.round(Math.min(maxDelay, base * Math.pow(2, Math.min(st.attempts - 1, 30))) * (0.5 + random() / 2));
  }

  // A message file written just before a reset, whose state write never happened, holds a number above
  // state.seq: take it (and save it, since the file may be sent and erased before the next queue).
  var l: string[] = S.list(RE), top = st.seq;
  for (var i = 0; i < l.length; i++) top = Math.max(top, seqOf(l[i]));
  if (top > st.seq) {
    st.seq = top;
    try { save(); } catch (e) { /* flash full: the next queue saves it or fails */ }
  }
  if (st.attempts) retry = delay();

  return {
    queue: function (message, cb) {
      var err: EmailError | null = null, n = st.seq + 1, id = name + "#" + n, file = F + "." + n;
      try {
        if (typeof message !== "object") throw 0;
        var a = message.attachment, m: any = {}, tail = " [" + id + "]", sub = message.subject || "", body = message.body || "";
        if (a && typeof a.data !== "string")
          throw typedError(C, "ARGUMENT", a.read ? "an attachment read() cannot be stored" : "attachment data must be a string");
        assign(m, message);
        // The subject as sent (in hex mode two chars a UTF-8 byte) must fit the modem's: cut the
        // user's part so the id always fits.
        var hex = hexMode(message.charset, sub + tail, body);
        sub = sub.substr(0, LIMITS.subjectLen - tail.length);
        while (sub && sentLength(sub + tail, hex) > LIMITS.subjectLen) sub = sub.slice(0, -1);
        m.subject = sub + tail;
        if (sentLength(body, hex) > LIMITS.bodyLen) throw typedError(C, "ARGUMENT", "body is longer than the modem takes");
        var rec = { id: id, m: m }, len = JSON.stringify(rec).length, u = size();
        if (u.count >= max || u.bytes + len > maxBytes)
          throw typedError(C, "FULL", "outbox full: at most " + (u.count >= max ? max + " messages" : maxBytes + " bytes"));
        // Message file first, then state: a reset in between keeps the message, and create() then
        // takes its number from the file name, so it is never given to another message.
        try {
          S.writeJSON(file, rec);
          st.seq = n;
          save();
        } catch (e) {
          // Not acknowledged, so not kept: the caller still has it. n stays used (in RAM) either way.
          try { S.erase(file); } catch (x) { /* nothing more to do */ }
          throw typedError(C, "FLASH", "cannot write to flash (full?)");
        }
      } catch (e) {
        err = e && (e as EmailError).command ? e as EmailError : typedError(C, "ARGUMENT", "message cannot be stored");
      }
      cb(err, err ? undefined : id);
    },

    flush: function (cb) {
      var stats: FlushStats = { sent: 0, left: 0, retryIn: retry, dropped: [] }, ok = false, a0 = st.attempts;
      function finish(err: EmailError | null) {
        busy = false;
        if (ok || !err) st.attempts = 0; // any success, or an empty outbox, ends the backoff
        if (err) st.attempts++;
        if (st.attempts !== a0) try { save(); } catch (e) { /* only the backoff is lost */ }
        stats.retryIn = retry = err ? delay() : 0;
        cb(err, left());
      }
      function step() {
        var q = 0, file = "", rec: any;
        try {
          var l: string[] = S.list(RE); // names only: one message in RAM at a time
          for (var i = 0; i < l.length; i++) if (!q || seqOf(l[i]) < q) q = seqOf(l[i]);
          if (q) rec = S.readJSON(file = F + "." + q, true);
        } catch (e) {
          return finish(typedError(C, "FLASH", "cannot read flash"));
        }
        if (!q) return finish(null);
        var once = false, timer: any = null;
        function done(err?: any) {
          if (once) return;
          once = true;
          if (timer != null) clearTimeout(timer); // Espruino's clearTimeout(undefined) clears every timer
          if (err && typeof err !== "object") err = typedError(C, "ERROR", "send failed: " + err);
          // Only a message the server or the module refuses for good is erased unsent: it would block the rest.
          if (err && err.code !== 68 && err.type !== "ARGUMENT") return finish(err);
          try { S.erase(file); } catch (e) { return finish(typedError(C, "FLASH", "cannot erase " + file)); }
          if (err) stats.dropped.push({ id: rec && rec.id || name + "#" + q, err: err });
          else { stats.sent++; ok = true; }
          step();
        }
        if (!rec || !rec.m) return done(typedError(C, "ARGUMENT", "unreadable " + file));
        timer = setTimeout(function () { done(typedError(C, "TIMEOUT", "mail.send did not call back")); }, timeout);
        try { mail.send(rec.m, done); } catch (e) { done(e || "throw"); }
      }
      function left() {
        try { stats.left = size().count; } catch (e) { /* left stays 0 */ }
        return stats;
      }
      if (busy) return cb(typedError(C, "BUSY", "a flush is running"), left());
      busy = true;
      step();
    },

    size: size,
    retryIn: function () { return retry; },
  };
}
