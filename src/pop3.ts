// Receiving (manual 2.13-2.22, examples 3.5-3.7, 3.9): login on demand, single-line commands with
// their "+NAME: 1|0" results, and multi-line responses (AT+POP3CMD) read with AT+POP3READ in
// requests of the chunk size, their payloads handed on as slices through the dot-unstuffer.
import type { Modem } from "./modem";
import type { EmailError } from "./errors";
import type { Callback } from "./flow";
import { quote, int, LIMITS, typedError, codeError, resultCode } from "./kit";
import { createDotStream } from "./mail/dot-stream";
import { createLineSplitter } from "./mail/line-splitter";

// for the fetch part, which reads headers line by line too
export { createLineSplitter };

export interface Listing {
  n: number;
  size: number;
  uid: string;
}

export interface RetrieveOptions {
  /** TOP: headers and this many body lines (AT+POP3CMD=3). */
  lines?: number;
  chunk?: number;
  /** Streams the message, de-dot-stuffed, without status and final dot lines. */
  onData?: (chunk: string) => void;
  /** Without onData: the largest message returned whole in info.message (default 4096). */
  maxSize?: number;
}

export function login(m: Modem, done: (err?: EmailError | null) => void) {
  if (m.session > 1) return done();
  // (not inlined: the command's text, password and all, would be kept while AT+POP3IN waits)
  /*#__NOINLINE__*/ server(m, function (err) {
    if (err) return done(err);
    m.session = 1; // from here the modem may be in a session, whatever becomes of AT+POP3IN
    m.at("AT+POP3IN", { until: ["+POP3IN:"] }, function (err, res) {
      var c = err ? 0 : resultCode(res.result);
      if (c === 1) m.session = 2;
      else if (!err) m.session = 0; // refused: no session
      done(err || (c === 1 ? null : codeError("POP3IN", c)));
    });
  });
}

/** AT+POP3SRV (manual 2.13). On ERROR the modem may still be logged in from an operation that
 *  failed on our side: log out, and try once more. */
function server(m: Modem, next: (err: EmailError | null) => void) {
  var C = "POP3SRV";
  var p = m.o.pop3;
  if (!p) return next(typedError(C, "OPTIONS", "no pop3 server in the connect options"));
  var head = "AT+POP3SRV=" + quote(C, "pop3.host", p.host) + "," + quote(C, "pop3.user", p.user) + ",";
  var port = "," + int(C, "pop3.port", p.port || 110, 1, 65535);
  var srv = head + quote(C, "pop3.password", p.password) + port;
  var shown = { logAs: head + '"***"' + port };
  m.at(srv, shown, function (err) {
    if (!err || err.type !== "ERROR") return next(err);
    m.session = 1;
    m.endSession(function () { m.at(srv, shown, next); });
  });
}

/** A command answered by "+NAME: 1,..." (server +OK), "+NAME: 0" (-ERR) or "+POP3OUT: <code>"
 *  (the session is over). `name` is the result's name; the fields after "1," go to done. Also
 *  mail.remove's and mail.undoRemove's (src/index.ts calls the part's functions as name(m, done, a, b)). */
export function simple(m: Modem, done: (err: EmailError | null, fields?: string[]) => void, text: string, names: string[]) {
  var name = names[0];
  var until: string[] = ["+POP3OUT:"];
  for (var i = 0; i < names.length; i++) until.push("+" + names[i] + ":");
  m.at(text, { until: until }, function (err, res) {
    if (err) return done(err);
    var r = res.result;
    if (r.indexOf("+POP3OUT:") === 0) {
      m.session = 0;
      return done(codeError(name, resultCode(r)));
    }
    var f = r.substring(r.indexOf(":") + 1).replace(/^ +/, "").split(",");
    if (f[0] !== "1") return done(typedError(name, "SERVER", name + ": the server answered -ERR"));
    done(null, f.slice(1));
  });
}

/** The options of one multi-line response's reads (one object for all of them), with what the
 *  last read said ("+POP3READ: <1|2>,<n>") and whether "+POP3READ: 3," came meanwhile. */
interface Reads {
  ends: string[];
  onLine: (this: Reads, line: string) => boolean;
  sink: (s: string) => void;
  m: Modem;
  more: boolean;
  n: number;
  got: boolean;
}

/** A line during a read, as its options' onLine (`this`: them; a function of the module, not a
 *  closure per read): "+POP3READ: <1|2>,<n>" announces exactly n raw bytes, whatever they contain
 *  (manual 2.19); "+POP3READ: 3,<n>" says data has come from the network. */
function readLine(this: Reads, line: string): boolean {
  var x = /^\+POP3READ: *([123]),(\d+)/.exec(line);
  if (!x) return false;
  if (x[1] === "3") this.got = true;
  else {
    this.more = x[1] === "1";
    this.m.ch.expect((this.n = +x[2]));
  }
  return true;
}

