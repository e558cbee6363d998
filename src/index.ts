// sim900-email: email through a SIM900 modem's email AT commands, for Espruino.
// connect(port, options, callback) returns the object of API.md; its calls queue and run in order.
import { createModem, resolve, Modem, Options } from "./modem";
import type { Message } from "./smtp";
import type { EmailError } from "./errors";
import type { Callback } from "./flow";
import { part } from "./part";
import type { Listing, RetrieveOptions } from "./pop3";
import type { Filter, FetchedMessage } from "./fetch";
import type * as SendPart from "./smtp";
import type * as Pop3Part from "./pop3";

// What the parts take from the core at run time.
export * from "./kit";

export { Options, Server } from "./modem";
export { Message, Address, Attachment, Recipients } from "./smtp";
export { EmailError } from "./errors";
export { Listing, RetrieveOptions } from "./pop3";
export { Filter, FetchedMessage } from "./fetch";
export { SeenStore } from "./seen-store";

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

/** A connection: the API's functions (API, shared by every connection) and its modem. */
interface Connection extends Email {
  /** Private. */
  _m: Modem;
}

/** A POP3 call of connection `c`: the part found, the modem prepared and logged in first (manual
 *  2.13, 2.14), then the part's function `name` (the fetch part's for fetch) as name(m, done, a, b).
 *  (`name` is a string: the part's export is never one of the shortened names, rollup.config.mjs.) */
function pop3(c: Connection, name: string, cb?: Callback, a?: any, b?: any) {
  var m = c._m;
  m.run(function (done) {
    // found before any command, so a missing part fails here, through the callback
    var p: typeof Pop3Part = part("pop3"), x: any = name === "fetch" ? part("fetch") : p;
    // nested callbacks, not series(): no array of steps held while the modem works (~25 JsVars)
    m.ensure(function (err) {
      if (err) return done(err);
      p.login(m, function (err) {
        if (err) done(err);
        else x[name](m, done, a, b);
      });
    });
  }, cb);
}

// The calls, defined once: `this` is the connection (call them as its methods). A closure per call
// per connection would cost ~3 JsVars more each, for as long as the connection lives.
var API = {
  send: function (this: Connection, msg: Message, cb?: Callback) {
    var m = this._m;
    m.run(function (done) {
      var p: typeof SendPart = part("send");
      var s = p.settings(m, msg); // throws on a bad argument, before any command is sent
      // manual 1.1 item 4: SMTP and POP3 never at the same time
      m.ensure(function (err) {
        if (err) return done(err);
        m.endSession(function (err) {
          if (err) done(err);
          else p.send(m, msg, s, done);
        });
      });
    }, cb);
  },
  list: function (this: Connection, cb: Callback) {
    pop3(this, "list", cb);
  },
  retrieve: function (this: Connection, n: number, opts: RetrieveOptions | null, cb: Callback) {
    pop3(this, "retrieve", cb, n, opts);
  },
  // DELE and RSET (manual 2.20, 2.21; some firmware answers +POP3REST): one call of the part's
  // simple() each, not a function of the part's own each (on the board, ~8 JsVars each while it is loaded)
  remove: function (this: Connection, n: number, cb?: Callback) {
    pop3(this, "simple", cb, "AT+POP3DEL=" + (n | 0), ["POP3DEL"]);
  },
  undoRemove: function (this: Connection, cb?: Callback) {
    pop3(this, "simple", cb, "AT+POP3RSET", ["POP3RSET", "POP3REST"]);
  },
  logout: function (this: Connection, cb?: Callback) {
    this._m.run(this._m.endSession, cb);
  },
  fetch: function (this: Connection, filter: Filter, onMessage: (msg: FetchedMessage, done: (err?: any) => void) => void, cb?: Callback) {
    pop3(this, "fetch", cb, filter, onMessage);
  },
  close: function (this: Connection, cb?: Callback) {
    var m = this._m;
    // An operation under way ends now, with its one callback (an error of type CLOSED).
    m.ch.abort("CLOSED", "closed during the operation");
    m.run(function (done) {
      m.endSession(function () {
        // ERROR here means the bearer was not open: closed either way.
        m.at("AT+SAPBR=0," + m.o.cid, null, function () {
          m.shut();
          done(null);
        });
      });
    }, cb);
  },
};

export function connect(port: Port, options: Options, callback?: (err?: EmailError | null) => void): Email {
  var m: Modem = createModem(port, resolve(options));
  var mail = Object.create(API) as Connection;
  mail._m = m;
  m.run(m.ensure, callback);
  return mail;
}
