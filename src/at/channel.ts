// The command channel: one AT command in flight, the rest queued in order. A command ends on OK
// (plus, when asked, a result line that follows it), ERROR, +CME ERROR or +CMS ERROR, or its own
// timeout, and always in exactly one callback. A line that the layer above's `news` takes is its
// URC and never part of a command's answer; between commands, the rest go to the waiter, if one is
// set. The channel itself names no command.
import { createReader, ReaderEvents } from "./reader";
import { typedError, codeError, EmailError } from "../errors";

export interface CommandOptions {
  /** Milliseconds for the whole exchange, result line included; by default the channel's `times`
   *  (atTimeout, or serverTimeout for a command with `until`). */
  ms: number;
  /** Also wait for a line starting with one of these (it may come long after OK): the result. */
  until?: string[];
  /** A line starting with one of these ends the command at once, OK or not (e.g. "+POP3OUT:"). */
  ends?: string[];
  /** An intermediate line; return true when it was handled (it is then not collected). The '>'
   *  prompt (manual 2.8) is the line ">": unhandled, it is cancelled with ESC. */
  onLine?: (line: string) => boolean | void;
  /** A slice of a raw payload announced with expect() (manual 2.19). */
  sink?: (slice: string, left: number) => void;
  /** What the transcript shows instead of the command (passwords masked). */
  logAs?: string;
}

export interface CommandResult {
  /** Intermediate lines, e.g. "+SAPBR: 1,1,\"10.0.0.1\"". */
  reply: string[];
  /** The `until` line that ended the command, or "". */
  result: string;
}

export type CommandDone = (err: EmailError | null, res: CommandResult) => void;

/** A channel's default timeouts, in milliseconds: for a command the modem answers itself, and for
 *  one whose result line comes from a mail server (AT+EMAILTO plus a margin). */
export interface Timeouts {
  atTimeout: number;
  serverTimeout: number;
}

export interface Channel {
  /** `opts` (null: none) is the caller's, made for this command: it gets the default timeout itself
   *  (no copy per command). */
  at(text: string, opts: Partial<CommandOptions> | null, done: CommandDone): void;
  /** Commands taken so far. */
  tally: number;
  /** The port, for raw bytes: a body after the prompt, attachment data after +SMTPFT: 2,n (a field,
   *  not a write() method: each function a connection keeps costs about 9 JsVars). */
  readonly serial: Port;
  expect(n: number): void;
  /** Ends the in-flight command with an error of `type` (a bearer drop, a reboot); queued ones go on.
   *  serverOnly: the command fails only when its own answer comes (its OK, or its result line, which
   *  is passed on with the error and may carry the modem's code), within SETTLE ms for a result line.
   *  With no command in flight it ends the waiter, if one is set. A payload still arriving is
   *  discarded to its end either way. */
  abort(type: string, message: string, serverOnly?: boolean): void;
  /** A wait between commands, for a URC (a field set by the layer that waits: no function kept for
   *  it; null when it is over). It gets each line that arrives while no command is in flight and
   *  `news` did not take (one argument), and abort() ends it (type, message). */
  waiter: ((line: string, message?: string) => void) | null;
  /** Fails everything in flight and queued, and stops listening to the port. */
  shut(): void;
}

/** A command, queued or in flight. Only the first four are set when it is queued: each property
 *  an object holds costs a JsVar (two when its name is over 4 characters), so the others appear
 *  when they are first needed, and unset reads as false, 0 or none. */
interface Pending {
  text: string;
  opts: CommandOptions;
  done: CommandDone;
  reply: string[];
  /** OK came (a command with `until` still waits for its result line). */
  ok?: boolean;
  /** The `until` or `ends` line that ended it. */
  result?: string;
  timer?: any;
  /** It fails with this, but only when its own final answer comes (so no answer is left stray). */
  fail?: EmailError | null;
  /** The size of the payload announced last, for the message when it is cut short. */
  n?: number;
  /** Set once its payload is announced: its timer then counts from when the reader last returned
   *  from a chunk (the caller's onData included: the caller's time is not the modem's). */
  since?: number;
}