/** AT+POP3CMD=<args>, then AT+POP3READ until the whole response is read; its raw slices go to onSlice. */
function multi(m: Modem, args: string, chunk: number, onSlice: (s: string) => void, done: (err?: EmailError | null) => void) {
  var timer: any = 0; // set while waiting for "+POP3READ: 3,"
  var reads: Reads | undefined; // once AT+POP3CMD is answered
  simple(m, read, "AT+POP3CMD=" + args, ["POP3CMD"]);

  // One function for every caller (each function kept costs ~9 JsVars): simple() gives it the
  // outcome of AT+POP3CMD (err); the channel, each read's answer (err, res); as the channel's
  // waiter it gets a line (line), or is ended by close(), a bearer drop or a reboot (type, message),
  // as by its timeout.
  function read(a?: any, b?: any) {
    var over = false, err: EmailError | null = null;
    if (!reads) {
      // made here, not before: nothing held while AT+POP3CMD waits (ends: manual 2.19, the read's
      // answer when the session broke)
      if (a) over = true, err = a;
      else reads = { ends: ["+POP3OUT:"], onLine: readLine, sink: onSlice, m: m, more: false, n: 0, got: false };
    } else if (typeof b === "string") {
      over = true;
      err = typedError("POP3READ", a, b);
    } else if (b) {
      if (a || b.result) {
        if (b.result) m.session = 0;
        over = true;
        err = a || codeError("POP3READ", resultCode(b.result));
      } else if (!reads.more) over = true;
      else if (!reads.n && !reads.got) {
        // "+POP3READ: 1,0": nothing has come from the network yet; the modem reports
        // "+POP3READ: 3,<n>" when it has. Wait for that, not in a polling loop.
        m.ch.waiter = read;
        timer = setTimeout(function () {
          timer = 0;
          read("TIMEOUT", "no data from the POP3 server");
        }, m.o.serverTimeout);
        return;
      }
    } else if (a && a.indexOf("+POP3READ: 3,")) return; // a line that is not the one waited for
    if (timer) clearTimeout(timer);
    timer = 0;
    m.ch.waiter = null;
    if (over || !reads) return done(err);
    reads.got = reads.more = false;
    reads.n = 0;
    m.at("AT+POP3READ=" + chunk, reads, read);
  }
}

/** mail.retrieve (src/index.ts calls the part's functions as name(m, done, a, b)). */
export function retrieve(m: Modem, done: Callback, n: number, opts?: RetrieveOptions | null) {
  opts = opts || {};
  // The closure below keeps this scope for the whole transfer: no local is here that it does not need.
  var max = opts.maxSize || LIMITS.whole;
  var onData = opts.onData;
  var buf = "";
  var size = 0;
  var problem: EmailError | null = null;
  multi(m, opts.lines !== undefined ? "3," + int("POP3CMD", "n", n, 1, 65535) + "," + int("POP3CMD", "lines", opts.lines, 0, 65535) : "4," + int("POP3CMD", "n", n, 1, 65535),
    opts.chunk || m.o.chunk, createDotStream(got).push, got);
  opts = null as any; // the caller's object: what the transfer needs of it is held above
  // One function for every slice (a string: the dot-stream gives none empty) and for the end (the
  // error or none): each function kept costs ~9 JsVars. Once a problem is set, the rest is drained
  // and discarded: the modem takes no other command until all is read.
  function got(s?: any) {
    if (typeof s !== "string") {
      var info: any = { size: size };
      if (!onData) info.message = buf;
      return done(s || problem, s || problem ? undefined : info);
    }
    size += s.length;
    if (problem) return;
    if (onData) try { onData(s); } catch (e) { problem = typedError("POP3CMD", "ERROR", "onData threw: " + e); }
    else if (buf.length + s.length > max) {
      buf = "";
      problem = typedError("POP3CMD", "SIZE", "message " + n + " is larger than maxSize " + max);
    } else buf += s;
  }
}

/** LIST and UIDL (AT+POP3CMD=1 and =2), each parsed as a stream of "n value" lines. */
export function list(m: Modem, done: Callback) {
  var out: Listing[] = [];
  var at: { [n: string]: Listing } = {};
  function scan(type: number, each: (n: string, v: string) => void, next: (err?: EmailError | null) => void) {
    var ls = createLineSplitter(function (line) {
      var f = line.split(" ");
      if (f.length > 1) each(f[0], f[1]);
    }, 100);
    var ds = createDotStream(ls.push, ls.end);
    multi(m, "" + type, m.o.chunk, ds.push, next);
  }
  scan(1, function (n, v) {
    out.push((at[n] = { n: +n, size: +v, uid: "" }));
  }, function (err) {
    if (err) return done(err);
    scan(2, function (n, v) {
      if (at[n]) at[n].uid = v;
    }, function (err) {
      done(err, err ? undefined : out);
    });
  });
}
