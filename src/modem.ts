// The modem: sync and echo off, the GPRS bearer (manual 3.1), the email parameters (2.1, 2.2, 2.23),
// the operation queue (one public call at a time, in order) and recovery: a bearer drop or a reboot
// forgets what the modem knew, and the next operation prepares it again.
import { createChannel, commandName, Channel, CommandOptions, CommandResult } from "./at/channel";
import { typedError, codeError, EmailError } from "./errors";
import { assign, Step, Callback } from "./flow";
import { quote, int } from "./params";
import { find } from "./strings";
import { DIALECTS, identify, Dialect } from "./dialect";
import { RDY, CALL_READY, NORMAL_POWER_DOWN, UNDER_VOLTAGE_POWER_DOWN, UNDER_VOLTAGE_WARN } from "./power-urcs";

export interface Server {
  host: string;
  port?: number;
  user?: string;
  password?: string;
}

export interface Options {
  apn?: string;
  apnUser?: string;
  apnPassword?: string;
  /** Bearer profile (AT+SAPBR, AT+EMAILCID), default 1. */
  cid?: number;
  /** Server response timeout in seconds (AT+EMAILTO, 10..120), default 30. */
  timeout?: number;
  /** AT+EMAILSSL; default true when a configured port is 465 or 995. A SIM800 has no SSL. */
  ssl?: boolean;
  /** "sim900" or "sim800" (the SIM800 series and the SIM808); by default found from ATI at connect. */
  modem?: string;
  smtp?: Server;
  pop3?: Server;
  from?: { address: string; name?: string };
  /** Bytes per AT+SMTPFT / AT+POP3READ request (1..1460), default 512. */
  chunk?: number;
  /** Attachment ring buffer bytes, default `chunk` (a request never takes more). */
  ring?: number;
  /** AT transcript, passwords masked. */
  log?: (line: string) => void;
  /** Milliseconds for a local command, default 5000. */
  atTimeout?: number;
  /** Milliseconds for a step that waits on a mail server, default (timeout + 15) s. */
  serverTimeout?: number;
  /** Seconds to wait for network registration and GPRS attach, default 60 (the SIM: at most 10). */
  registerTimeout?: number;
  /** Milliseconds for AT+SAPBR=1 to open the bearer, default 85000 (manual 3.1). */
  bearerTimeout?: number;
  /** Longest response line kept, default 256. */
  maxLine?: number;
  /** Called with "REBOOT", "DEACT", "POWERDOWN" or "UNDERVOLTAGE" and the modem's line, or "MODEL"
   *  and ATI's answer when it names no modem the module knows (it then talks SIM900). */
  onEvent?: (event: string, line: string) => void;
}

/** The options with every default filled in, once, at connect. */
export interface Resolved extends Options {
  cid: number;
  timeout: number;
  chunk: number;
  ring: number;
  atTimeout: number;
  serverTimeout: number;
  registerTimeout: number;
  bearerTimeout: number;
  maxLine: number;
}

/** The one place the defaults live. */
export function resolve(options: Options): Resolved {
  var o = assign({}, options) as Resolved;
  // (made here, not kept in RAM for the session; atTimeout, bearerTimeout (manual 3.1) in ms)
  var d: { [key: string]: number } = { cid: 1, timeout: 30, chunk: 512, atTimeout: 5000, registerTimeout: 60, bearerTimeout: 85000, maxLine: 256 };
  for (var k in d) (o as any)[k] = (o as any)[k] || d[k]; // d: the literal above (Espruino throws on for-in over null)
  if (o.ssl === undefined) o.ssl = !!((o.smtp && o.smtp.port === 465) || (o.pop3 && o.pop3.port === 995));
  o.ring = o.ring || o.chunk; // a request never takes more than chunk bytes
  // a step that waits on a mail server: AT+EMAILTO plus a margin for the network
  o.serverTimeout = o.serverTimeout || (o.timeout + 15) * 1000;
  return o;
}

