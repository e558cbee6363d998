// The modem: sync and echo off, the GPRS bearer (manual 3.1), the email parameters (2.1, 2.2, 2.23),
// the operation queue (one public call at a time, in order) and recovery: a bearer drop or a reboot
// forgets what the modem knew, and the next operation prepares it again.
import { createChannel, commandName, Channel, CommandOptions, CommandResult } from "./at/channel";
import { emailError, EmailError } from "./errors";
import { once, assign, Step, Callback } from "./flow";
import { quote, int, LIMITS } from "./params";

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
  /** AT+EMAILSSL; default true when a configured port is 465 or 995. */
  ssl?: boolean;
  smtp?: Server;
  pop3?: Server;
  from?: { address: string; name?: string };
  /** Bytes per AT+SMTPFT / AT+POP3READ request (1..1460), default 512. */
  chunk?: number;
  /** Attachment ring buffer bytes, default 1024. */
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
  /** Called with "REBOOT", "DEACT", "POWERDOWN" or "UNDERVOLTAGE" and the modem's line. */
  onEvent?: (event: string, line: string) => void;
}

export interface Modem {
  o: Options;
  ch: Channel;
  /** Bearer open and email parameters set since the last reboot or bearer drop. */
  ready: boolean;
  /** Logged in to POP3. */
  pop3: boolean;
  /** SMTP settings the modem holds, by setting name: the command that set it. */
  cache: { [key: string]: string };
  /** AT commands written so far. */
  count: number;
  /** A command answered locally by the modem. */
  at(text: string, opts: Partial<CommandOptions> | null, done: (err: EmailError | null, res: CommandResult) => void): void;
  /** A command whose result line comes from a mail server (timeout AT+EMAILTO plus a margin). */
  server(text: string, until: string[], opts: Partial<CommandOptions> | null, done: (err: EmailError | null, res: CommandResult) => void): void;
  /** Prepares the modem if a reboot or a bearer drop made it forget. */
  ensure(next: (err?: any) => void): void;
  /** Queues an operation; `op` gets a callback that ends it (once) and starts the next one. */
  run(op: (done: Callback) => void, cb?: Callback): void;
  close(): void;
}

