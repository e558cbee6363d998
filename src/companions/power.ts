// sim900-email-power: switches the SIM900 on and off with its PWRKEY pin, reports its power URCs and
// re-runs the user's connect() after an unexpected reboot. Its own small Espruino module
// (require("sim900-email-power")); nothing here knows about email. Timings: SIM900 Hardware Design
// (SIMCom), see docs/sim900-email-power.md for the sections and values used:
// - PWRKEY low for at least 1 s (and under 5 s) switches the modem off ("5s > Pulldown > 1s",
//   SIM900_HD_V1.05 3.4.2.1 fig. 12) and, the same way, on (3.4.1.1): a toggle, so never press an on modem.
// - "RDY" only with a fixed baud rate (AT+IPR); auto-bauding it prints nothing until it hears "AT".
// - AT+CPOWD=1 or the key: "NORMAL POWER DOWN" ~1.7 s+ later (logout). Restart: wait at least 800 ms
//   after STATUS goes low (SIM900D HD V2.02 4.2.3). Voltage URCs: SIM900D HD V1.04 3.4.2.3.
import { typedError, EmailError } from "../errors";
import { find } from "../strings";
import { RDY, CALL_READY, NORMAL_POWER_DOWN, UNDER_VOLTAGE_POWER_DOWN, OVER_VOLTAGE_POWER_DOWN, UNDER_VOLTAGE_WARN, OVER_VOLTAGE_WARN } from "../power-urcs";

export interface PowerOptions {
  /** The board pin wired to PWRKEY (directly, or through the shield's transistor). */
  pin: Pin | string | number;
  /** true: drive the pin high to press the key (shields with an NPN transistor). false (default):
   * drive it low, released = floating (pinMode "opendrain"), for PWRKEY wired straight to the pin. */
  activeHigh?: boolean;
  /** ms the key is held, default 1200 (HD: more than 1 s, less than 5 s). */
  pulse?: number;
  /** ms after the pulse to wait for "RDY", "Call Ready" or "OK", default 10000. */
  readyTimeout?: number;
  /** ms to wait for "NORMAL POWER DOWN", default 5000 (the modem logs off the network first). */
  offTimeout?: number;
  /** Called (under watch()) once the modem is ready again after a reboot that on() did not cause. */
  reconnect?: () => void;
  /** Replaces digitalWrite (and the opendrain pinMode): tests, or a key behind an IO expander. */
  write?: (pin: Pin | string | number, value: number) => void;
}

export interface PowerInfo {
  /** true: the modem answered "AT" already (on()), or did not answer at all (off()); no key press. */
  already: boolean;
}

export type PowerCallback = (err: EmailError | null, info?: PowerInfo) => void;

export interface Power {
  on(cb: PowerCallback): void;
  off(cb: PowerCallback): void;
  /** onEvent(name, detail): the URC table's names (detail: the line), "reboot" (a boot on() did not
   * cause), "error" (detail: what a handler or callback threw). Listens until stop(). */
  watch(onEvent: (name: string, detail?: any) => void): void;
  stop(): void;
}

var PROBE = 600;   // ms an on modem takes at most to answer "AT"
var POLL = 1000;   // ms between "AT"s while it boots: an auto-bauding modem is silent until it hears one
var RESTART = 2;   // s after a power-down URC before pressing again (HD: 800 ms after STATUS low, which comes later)

// Line prefixes and their event names.
var URC = [
  [NORMAL_POWER_DOWN, "powerdown"],
  [UNDER_VOLTAGE_POWER_DOWN, "undervoltage"],
  [OVER_VOLTAGE_POWER_DOWN, "overvoltage"],
  [UNDER_VOLTAGE_WARN, "undervoltage-warning"],
  [OVER_VOLTAGE_WARN, "overvoltage-warning"],
  [RDY, "rdy"],
  [CALL_READY, "ready"],
];