export interface Modem {
  readonly o: Resolved;
  /** The channel, for what lies below a command: raw writes, payloads, URC listeners, waits. */
  readonly ch: Channel;
  /** What this modem does differently (src/dialect.ts): from the modem option, or ATI at connect
   *  (0 until then: a number has no properties to read, and so no check for undefined is needed). */
  readonly dialect: Dialect | 0;
  /** Bearer open and email parameters set since the last reboot or bearer drop. */
  readonly ready: boolean;
  /** 0: no POP3 session; 1: one may be open (AT+POP3SRV was taken); 2: logged in (+POP3IN: 1).
   *  Written by pop3.ts as the session goes (a field, not a setter: a function costs ~10 JsVars). */
  session: number;
  /** SMTP settings the modem holds, by setting name: the command that set it (kept by smtp.ts;
   *  emptied here whenever the modem may have forgotten them). */
  cache: { [key: string]: string };
  /** A command: the channel's own (ch.at, which counts them in ch.tally). One answered by the
   *  modem itself times out after atTimeout; one with `until` (its result line comes from a mail
   *  server) after serverTimeout (AT+EMAILTO plus a margin). */
  at(text: string, opts: Partial<CommandOptions> | null, done: (err: EmailError | null, res: CommandResult) => void): void;
  /** Prepares the modem if a reboot or a bearer drop made it forget. */
  ensure(next: (err?: any) => void): void;
  /** Ends a POP3 session, if one may be open (AT+POP3OUT, manual 2.22). */
  endSession(done: (err?: EmailError | null) => void): void;
  /** Queues an operation; `op` gets a callback that ends it (once) and starts the next one. After
   *  a failure that leaves the modem's state unknown, it ends what the modem was in the middle of. */
  run(op: (done: Callback) => void, cb?: Callback): void;
  shut(): void;
}

/** A command of connect's sequence: [command, pattern its answer must contain, message when not,
 *  tries 2 s apart (any error is retried), what the transcript shows instead]. */
type Command = [string, RegExp?, string?, number?, string?];

/** "+SAPBR: 1,1,\"10.0.0.1\"" → 1 (the status field of manual 3.1) */
function bearerStatus(lines: string[]): number {
  for (var i = 0; i < lines.length; i++) {
    var m = /^\+SAPBR: *\d+,(\d+)/.exec(lines[i]);
    if (m) return +m[1];
  }
  return -1;
}

/** "+POP3OUT: 1" → 1 */
export function resultCode(line: string): number {
  return +line.substring(line.indexOf(":") + 1).split(",")[0];
}

/** After these the modem's state is unknown: prepare it again before the next operation. */
function resets(err: EmailError): boolean {
  var c = err.code;
  // (find, not indexOf: Espruino's indexOf reports the last "," for a needle that only begins there)
  return !(find(",ARGUMENT,OPTIONS,MODULE,SERVER,CLOSED,", "," + err.type + ",") >= 0 || (c !== undefined && c >= 65 && c <= 68));
}

declare var E: any;

// The modem's own lines (manual 3.1's DEACT, a reboot's RDY, the power-down and under-voltage URCs,
// calls and texts): one pattern and one handler, so they cost no listener each in RAM.
// Each branch anchored and no group: Espruino 2v29 captures "" for a group over an alternation
// unless its last branch matched (/^(a|b)/.exec("a") is ["a", ""]), so the match itself is used.
var NEWS = new RegExp("^\\+SAPBR \\d+: DEACT|^" + [RDY, NORMAL_POWER_DOWN, UNDER_VOLTAGE_POWER_DOWN, UNDER_VOLTAGE_WARN, CALL_READY, "RING", "\\+CMTI", "\\+POP3OUT:"].join("|^"));

