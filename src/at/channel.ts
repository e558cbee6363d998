// The command channel: one AT command in flight, the rest queued in order. A command ends on OK
// (plus, for the email commands, the result line that follows it: "+POP3IN: 1", "+SMTPSEND: 1"),
// ERROR, +CME ERROR or +CMS ERROR, or its own timeout, and always in exactly one callback.
// Lines that are not the in-flight command's go to URC listeners by prefix. It knows nothing of email.
import { createReader } from "./reader";
import { emailError, codeError, EmailError } from "../errors";

export interface CommandOptions {
  /** Milliseconds for the whole exchange, result line included. */
  timeout: number;
  /** Also wait for a line starting with one of these (it may come long after OK): the result. */
  until?: string[];
  /** A line starting with one of these ends the command at once, OK or not (e.g. "+POP3OUT:"). */
  ends?: string[];
  /** An intermediate line; return true when it was handled (it is then not collected). */
  onLine?: (line: string) => boolean | void;
  /** The '>' prompt arrived (manual 2.8). */
  onPrompt?: () => void;
  /** A slice of a raw payload announced with expect() (manual 2.19). */
  onData?: (slice: string, left: number) => void;
  /** What the transcript shows instead of the command (passwords masked). */
  logAs?: string;
}

export interface CommandResult {
  /** Intermediate lines, e.g. "+SAPBR: 1,1,\"10.0.0.1\"". */
  lines: string[];
  /** The `until` line that ended the command, or "". */
  result: string;
}

export type CommandDone = (err: EmailError | null, res: CommandResult) => void;

export interface Channel {
  command(text: string, opts: CommandOptions, done: CommandDone): void;
  /** Raw bytes: a body after the prompt, attachment data after +SMTPFT: 2,n. */
  write(data: string): void;
  expect(n: number): void;
  on(prefix: string, fn: (line: string) => void): void;
  off(prefix: string, fn: (line: string) => void): void;
  /** Ends the in-flight command with an error of `type` (a bearer drop, a reboot); queued ones go on.
   *  serverOnly: a command that waits on no result line fails only when its own answer comes.
   *  With no command in flight it ends the wait set with wait(), if any. */
  abort(type: string, message: string, serverOnly?: boolean): void;
  /** A wait between commands (for a URC) that abort() must end too; null when it is over. */
  wait(fn: ((type: string, message: string) => void) | null): void;
  /** Fails everything in flight and queued, and stops listening to the port. */
  close(): void;
  idle(): boolean;
}

interface Pending {
  text: string;
  opts: CommandOptions;
  done: CommandDone;
  lines: string[];
  ok: boolean;
  result: string;
  timer: any;
  /** It fails with this, but only when its own final answer comes (so no answer is left stray). */
  fail: EmailError | null;
}

// Lines that are never an answer to the command in flight unless it claims them (manual 2.10,
// 2.11, 2.19, 3.1 and the modem's power and call URCs).
var URC = /^(RING|\+CMTI|\+SAPBR \d|\+SMTPFT|\+SMTPSEND|\+POP3READ: 3,|\+POP3OUT|RDY|Call Ready|NORMAL POWER DOWN|UNDER-VOLTAGE)/;
// No "?" quantifier and no "$" after an alternation: Espruino's regex engine gets both wrong.
var CMx = /^\+CM[ES] ERROR: *(\d+)$/;

/** "AT+SMTPSRV=\"x\",25" → "SMTPSRV" */
export function commandName(text: string): string {
  var m = /^AT\+([A-Z0-9]*)/i.exec(text) || /^AT([A-Z0-9]*)/i.exec(text);
  return m && m[1] ? m[1].toUpperCase() : text;
}

function startsWithAny(line: string, prefixes?: string[]): boolean {
  if (prefixes) for (var i = 0; i < prefixes.length; i++) if (line.indexOf(prefixes[i]) === 0) return true;
  return false;
}