/** How long a step may wait on a mail server: AT+EMAILTO plus a margin for the network. */
export function serverWait(o: Options): number {
  return o.serverTimeout || ((o.timeout || 30) + 15) * 1000;
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

export function createModem(port: Port, o: Options): Modem {
  var cid = o.cid || 1;
  var local = o.atTimeout || 5000;
  var ops: { op: (done: Callback) => void; cb?: Callback }[] = [];
  var busy = false;
  var pollTimer: any;

  var m: Modem = {
    o: o,
    ch: createChannel(port, o.log, o.maxLine),
    ready: false,
    pop3: false,
    cache: {},
    count: 0,
    at: function (text, opts, done) {
      m.count++;
      m.ch.command(text, assign({ timeout: local } as CommandOptions, opts), done);
    },
    server: function (text, until, opts, done) {
      m.at(text, assign({ timeout: serverWait(o), until: until }, opts), done);
    },
    ensure: function (next) {
      if (m.ready) next();
      else prepare(next);
    },
    run: function (op, cb) {
      ops.push({ op: op, cb: cb });
      pump();
    },
    close: function () {
      if (pollTimer) clearTimeout(pollTimer); // never clearTimeout(undefined): Espruino refuses it
      m.ch.close();
    },
  };

  function pump() {
    if (busy || !ops.length) return;
    busy = true;
    var job = ops.shift() as { op: (done: Callback) => void; cb?: Callback };
    var done = once(function (err?: any, a?: any, b?: any) {
      busy = false;
      if (job.cb) job.cb(err, a, b);
      pump();
    }, function (e) {
      if (o.log) o.log("! callback threw: " + e);
    });
    try {
      job.op(done);
    } catch (e) {
      done(e);
    }
  }

  /** Forget everything the modem held and end the command in flight (its operation fails; one that
   *  waits on a mail server fails when its answer comes after a bearer drop). One function for the
   *  four lines, so no closure per line holds its message in RAM for the whole session. */
  function lost(line: string) {
    var c = line.charAt(0);
    var event = c === "+" ? "DEACT" : c === "R" ? "REBOOT" : "POWERDOWN";
    m.ready = false;
    m.pop3 = false;
    m.cache = {};
    m.ch.abort(event, c === "+" ? "the network closed the GPRS bearer" : c === "R" ? "the modem restarted" :
      c === "U" ? "the modem powered down: under-voltage" : "the modem powered down", c === "+");
    if (o.onEvent) o.onEvent(event, line);
  }
  m.ch.on("+SAPBR " + cid + ": DEACT", lost);
  m.ch.on("RDY", lost);
  m.ch.on("NORMAL POWER DOWN", lost);
  m.ch.on("UNDER-VOLTAGE POWER DOWN", lost);
  m.ch.on("UNDER-VOLTAGE WARN", function (line) {
    if (o.onEvent) o.onEvent("UNDERVOLTAGE", line);
  });

  /**
   * Connect's sequence as a table, walked by one function rather than a closure per step (they
   * all sat in RAM while connecting). An entry is a step function or a Command.
   */
  function prepare(done: (err?: any) => void) {
    var polls = Math.ceil(((o.registerTimeout || 60) * 1000) / 2000);
    var sapbr = "AT+SAPBR=3," + cid + ",";
    var steps: (Step | Command)[] = [
      // Until the modem answers: it may still be booting, or eating a cancelled transfer's bytes.
      function (next) {
        var left = 10;
        (function sync() {
          m.at("AT", { timeout: 1000 }, function (err) {
            if (!err || --left <= 0) return next(err);
            // ERROR to AT: a POP3 response may be unread, and then only AT+POP3OUT is taken (2.19).
            if (err.type === "ERROR") m.at("AT+POP3OUT", { timeout: serverWait(o), until: ["+POP3OUT:"] }, sync);
            else sync();
          });
        })();
      },
      ["ATE0"],
      // right after "RDY" the SIM may not be ready yet: a few tries (a missing SIM or PIN stays so)
      ["AT+CPIN?", /\+CPIN: *READY/, "SIM not ready (PIN?)", polls < 5 ? polls : 5],
      ["AT+CREG?", /\+CREG: *\d,[15]/, "not registered on the network", polls],
      ["AT+CGATT?", /\+CGATT: *1/, "GPRS not attached", polls],
      [sapbr + '"Contype","GPRS"'],
      [sapbr + '"APN",' + quote("SAPBR", "apn", o.apn, LIMITS.host, true)],
    ];
    if (o.apnUser) steps.push([sapbr + '"USER",' + quote("SAPBR", "apnUser", o.apnUser, LIMITS.user)]);
    if (o.apnPassword)
      steps.push([sapbr + '"PWD",' + quote("SAPBR", "apnPassword", o.apnPassword, LIMITS.password), undefined, undefined, undefined, sapbr + '"PWD","***"']);
    steps.push(
      // Open the bearer only if the query says it is closed: opening an open one is ERROR.
      function (next) {
        m.at("AT+SAPBR=2," + cid, null, function (err, res) {
          if (err || bearerStatus(res.lines) === 1) next(err);
          else m.at("AT+SAPBR=1," + cid, { timeout: o.bearerTimeout || 85000 }, next);
        });
      },
      ["AT+EMAILCID=" + cid],
      ["AT+EMAILTO=" + int("EMAILTO", "timeout", o.timeout || 30, 10, 120)],
      ["AT+EMAILSSL=" + (o.ssl ? 1 : 0)],
    );
    var i = 0;
    function next(err?: any) {
      var s = steps[i++];
      if (err || !s) {
        if (!err) m.ready = true;
        return done(err);
      }
      if (typeof s === "function") return s(next);
      attempt(s, s[3] || 1);
    }
    function attempt(s: Command, tries: number) {
      m.at(s[0], s[4] ? { logAs: s[4] } : null, function (err, res) {
        if (!err && s[1] && !s[1].test(res.lines.join("\n"))) err = emailError(commandName(s[0]), "ERROR", s[2] as string);
        if (!err || tries <= 1) next(err);
        else pollTimer = setTimeout(function () { attempt(s, tries - 1); }, 2000);
      });
    }
    next();
  }

  return m;
}