// No "?" quantifier and no "$" after an alternation: Espruino's regex engine gets both wrong.
var CMx = /^\+CM[ES] ERROR: *(\d+)$/;
// How long a command whose answer was disturbed (abort with serverOnly) waits for its result line.
var SETTLE = 5000;
// After a payload was cut short, how long the line must stay quiet before the next command goes out.
var QUIET = 500;

/** "AT+SMTPSRV=\"x\",25" → "SMTPSRV" */
export function commandName(text: string): string {
  var m = /^AT\+([A-Z0-9]*)/i.exec(text) || /^AT([A-Z0-9]*)/i.exec(text);
  return m && m[1] ? m[1].toUpperCase() : text;
}

function startsWithAny(line: string, prefixes?: string[]): boolean {
  if (prefixes) for (var i = 0; i < prefixes.length; i++) if (line.indexOf(prefixes[i]) === 0) return true;
  return false;
}

/** `news`: the layer above's handler for its own URCs, tried first; true when the line was one. */
export function createChannel(port: Port, log?: (line: string) => void, maxLine?: number, news?: (line: string) => boolean, times?: Timeouts): Channel {
  var queue: Pending[] = [];
  var cur: Pending | null = null;
  var closed = false;
  // Set while the rest of a cut payload and the OK after it are discarded: no command goes out.
  var draining: any = 0;

  function trace(s: string) {
    if (log) try { log(s); } catch (e) { /* a logger must not break the stream */ }
  }

  function finish(err?: EmailError | null) {
    var c = cur;
    if (!c) return;
    cur = null;
    clearTimeout(c.timer);
    // Its payload is still arriving: its bytes and the OK after them are not the next command's.
    // (The count checked here first: hush's text is long, and Espruino lexes it all on each call.)
    if (!closed && reader.expect(-1)) hush();
    answer(c, err || null);
    next();
  }

  /** Ends c in its callback, which may not break the channel. */
  function answer(c: Pending, err: EmailError | null) {
    try {
      c.done(err, { reply: c.reply, result: c.result || "" });
    } catch (e) {
      trace("! callback threw: " + e);
    }
  }

  /** Once a command is over with its payload cut (and on every chunk while the rest drains): (re)starts
   *  the wait for the line to go quiet. When it has, or the cut command's final answer came (quiet:
   *  true), the rest of the cut payload is given up. (One function for both: each costs ~9 JsVars.) */
  function hush(quiet?: any) {
    // (expect(-1): the rest of a cut payload, if any, is no longer the cut command's)
    if (quiet !== true && !draining && (cur || !reader.expect(-1))) return; // nothing was cut
    if (draining) clearTimeout(draining);
    if (quiet === true) {
      draining = 0;
      evs.tick = undefined;
      reader.expect(0);
      return next();
    }
    draining = setTimeout(function () { hush(true); }, QUIET);
    evs.tick = hush; // only while it drains: the data path calls nothing per chunk otherwise
  }

  /** (Re)starts c's timeout. `settle`: c was disturbed and waits for its result line, which follows
   *  at once (a bearer drop: "+SMTPSEND: 61") or never: SETTLE ms at most, from now. */
  function arm(c: Pending, ms: number, settle?: boolean) {
    if (settle) {
      clearTimeout(c.timer);
      c.since = 0;
      if (SETTLE < ms) ms = SETTLE;
    }
    c.timer = setTimeout(expire, ms);
  }

  // The in-flight command's timeout (one function for every command, not a closure per command:
  // each is ~10 JsVars; a command's timer is always cleared when it ends, so this one is cur's).
  function expire() {
    var c = cur;
    if (!c) return;
    var idle = Date.now() - reader.lastAt;
    if (c.since && idle < c.opts.ms) return arm(c, c.opts.ms - idle);
    var name = commandName(c.text), left = reader.expect(-1);
    finish(c.fail || typedError(name, "TIMEOUT", left ? name + ": payload incomplete (" + ((c.n as number) - left) + " of " + c.n + " bytes)" : name + ": no answer from the modem"));
  }

  function next() {
    if (cur || closed || draining || !queue.length) return;
    var c = (cur = queue.shift() as Pending);
    arm(c, c.opts.ms);
    if (log) trace("> " + (c.opts.logAs || c.text)); // (no string built for no log)
    port.write(c.text + "\r");
  }

  // A line no command takes: the layer above's news first, then (between commands) the waiter.
  function urc(line: string) {
    try {
      if (news && news(line)) return true;
      if (!cur && self.waiter) self.waiter(line);
    } catch (e) { trace("! listener threw: " + e); }
    return false;
  }

  function onLine(line: string) {
    if (log) trace("< " + line);
    var c = cur;
    var f = line === "OK" || line === "ERROR" ? [line] : CMx.exec(line);
    if (draining) {
      // the final answer of the command whose payload was cut: the line is clear again
      if (f) return hush(true);
    } else if (c) {
      if (startsWithAny(line, c.opts.ends)) {
        c.result = line;
        return finish(c.fail);
      }
      if (c.opts.until && startsWithAny(line, c.opts.until)) {
        c.result = line;
        if (c.ok || c.fail) finish(c.fail);
        return;
      }
      if (f) {
        // a disturbed command that waits for a result line may still get it, after OK or ERROR
        if (c.fail) { if (c.opts.until) arm(c, c.opts.ms, true); else finish(c.fail); }
        else if (line === "OK") {
          c.ok = true;
          if (!c.opts.until || c.result) finish(null);
        } else {
          var name = commandName(c.text); // (only here: a regular expression run per command)
          finish(f[1] ? codeError(name, +f[1]) : typedError(name, "ERROR", name + ": the modem answered ERROR"));
        }
        return;
      }
      if (c.opts.onLine && c.opts.onLine(line)) return;
    }
    if (line === ">") port.write("\x1b"); // nobody wants to type a body: ESC cancels it (manual 2.8)
    else if (!urc(line) && c) c.reply.push(line); // (no command is in flight while a cut payload drains)
  }

  var evs: ReaderEvents = {
    line: onLine,
    // slices that no command takes (expect() hands them to the command's sink directly), and
    // while a cut payload drains every other chunk too (hush sets tick): each restarts the wait
    piece: hush,
    overflow: function () {
      trace("! line over the bound dropped");
      if (cur) cur.fail = typedError(commandName(cur.text), "OVERFLOW", "a response line was too long");
    },
    // whatever a handler throws inside push: push, the port's data handler, never throws
    fault: function (e) {
      trace("! " + e);
      if (cur) finish(typedError(commandName(cur.text), "ERROR", "internal error: " + e));
    },
  };
  var reader = createReader(evs, maxLine);
  // The reader itself handles the port's data: no call in between, per serial chunk.
  var onData = reader.push;
  port.on("data", onData);

  var self: Channel = {
    at: function (text, opts, done) {
      self.tally++;
      var o = (opts || {}) as CommandOptions, c: Pending = { text: text, opts: o, done: done, reply: [] };
      if (closed) return answer(c, typedError(commandName(text), "CLOSED", "the connection is closed"));
      if (!o.ms && times) o.ms = o.until ? times.serverTimeout : times.atTimeout;
      queue.push(c);
      next();
    },
    tally: 0,
    serial: port,
    expect: function (n) {
      var c = cur;
      if (c) { c.n = n; c.since = 1; }
      reader.expect(n, c ? c.opts.sink : undefined);
    },
    waiter: null,
    abort: function (type, message, serverOnly) {
      var w = self.waiter;
      self.waiter = null;
      var c = cur;
      if (!c) return void (w && w(type, message));
      var err = typedError(commandName(c.text), type, message);
      if (!serverOnly) return finish(err);
      c.fail = err;
      if (c.opts.until) arm(c, c.opts.ms, true);
    },
    shut: function () {
      if (closed) return;
      closed = true;
      if (draining) clearTimeout(draining);
      draining = 0;
      if (port.removeListener) port.removeListener("data", onData);
      var err = typedError("CLOSE", "CLOSED", "the connection was closed");
      finish(err);
      while (queue.length) answer(queue.shift() as Pending, err);
    },
  };
  return self;
}