export function createChannel(port: Port, log?: (line: string) => void, maxLine?: number): Channel {
  var queue: Pending[] = [];
  var cur: Pending | null = null;
  var listeners: { p: string; f: (line: string) => void }[] = [];
  var closed = false;
  var waiter: ((type: string, message: string) => void) | null = null;

  function trace(s: string) {
    if (log) try { log(s); } catch (e) { /* a logger must not break the stream */ }
  }

  function finish(err: EmailError | null) {
    var c = cur;
    if (!c) return;
    cur = null;
    clearTimeout(c.timer);
    try {
      c.done(err, { lines: c.lines, result: c.result });
    } catch (e) {
      trace("! callback threw: " + e);
    }
    next();
  }

  function next() {
    if (cur || closed || !queue.length) return;
    var c = (cur = queue.shift() as Pending);
    c.timer = setTimeout(function () {
      if (cur === c) {
        reader.expect(0);
        finish(emailError(commandName(c.text), "TIMEOUT", commandName(c.text) + ": no answer from the modem"));
      }
    }, c.opts.timeout);
    trace("> " + (c.opts.logAs || c.text));
    port.write(c.text + "\r");
  }

  function urc(line: string) {
    var hit = false;
    for (var i = 0; i < listeners.length; i++) {
      var l = listeners[i];
      if (line.indexOf(l.p) === 0) {
        hit = true;
        try { l.f(line); } catch (e) { trace("! listener threw: " + e); }
      }
    }
    return hit;
  }

  function onLine(line: string) {
    trace("< " + line);
    var c = cur;
    if (c) {
      if (startsWithAny(line, c.opts.ends)) {
        c.result = line;
        finish(null);
        return;
      }
      if (c.opts.until && startsWithAny(line, c.opts.until)) {
        c.result = line;
        if (c.ok) finish(null);
        return;
      }
      var f = line === "OK" || line === "ERROR" ? [line] : CMx.exec(line);
      if (f) {
        var name = commandName(c.text);
        if (c.fail) finish(c.fail);
        else if (line === "OK") {
          c.ok = true;
          if (!c.opts.until || c.result) finish(null);
        } else finish(f[1] ? codeError(name, +f[1]) : emailError(name, "ERROR", name + ": the modem answered ERROR"));
        return;
      }
      if (c.opts.onLine && c.opts.onLine(line)) return;
      if (!URC.test(line)) {
        c.lines.push(line);
        return;
      }
    }
    urc(line);
  }

  var reader = createReader(
    {
      line: onLine,
      prompt: function () {
        if (cur && cur.opts.onPrompt) cur.opts.onPrompt();
        else port.write("\x1b"); // nobody wants to type a body: ESC cancels it (manual 2.8)
      },
      data: function (slice, left) {
        if (cur && cur.opts.onData) cur.opts.onData(slice, left);
      },
      overflow: function () {
        trace("! line over the bound dropped");
        if (cur) cur.fail = emailError(commandName(cur.text), "OVERFLOW", "a response line was too long");
      },
    },
    maxLine,
  );

  function onData(data: string) {
    // Espruino removes a data handler that throws, for good: nothing may escape from here.
    try {
      reader.push(data);
    } catch (e) {
      trace("! " + e);
      if (cur) finish(emailError(commandName(cur.text), "ERROR", "internal error: " + e));
    }
  }
  port.on("data", onData);

  return {
    command: function (text, opts, done) {
      if (closed) {
        done(emailError(commandName(text), "CLOSED", "the connection is closed"), { lines: [], result: "" });
        return;
      }
      queue.push({ text: text, opts: opts, done: done, lines: [], ok: false, result: "", timer: 0, fail: null });
      next();
    },
    write: function (data) {
      port.write(data);
    },
    expect: reader.expect,
    on: function (p, f) {
      listeners.push({ p: p, f: f });
    },
    off: function (p, f) {
      for (var i = 0; i < listeners.length; i++)
        if (listeners[i].p === p && listeners[i].f === f) listeners.splice(i--, 1);
    },
    abort: function (type, message, serverOnly) {
      var w = waiter;
      waiter = null;
      if (!cur) return void (w && w(type, message));
      var err = emailError(commandName(cur.text), type, message);
      if (serverOnly && !cur.opts.until) return void (cur.fail = err);
      reader.expect(0);
      finish(err);
    },
    close: function () {
      if (closed) return;
      closed = true;
      if (port.removeListener) port.removeListener("data", onData);
      var err = emailError("CLOSE", "CLOSED", "the connection was closed");
      finish(err);
      while (queue.length) {
        var q = queue.shift() as Pending;
        try { q.done(err, { lines: [], result: "" }); } catch (e) { trace("! callback threw: " + e); }
      }
      listeners = [];
    },
    wait: function (fn) {
      waiter = fn;
    },
    idle: function () {
      return !cur && !queue.length;
    },
  };
}