export function create(port: Port, o: PowerOptions): Power {
  var write: (pin: any, value: number) => void = o.write || digitalWrite;
  var press = o.activeHigh ? 1 : 0;
  var pulse = o.pulse || 1200;
  var ready = o.readyTimeout || 10000;
  var offMs = o.offTimeout || 5000;
  var buf = "", skip = false, attached = false, pressed = false;
  var onEvent: ((name: string, detail?: any) => void) | null = null;
  var cb: PowerCallback | null = null;             // the on()/off() in progress
  var step: ((line: string) => void) | null = null; // its line handler
  // Timers, null when not pending: Espruino's clearTimeout(undefined) clears every timer (or throws).
  var tw: any = null, tk: any = null, tp: any = null, tb: any = null; // wait, key, poll/delay, boot
  var ownUntil = 0, downAt = -9e9, lastReconnect = -9e9; // getTime() seconds

  if (!o.write && !press) pinMode(o.pin, "opendrain");
  write(o.pin, 1 - press); // released

  function emit(name: string, detail?: any) {
    if (onEvent) try { onEvent(name, detail); } catch (e) { if (name != "error") emit("error", e); }
  }

  function sync() {
    var need = !!(cb || onEvent);
    if (need == attached) return;
    attached = need;
    if (need) port.on("data", onData);
    else { port.removeListener!("data", onData); buf = ""; skip = false; }
  }

  // Serial strings of up to 64 bytes, split anywhere: keep one partial line, at most 64 chars. Its own
  // splitter, not src/at/reader.ts: that one (prompts, payloads, echoes) made this module 610 B larger.
  function onData(d: string) {
    try {
      buf += d;
      var i: number;
      while ((i = buf.indexOf("\n")) >= 0) {
        var text = buf.substring(0, i).trim();
        buf = buf.substring(i + 1);
        if (skip) skip = false; // the tail of an over-long line
        else if (text) line(text);
      }
      if (buf.length > 64) { buf = ""; skip = true; }
    } catch (e) {
      emit("error", e);
    }
  }

  function line(text: string) {
    var name = "";
    for (var k = 0; k < URC.length; k++) if (text.indexOf(URC[k][0]) == 0) { name = URC[k][1]; break; }
    if (name) {
      if (find(text, "POWER DOWN") > 0) { downAt = getTime(); ownUntil = 0; clearBoot(); }
      emit(name, text);
      if (name == "rdy" || name == "ready") {
        if (getTime() < ownUntil) { if (name == "ready") ownUntil = 0; } // our own on()'s boot
        else if (onEvent) booted(name, text);
      }
    }
    if (step) step(text);
  }

  // An unexpected boot: reconnect at its "Call Ready", or readyTimeout after "RDY" (no SIM: no Call Ready).
  function booted(name: string, text: string) {
    if (tb == null) emit("reboot", text);
    clearBoot();
    if (name == "ready") reconnect();
    else tb = setTimeout(reconnect, ready);
  }

  function clearBoot() {
    if (tb != null) clearTimeout(tb);
    tb = null;
  }

  function reconnect() {
    tb = null;
    var now = getTime();
    if (o.reconnect && now - lastReconnect >= ready / 1000) { // at most once per readyTimeout
      lastReconnect = now;
      try { o.reconnect(); } catch (e) { emit("error", e); }
    }
  }

  function key(down: boolean) {
    pressed = down;
    write(o.pin, down ? press : 1 - press);
  }

  function stopTimers() {
    if (tw != null) clearTimeout(tw);
    if (tk != null) clearTimeout(tk);
    if (tp != null) clearTimeout(tp);
    tw = tk = tp = null;
    if (pressed) key(false); // never leave the key held
  }

  function finish(err: EmailError | null, info?: PowerInfo) {
    var f = cb;
    cb = step = null;
    stopTimers();
    sync();
    if (f) try { f(err, info); } catch (e) { emit("error", e); }
  }

  // Up to `ms` for a line `want` accepts: then(line), or then("") on timeout.
  function wait(ms: number, want: (line: string) => boolean, then: (line: string) => void) {
    step = function (l) {
      if (want(l)) { step = null; stopTimers(); then(l); }
    };
    tw = setTimeout(function () { tw = null; step = null; stopTimers(); then(""); }, ms);
  }

  function probe(then: (up: boolean) => void) {
    wait(PROBE, function (l) { return l == "OK"; }, function (l) { then(!!l); });
    port.write("AT\r");
  }

  // Holds the key for `pulse` ms; the caller's wait() covers the press.
  function pulseKey() {
    key(true);
    tk = setTimeout(function () { tk = null; key(false); }, pulse);
  }

  function begin(done: PowerCallback) {
    if (cb) {
      try { done(typedError("PWRKEY", "BUSY", "on() or off() already running")); } catch (e) { emit("error", e); }
      return false;
    }
    cb = done;
    sync();
    return true;
  }

  function poll(ms: number) {
    tp = setTimeout(function () { port.write("AT\r"); poll(POLL); }, ms);
  }

  return {
    on: function (done) {
      if (!begin(done)) return;
      ownUntil = getTime() + (3 * ready) / 1000; // its boot: "Call Ready" may come well after "RDY"
      probe(function (up) {
        if (up) { ownUntil = 0; return finish(null, { already: true }); }
        var gap = (downAt + RESTART - getTime()) * 1000;
        tp = setTimeout(function () {
          pulseKey();
          poll(pulse + POLL);
          wait(pulse + ready, function (l) { return l == "OK" || l == RDY || l == CALL_READY; }, function (l) {
            finish(l ? null : typedError("PWRKEY", "TIMEOUT", "no answer after PWRKEY"), { already: false });
          });
        }, gap > 0 ? gap : 0);
      });
    },
    off: function (done) {
      if (!begin(done)) return;
      function down(l: string) { return find(l, "POWER DOWN") >= 0; }
      probe(function (up) {
        if (!up) return finish(null, { already: true }); // pressing now would switch it ON
        wait(offMs, function (l) { return down(l) || l == "ERROR"; }, function (l) {
          if (down(l)) return finish(null, { already: false });
          pulseKey(); // no answer to AT+CPOWD: the key (HD 3.4.2.1)
          wait(pulse + offMs, down, function (l) {
            if (l) return finish(null, { already: false });
            probe(function (up) { // silent now: off
              finish(up ? typedError("PWRKEY", "TIMEOUT", "still on after AT+CPOWD and PWRKEY") : null, { already: false });
            });
          });
        });
        port.write("AT+CPOWD=1\r");
      });
    },
    watch: function (fn) {
      onEvent = fn;
      sync();
    },
    stop: function () {
      onEvent = null;
      clearBoot();
      finish(typedError("PWRKEY", "CLOSED", "stopped"));
    },
  };
}
