// The remote-configuration loop: UIDL listing, TOP 0 of messages not seen before, the whole message
// (capped) of those whose From/Subject match, onMessage(msg, done), and AT+POP3DEL only after done()
// without an error. A UID is remembered before its message is handed on, so no message is ever
// handed to onMessage twice, even if its deletion failed or the unit restarted in between.
import type { Modem } from "./modem";
import type { EmailError } from "./errors";
import type { Callback } from "./flow";
import { typedError, find, LIMITS } from "./kit";
import { lower } from "./mail/text";
import { simple, list, Listing } from "./pop3";
import { readMessage, ReadMessage } from "./read-message";
import { seenStore, SeenStore } from "./seen-store";
import type { Verifier } from "./verifier";

export interface Filter {
  /** Substring of the From header (name or address), case-insensitive. */
  from?: string;
  /** Substring of the decoded Subject, case-insensitive. */
  subject?: string;
  /** Largest body handed on (bytes, default 4096); longer bodies are cut. */
  maxSize?: number;
  /** Milliseconds a handler has to call done() before its message is left on the server (60000). */
  handlerTimeout?: number;
  /** Where handled UIDs are kept: default a Storage file (when the board has Storage) or RAM. */
  seen?: SeenStore;
  /** Shared secret: only bodies signed with it (module sim900-email-sign) and newer than the last
   *  applied sequence number reach onMessage; msg.body is then the payload, msg.seq its number. */
  key?: string;
  /** Storage file of the last applied sequence number (default "sim900em.seq"). */
  seqFile?: string;
  /** The verifier to use instead of require("sim900-email-sign").verifier(key, seqFile); fetch() calls
   *  only its check and commit. */
  verifier?: Pick<Verifier, "check" | "commit">;
  /** Told of each signed-config email that was refused (forged, replayed, unsigned); it is not applied. */
  onReject?: (err: EmailError, msg: FetchedMessage) => void;
}

export interface FetchedMessage extends ReadMessage {
  /** The sequence number of a signed config (with filter.key). */
  seq?: number;
}

function has(value: string, part?: string): boolean {
  return !part || find(lower(value), lower(part)) >= 0;
}

/** mail.fetch (src/index.ts calls the part's functions as name(m, done, a, b)). */
export function fetch(m: Modem, done: Callback, filter: Filter, onMessage: (msg: FetchedMessage, done: (err?: any) => void) => void) {
  filter = filter || {};
  var seen = filter.seen || seenStore("sim900em.seen", 64);
  var cap = filter.maxSize || LIMITS.whole;
  var stats = { checked: 0, matched: 0, deleted: 0, failed: 0, rejected: 0 };
  var v: Pick<Verifier, "check" | "commit"> | undefined = filter.verifier;
  if (filter.key && !v)
    try { v = require("sim900-email-sign").verifier(filter.key, filter.seqFile); } catch (e) {
      return done(typedError("FETCH", "ARGUMENT", "a key needs the module sim900-email-sign"));
    }
  var todo: Listing[] = [];

  list(m, function (err, all: Listing[]) {
    if (err) return done(err);
    var live: string[] = [];
    for (var i = 0; i < all.length; i++) {
      live.push(all[i].uid);
      if (!seen.has(all[i].uid)) todo.push(all[i]);
    }
    seen.keep(live);
    next();
  });

  function finish(err?: EmailError | null) {
    m.endSession(function (e2) {
      var e = err || e2;
      done(e, e ? undefined : stats);
    });
  }

  function next() {
    var t = todo.shift() as Listing;
    if (!t) return finish();
    stats.checked++;
    readMessage(m, t.n, 0, 0, function (err, head, fromHeader) {
      if (err) return finish(err);
      var msg = head as FetchedMessage;
      seen.add(t.uid); // before handing it on: never twice, whatever happens next
      if (!has(fromHeader as string, filter.from) || !has(msg.subject, filter.subject)) return next();
      stats.matched++;
      readMessage(m, t.n, undefined, cap, function (err, full) {
        if (err) return finish(err);
        var msg = full as FetchedMessage;
        msg.uid = t.uid;
        if (v) {
          var r = v.check(msg.body);
          if ((r as EmailError).type) {
            // forged, replayed or unsigned: never applied, reported, left on the server as evidence
            stats.rejected++;
            if (m.o.log) m.o.log("! " + (r as EmailError).message);
            if (filter.onReject) try { filter.onReject(r as EmailError, msg); } catch (e) { /* go on */ }
            return next();
          }
          msg.body = (r as { payload: string }).payload;
          msg.seq = (r as { seq: number }).seq;
        }
        hand(t.n, msg);
      });
    });
  }

  function hand(n: number, msg: FetchedMessage) {
    var over = false;
    var timer = setTimeout(function () { settle(typedError("FETCH", "TIMEOUT", "handler did not call done")); }, filter.handlerTimeout || 60000);
    function settle(err?: any) {
      if (over) return;
      over = true;
      clearTimeout(timer);
      if (err) {
        stats.failed++; // left on the server, never handed on again
        return next();
      }
      if (v) v.commit(msg.seq as number); // before the deletion: a replay stays refused even if that fails
      simple(m, function (err) {
        if (err) return finish(err);
        stats.deleted++;
        next();
      }, "AT+POP3DEL=" + n, ["POP3DEL"]);
    }
    try {
      onMessage(msg, settle);
    } catch (e) {
      settle(e);
    }
  }
}