export function createModem(port: Port, o: Resolved): Modem {
  var cid = o.cid;
  var ops: any[] = []; // operation, callback, operation, callback...
  var busy = false;
  var pollTimer: any;

  /** Prepares the modem if a reboot or a bearer drop made it forget (Modem.ensure). */
  function ensure(done: (err?: any) => void) {
    if (m.ready) return done();
    /**
     * Connect's sequence, one step at a time: each is made when its turn comes and dropped after it,
     * so neither a table of them nor a closure per step sits in RAM while connecting. A step is a
     * function or a Command; 0 skips the step, undefined ends the sequence.
     */
    function step(i: number): Step | Command | 0 | undefined {
      // SSL where the modem has none is refused before any command, or once ATI has told.
      if (o.ssl && (m.dialect as Dialect).noSsl) throw typedError("CONNECT", "OPTIONS", "SIM800: no SSL");
      var polls = Math.ceil((o.registerTimeout * 1000) / 2000), sapbr = "AT+SAPBR=3," + cid + ",";
      switch (i) {
        // Until the modem answers: it may still be booting, or eating a cancelled transfer's bytes.
        case 0: return sync;
        case 1: return ["ATE0"];
        // right after "RDY" the SIM may not be ready yet: a few tries (a missing SIM or PIN stays so)
        case 2: return ["AT+CPIN?", /\+CPIN: *READY/, "SIM not ready (PIN?)", polls < 5 ? polls : 5];
        case 3: return ["AT+CREG?", /\+CREG: *\d,[15]/, "not registered on the network", polls];
        case 4: return ["AT+CGATT?", /\+CGATT: *1/, "GPRS not attached", polls];
        case 5: return [sapbr + '"Contype","GPRS"'];
        case 6: return [sapbr + '"APN",' + quote("SAPBR", "apn", o.apn, true)];
        case 7: return o.apnUser ? [sapbr + '"USER",' + quote("SAPBR", "apnUser", o.apnUser)] : 0;
        case 8: return o.apnPassword ? [sapbr + '"PWD",' + quote("SAPBR", "apnPassword", o.apnPassword), undefined, undefined, undefined, sapbr + '"PWD","***"'] : 0;
        case 9: return bearer;
        case 10: return ["AT+EMAILCID=" + cid];
        case 11: return ["AT+EMAILTO=" + int("EMAILTO", "timeout", o.timeout, 10, 120)];
        case 12: return (m.dialect as Dialect).noSsl ? 0 : ["AT+EMAILSSL=" + (o.ssl ? 1 : 0)];
      }
      return undefined;
    }

    function sync(next: (err?: any) => void) {
      var left = 10;
      (function again() {
        // ATI every time (one code path): while the model is unknown its answer names it ("SIM800
        // R14.18"); one naming none is reported and talked to as a SIM900. After a failed ATI: asked again.
        m.at("ATI", { ms: 1000 }, function (err, res) {
          if (!err && !m.dialect) {
            var line = res.reply + "", d = identify(line); // (its lines joined by commas)
            if (!d) tell("MODEL", line);
            m.dialect = d || DIALECTS.sim900;
          }
          if (!err || --left <= 0) return next(err);
          // ERROR to ATI: a POP3 response may be unread, and then only AT+POP3OUT is taken (2.19).
          if (err.type === "ERROR") { m.session = 1; m.endSession(again); }
          else again();
        });
      })();
    }

    // Open the bearer only if the query says it is closed: opening an open one is ERROR.
    function bearer(next: (err?: any) => void) {
      m.at("AT+SAPBR=2," + cid, null, function (err, res) {
        if (err || bearerStatus(res.reply) === 1) next(err);
        else m.at("AT+SAPBR=1," + cid, { ms: o.bearerTimeout }, next);
      });
    }

    var i = 0;
    function next(err?: any) {
      var s: Step | Command | 0 | undefined;
      if (!err)
        try { while ((s = step(i++)) === 0); } catch (e) { err = e; } // a bad apn is an ARGUMENT error
      if (err || !s) {
        if (!err) m.ready = true;
        return done(err);
      }
      if (typeof s === "function") return s(next);
      attempt(s, s[3] || 1);
    }
    function attempt(s: Command, tries: number) {
      m.at(s[0], s[4] ? { logAs: s[4] } : null, function (err, res) {
        if (!err && s[1] && !s[1].test(res.reply.join("\n"))) err = typedError(commandName(s[0]), "ERROR", s[2] as string);
        if (!err || tries <= 1) next(err);
        else pollTimer = setTimeout(function () { attempt(s, tries - 1); }, 2000);
      });
    }
    next();
  }

  // (not inlined here: each of the channel's closures would then keep one scope more, ~1 JsVar each)
  var ch = /*#__NOINLINE__*/ createChannel(port, o.log, o.maxLine, news, o);
  // Written only here: the interface others see is read-only.
  var m = {
    o: o,
    ch: ch,
    dialect: DIALECTS[o.modem as string] || 0, // another value: found from ATI
    ready: false,
    session: 0,
    cache: {} as { [key: string]: string },
    // the channel's function itself, which applies o's timeouts (a function of the modem's own
    // around it would cost ~12 JsVars for the session)
    at: ch.at,
    ensure: ensure,
    endSession: function (done: (err?: EmailError | null) => void) {
      if (!m.session) return done();
      m.at("AT+POP3OUT", { until: ["+POP3OUT:"] }, function (err, res) {
        // ERROR: there was no session; no answer at all: the modem may still be logged in
        if (!err || err.type === "ERROR") m.session = 0;
        var c = err ? 0 : resultCode(res.result);
        done(err || (c === 1 ? null : codeError("POP3OUT", c)));
      });
    },
    run: function (op: (done: Callback) => void, cb?: Callback) {
      ops.push(op, cb);
      pump();
    },
    shut: function () {
      if (pollTimer) clearTimeout(pollTimer); // never clearTimeout(undefined): Espruino refuses it
      if (watching) E.removeListener("errorFlag", fifo);
      m.ch.shut();
    },
  };

  function pump() {
    if (busy || !ops.length) return;
    busy = true;
    var op = ops.shift() as (done: Callback) => void, cb = ops.shift() as Callback | undefined, over = 0;
    // One function per operation (each one kept costs ~9 JsVars): the first call ends it; after a
    // failure on our side it first ends what the modem was in the middle of: a POP3 session is
    // logged out (accepted even with response data unread, manual 2.19), an SMTP step is followed
    // by closing the bearer, which ends an open send (+SMTPSEND: 61). That recovery calls it again,
    // with itself as `b` (over is 1 meanwhile); any other later call is ignored.
    function end(err?: any, a?: any, b?: any) {
      if (over > 1 || (over && b !== end)) return;
      if (err) {
        a = b = undefined;
        if (!over) {
          over = 1;
          m.cache = {};
          if (resets(err)) {
            m.ready = false;
            var c = err.command || "", back = function () { end(err, 0, end); };
            if (c.indexOf("POP3") === 0) {
              // (not when already logged out: a failed fetch logs out itself)
              if (m.session) return m.endSession(function () { m.session = 0; back(); });
            } else if (c.indexOf("SMTP") === 0) return m.at("AT+SAPBR=0," + cid, null, back);
          }
        }
      }
      over = 2;
      // The caller's callback runs on a fresh stack, after the module's has unwound: what the
      // operation held by then (its closures, the serial handler's frames) is free (a streamed
      // retrieve ends with about 100 JsVars fewer), and a callback that takes long cannot sit
      // inside the data handler.
      setTimeout(function () {
        busy = false;
        if (cb) try { cb(err || null, a, b); } catch (e) { if (o.log) o.log("! callback threw: " + e); }
        pump();
      }, 0);
    }
    try {
      op(end);
    } catch (e) {
      end(e); // ignored when it had ended
    }
    op = null as any; // what the operation needs, its own closures hold
  }

  function tell(event: string, line: string) {
    if (o.onEvent) o.onEvent(event, line);
  }

  /** The modem's news (NEWS): true when the line was one. A bearer drop, a reboot or a power-down
   *  forgets everything the modem held and ends the command in flight (its operation fails; one that
   *  waits on a mail server fails when its answer comes after a bearer drop). One function for all
   *  of them, so no listener or closure per line holds JsVars for the whole session. */
  function news(line: string): boolean {
    var x = NEWS.exec(line);
    if (!x) return false;
    var c = line.charAt(0), w = x[0];
    if (w === "+POP3OUT:") m.session = 0; // the server or the modem ended the session (manual 2.22)
    else if (w === UNDER_VOLTAGE_WARN) tell("UNDERVOLTAGE", line);
    else if (c === "+" ? w === "+SAPBR " + cid + ": DEACT" : c === "R" ? w === RDY : c === "N" || c === "U") {
      var event = c === "+" ? "DEACT" : c === "R" ? "REBOOT" : "POWERDOWN";
      m.ready = false;
      m.session = 0;
      m.cache = {};
      m.ch.abort(event, c === "+" ? "the network closed the GPRS bearer" : c === "R" ? "the modem restarted" :
        c === "U" ? "the modem powered down: under-voltage" : "the modem powered down", c === "+");
      tell(event, line);
    }
    return true;
  }

  // The Pico's serial input FIFO drops bytes when full and only raises FIFO_FULL: the operation
  // under way fails rather than misreading what is left of its answer.
  function fifo(flags: string[]) {
    if (flags.indexOf("FIFO_FULL") >= 0) m.ch.abort("FIFO_FULL", "serial input overflowed (FIFO_FULL)");
  }
  var watching = typeof E !== "undefined" && typeof E.on === "function";
  if (watching) E.on("errorFlag", fifo);

  return m as Modem;
}
