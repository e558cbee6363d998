// sim900-email: email through a SIM900 modem's email AT commands, for Espruino.
// connect(port, options, callback) returns the object of API.md; its calls queue and run in order.
import { createModem, Modem, Options } from "./modem";
import { send, settings, Message } from "./smtp";
import { EmailError } from "./errors";
import { series, assign, Callback } from "./flow";
import { login, logout, list, retrieve, simple, Listing, RetrieveOptions } from "./pop3";
import { fetch, Filter, FetchedMessage } from "./fetch";

export { Options, Server } from "./modem";
export { Message, Address, Attachment, Recipients } from "./smtp";
export { EmailError } from "./errors";
export { Listing, RetrieveOptions } from "./pop3";
export { Filter, FetchedMessage, SeenStore } from "./fetch";

export interface Email {
  send(msg: Message, cb?: (err: EmailError | null, info?: { commands: number; size: number }) => void): void;
  list(cb: (err: EmailError | null, messages?: Listing[]) => void): void;
  retrieve(n: number, opts: RetrieveOptions | null, cb: (err: EmailError | null, info?: { size: number; message?: string }) => void): void;
  remove(n: number, cb?: (err?: EmailError | null) => void): void;
  undoRemove(cb?: (err?: EmailError | null) => void): void;
  logout(cb?: (err?: EmailError | null) => void): void;
  fetch(filter: Filter, onMessage: (msg: FetchedMessage, done: (err?: any) => void) => void, cb?: (err: EmailError | null, stats?: { checked: number; matched: number; deleted: number; failed: number; rejected: number }) => void): void;
  close(cb?: (err?: EmailError | null) => void): void;
}

/** After these the modem's state is unknown: prepare it again before the next operation. */
function resets(err: EmailError): boolean {
  var c = err.code;
  return !(err.type === "ARGUMENT" || err.type === "OPTIONS" || err.type === "SERVER" || (c !== undefined && c >= 65 && c <= 68));
}

export function connect(port: Port, options: Options, callback?: (err?: EmailError | null) => void): Email {
  var o: Options = assign({}, options);
  if (o.ssl === undefined) o.ssl = !!((o.smtp && o.smtp.port === 465) || (o.pop3 && o.pop3.port === 995));
  var m: Modem = createModem(port, o);

  /** Queues `op`; on failure forgets what the modem may have lost, so the next call starts clean. */
  function run(op: (m: Modem, done: Callback) => void, cb?: Callback) {
    m.run(function (done) {
      op(m, function (err?: any, a?: any, b?: any) {
        if (!err) return done(null, a, b);
        m.cache = {};
        if (!resets(err) || err.type === "CLOSED") return done(err);
        m.ready = false;
        // The modem may still be in the middle of what failed on our side: end it before the next call.
        var c = err.command || "";
        if (c.indexOf("POP3") === 0) {
          m.pop3 = false;
          m.server("AT+POP3OUT", ["+POP3OUT:"], null, function () { done(err); });
        } else if (c.indexOf("SMTP") === 0) m.at("AT+SAPBR=0," + (o.cid || 1), null, function () { done(err); }); // ends an open send (+SMTPSEND: 61)
        else done(err);
      });
    }, cb);
  }

  /** A POP3 operation: modem prepared and logged in first (manual 2.13, 2.14). */
  function pop3(op: (m: Modem, done: Callback) => void, cb?: Callback) {
    run(function (m, done) {
      series([m.ensure, function (next) { login(m, next); }, function () { op(m, done); }], done);
    }, cb);
  }

  run(function (m, done) { m.ensure(done); }, callback);

  return {
    send: function (msg, cb) {
      run(function (m, done) {
        var s = settings(m, msg); // throws on a bad argument, before any command is sent
        // manual 1.1 item 4: SMTP and POP3 never at the same time
        series([m.ensure, function (next) { logout(m, next); }, function () { send(m, msg, s, done); }], done);
      }, cb);
    },
    list: function (cb) {
      pop3(function (m, done) { list(m, done); }, cb);
    },
    retrieve: function (n, opts, cb) {
      pop3(function (m, done) { retrieve(m, n, opts || {}, done); }, cb);
    },
    remove: function (n, cb) {
      pop3(function (m, done) { simple(m, "AT+POP3DEL=" + (n | 0), ["POP3DEL"], done); }, cb);
    },
    undoRemove: function (cb) {
      pop3(function (m, done) { simple(m, "AT+POP3RSET", ["POP3RSET", "POP3REST"], done); }, cb);
    },
    logout: function (cb) {
      run(function (m, done) { logout(m, done); }, cb);
    },
    fetch: function (filter, onMessage, cb) {
      pop3(function (m, done) { fetch(m, filter || {}, onMessage, done); }, cb);
    },
    close: function (cb) {
      // An operation under way ends now, with its one callback (an error of type CLOSED).
      m.ch.abort("CLOSED", "closed during the operation");
      run(function (m, done) {
        logout(m, function () {
          // ERROR here means the bearer was not open: closed either way.
          m.at("AT+SAPBR=0," + (o.cid || 1), null, function () {
            m.ready = false;
            m.close();
            done(null);
          });
        });
      }, cb);
    },
  };
}
