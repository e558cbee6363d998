// The power companion (src/companions/power.ts, dist/sim900-email-power.js) against a fake serial port, a fake
// clock and a recording pin writer: PWRKEY levels and timings, the on/off paths, the power URCs split
// across Serial chunks, reconnect after an unexpected reboot, and that stop() leaves nothing behind.
import { strict as assert } from "node:assert";
import * as path from "node:path";
import * as src from "../src/companions/power";
import { loadBundle } from "../tools/sandbox";

const target = process.env.TARGET === "dist" ? "dist" : "src";

/** Timers on a virtual clock, as strict as Espruino: clearing an unknown or undefined id throws. */
class Clock {
  now = 0;
  private seq = 0;
  timers = new Map<number, { at: number; fn: () => void }>();
  setTimeout = (fn: () => void, ms?: number) => {
    const id = ++this.seq;
    this.timers.set(id, { at: this.now + Math.max(0, ms || 0), fn });
    return id;
  };
  clearTimeout = (id: unknown) => {
    // Espruino: clearTimeout(undefined) clears every timer (older firmware); an unknown id throws.
    if (id === undefined || id === null) throw new Error("clearTimeout(" + id + ")");
    if (!this.timers.delete(id as number)) throw new Error("Unknown Timeout " + id);
  };
  getTime = () => this.now / 1000;
  /** Runs the timers due within `ms`, in time order (ties: creation order). */
  tick(ms: number) {
    const end = this.now + ms;
    for (;;) {
      let next: [number, { at: number; fn: () => void }] | undefined;
      for (const e of this.timers) if (e[1].at <= end && (!next || e[1].at < next[1].at)) next = e;
      if (!next) break;
      this.timers.delete(next[0]);
      this.now = next[1].at;
      next[1].fn();
    }
    this.now = end;
  }
  /** Runs until `at` (absolute ms). */
  until(at: number) {
    assert.ok(at >= this.now, "clock can't go back");
    this.tick(at - this.now);
  }
  get pending() {
    return this.timers.size;
  }
}

let clock = new Clock();
const noInterval = () => {
  throw new Error("the power module uses no intervals");
};
const host = {
  setTimeout: (fn: () => void, ms?: number) => clock.setTimeout(fn, ms),
  clearTimeout: (id: unknown) => clock.clearTimeout(id),
  setInterval: noInterval,
  clearInterval: noInterval,
  getTime: () => clock.getTime(),
};
const power: typeof src =
  target === "dist" ? loadBundle(path.join(__dirname, "..", "dist", "sim900-email-power.js"), host) : src;

// Deterministic pseudo-random chunk sizes (mulberry32).
let seed = 1;
function rnd() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** A Serial-like port: records writes with their times; feed() delivers in random chunks of 1..64. */
function fakePort() {
  const fns: ((d: string) => void)[] = [];
  const p = {
    fns,
    written: [] as [number, string][],
    onWrite: undefined as undefined | ((d: string) => void),
    write(d: string) {
      p.written.push([clock.now, d]);
      if (p.onWrite) p.onWrite(d);
    },
    on(e: string, fn: (d: string) => void) {
      assert.equal(e, "data");
      fns.push(fn);
    },
    removeListener(e: string, fn: (d: string) => void) {
      assert.equal(e, "data");
      const i = fns.indexOf(fn);
      assert.ok(i >= 0, "removing a listener that is not there");
      fns.splice(i, 1);
    },
    feed(data: string) {
      for (let i = 0; i < data.length; ) {
        const n = 1 + Math.floor(rnd() * 64);
        const chunk = data.slice(i, i + n);
        i += n;
        for (const f of fns.slice()) f(chunk);
      }
    },
    /** Every split of `data` into two chunks, each as a separate delivery. */
    splits(data: string, each: (a: string, b: string) => void) {
      for (let i = 0; i <= data.length; i++) each(data.slice(0, i), data.slice(i));
    },
    /** Delivers `data` at `ms` from now. */
    later(ms: number, data: string) {
      clock.setTimeout(() => p.feed(data), ms);
    },
  };
  return p;
}

interface Rig {
  port: ReturnType<typeof fakePort>;
  pins: [number, unknown, number][];
  events: [string, unknown][];
  results: [number, any, any][];
  reconnects: number[];
  p: src.Power;
  done: (err: any, info?: any) => void;
}

function rig(opts: Partial<src.PowerOptions> = {}): Rig {
  const port = fakePort();
  const r = { port, pins: [], events: [], results: [], reconnects: [] } as unknown as Rig;
  // info from the dist sandbox is another realm's object: compare it as plain data
  r.done = (err, info) => void r.results.push([clock.now, err, info && JSON.parse(JSON.stringify(info))]);
  r.p = power.create(port, {
    pin: "B3",
    activeHigh: true,
    write: (pin, v) => void r.pins.push([clock.now, pin, v]),
    reconnect: () => void r.reconnects.push(clock.now),
    ...opts,
  });
  return r;
}
const rec = (r: Rig) => (name: string, detail?: unknown) => void r.events.push([name, detail]);
const ats = (r: Rig) => r.port.written.filter((w) => w[1] === "AT\r").map((w) => w[0]);

/** A modem that answers "AT" with "OK" 50 ms later while `up()` says it is on. */
function answerAt(r: Rig, up: () => boolean) {
  r.port.onWrite = (d) => {
    if (d === "AT\r" && up()) r.port.later(50, "AT\r\r\nOK\r\n"); // echo on, as after a reboot
  };
}

function assertClean(r: Rig) {
  assert.equal(clock.pending, 0, "no timer left");
  assert.equal(r.port.fns.length, 0, "no listener left");
}

/**
 * A test on a fresh fake clock. The source uses the timer globals directly, as on the board, so in src
 * mode they are swapped for the clock's only while the (synchronous) test body runs: nothing else in
 * the process can get a fake timer between hooks.
 */
function tt(title: string, body: () => void) {
  it(title, () => {
    clock = new Clock();
    seed = 7;
    const g = globalThis as any;
    const saved = [g.setTimeout, g.clearTimeout, g.getTime];
    if (target === "src") [g.setTimeout, g.clearTimeout, g.getTime] = [host.setTimeout, host.clearTimeout, host.getTime];
    try {
      body();
    } finally {
      if (target === "src") [g.setTimeout, g.clearTimeout, g.getTime] = saved;
      if (g.getTime === undefined) delete g.getTime;
    }
  });
}

describe(`power companion @dist (${target})`, () => {
  describe("on()", () => {
    for (const activeHigh of [true, false]) {
      tt(`releases the key at create, then presses it for exactly \`pulse\` ms after a silent probe (activeHigh ${activeHigh})`, () => {
        const press = activeHigh ? 1 : 0;
        const r = rig({ activeHigh, pulse: 1500 });
        assert.deepEqual(r.pins, [[0, "B3", 1 - press]]);
        assert.equal(r.port.fns.length, 0, "not listening before it is needed");
        r.p.on(r.done);
        assert.equal(r.port.fns.length, 1);
        assert.deepEqual(r.port.written, [[0, "AT\r"]]);
        clock.until(599);
        assert.equal(r.pins.length, 1, "nothing pressed during the probe");
        clock.until(4000);
        r.port.feed("\r\nRDY\r\n");
        assert.deepEqual(r.pins, [[0, "B3", 1 - press], [600, "B3", press], [2100, "B3", 1 - press]]);
        assert.deepEqual(r.results, [[4000, null, { already: false }]]);
        assertClean(r);
      });
    }

    tt("does not press a modem that already answers AT (a press would switch it off)", () => {
      const r = rig();
      answerAt(r, () => true);
      r.p.on(r.done);
      clock.tick(20000);
      assert.deepEqual(r.results, [[50, null, { already: true }]]);
      assert.deepEqual(r.pins, [[0, "B3", 0]]);
      assert.deepEqual(r.port.written, [[0, "AT\r"]]);
      assertClean(r);
    });

    tt("is ready at 'Call Ready' (modem at a fixed baud rate that missed nothing but RDY)", () => {
      const r = rig();
      r.p.on(r.done);
      clock.until(5000);
      r.port.feed("\r\nCall Ready\r\n");
      assert.deepEqual(r.results, [[5000, null, { already: false }]]);
      assert.deepEqual(r.pins, [[0, "B3", 0], [600, "B3", 1], [1800, "B3", 0]]);
      assertClean(r);
    });

    tt("polls AT every second from 1 s after the release until OK (an auto-bauding modem prints nothing)", () => {
      const r = rig();
      let up = false;
      answerAt(r, () => up);
      r.p.on(r.done);
      clock.until(4500);
      up = true; // booted: the next AT is answered
      clock.tick(20000);
      // probe at 0; pressed 600..1800; polls at 2800, 3800, 4800 (answered at 4850)
      assert.deepEqual(ats(r), [0, 2800, 3800, 4800]);
      assert.deepEqual(r.results, [[4850, null, { already: false }]]);
      assertClean(r);
    });

    tt("fails with TIMEOUT/PWRKEY when nothing answers within readyTimeout after the pulse", () => {
      const r = rig({ readyTimeout: 5500 });
      r.p.on(r.done);
      clock.tick(60000);
      assert.equal(r.results.length, 1);
      const [at, err] = r.results[0];
      assert.equal(at, 600 + 1200 + 5500);
      assert.ok(err instanceof Error || (err && err.message), "an Error");
      assert.equal(err.type, "TIMEOUT");
      assert.equal(err.command, "PWRKEY");
      assert.deepEqual(ats(r), [0, 2800, 3800, 4800, 5800, 6800]);
      assert.deepEqual(r.pins, [[0, "B3", 0], [600, "B3", 1], [1800, "B3", 0]]);
      assertClean(r);
    });

    tt("reports BUSY for a second on()/off() while one runs, and finishes the first", () => {
      const r = rig();
      r.p.on(r.done);
      r.p.off(r.done);
      assert.equal(r.results.length, 1);
      assert.equal(r.results[0][1].type, "BUSY");
      clock.until(3000);
      r.port.feed("RDY\r\n");
      assert.deepEqual(r.results[1], [3000, null, { already: false }]);
      assertClean(r);
    });

    tt("waits 2 s after a power-down URC before pressing again (HD: restart 800 ms after STATUS low)", () => {
      const r = rig();
      r.p.watch(() => {});
      clock.until(1000);
      r.port.feed("\r\nNORMAL POWER DOWN\r\n");
      r.p.on(r.done);
      clock.until(10000);
      // probe 1000..1600; the key waits for 1000 + 2000
      assert.deepEqual(r.pins, [[0, "B3", 0], [3000, "B3", 1], [4200, "B3", 0]]);
      r.p.stop();
    });
  });

  describe("off()", () => {
    tt("sends AT+CPOWD=1 to a modem that answers and ends at NORMAL POWER DOWN, without the key", () => {
      const r = rig({ activeHigh: false });
      r.port.onWrite = (d) => {
        if (d === "AT\r") r.port.later(50, "OK\r\n");
        if (d === "AT+CPOWD=1\r") r.port.later(2000, "\r\nNORMAL POWER DOWN\r\n");
      };
      r.p.off(r.done);
      clock.tick(30000);
      assert.deepEqual(r.port.written, [[0, "AT\r"], [50, "AT+CPOWD=1\r"]]);
      assert.deepEqual(r.results, [[2050, null, { already: false }]]);
      assert.deepEqual(r.pins, [[0, "B3", 1]]);
      assertClean(r);
    });

    tt("does nothing to a modem that does not answer AT (a press would switch it on)", () => {
      const r = rig();
      r.p.off(r.done);
      clock.tick(30000);
      assert.deepEqual(r.results, [[600, null, { already: true }]]);
      assert.deepEqual(r.port.written, [[0, "AT\r"]]);
      assert.deepEqual(r.pins, [[0, "B3", 0]]);
      assertClean(r);
    });

    tt("presses the key when AT+CPOWD=1 gets no answer, and ends at NORMAL POWER DOWN", () => {
      const r = rig({ offTimeout: 3000 });
      answerAt(r, () => true);
      r.p.off(r.done);
      clock.until(5000);
      assert.deepEqual(r.pins, [[0, "B3", 0], [3050, "B3", 1], [4250, "B3", 0]]);
      r.port.feed("\r\nNORMAL POWER DOWN\r\n");
      assert.deepEqual(r.results, [[5000, null, { already: false }]]);
      assertClean(r);
    });

    tt("presses the key at once when AT+CPOWD=1 answers ERROR; releases it on time even if the URC comes during the press", () => {
      const r = rig();
      r.port.onWrite = (d) => {
        if (d === "AT\r") r.port.later(50, "OK\r\n");
        if (d === "AT+CPOWD=1\r") r.port.later(10, "ERROR\r\n");
      };
      r.p.off(r.done);
      clock.until(500);
      assert.deepEqual(r.pins, [[0, "B3", 0], [60, "B3", 1]]);
      r.port.feed("NORMAL POWER DOWN\r\n");
      // the key is never left held: released when the wait ends
      assert.deepEqual(r.pins, [[0, "B3", 0], [60, "B3", 1], [500, "B3", 0]]);
      assert.deepEqual(r.results, [[500, null, { already: false }]]);
      assertClean(r);
    });

    tt("after the key, takes silence (no answer to AT) as off", () => {
      const r = rig({ offTimeout: 2000 });
      let up = true;
      answerAt(r, () => up);
      r.pins.length = 0;
      r.p.off(r.done);
      clock.until(2100); // CPOWD unanswered until 2050, then pressed
      up = false;
      clock.tick(20000);
      // pressed 2050..3250; waits 1200 + 2000 for the URC; probes at 5250, silent until 5850
      assert.deepEqual(r.pins, [[2050, "B3", 1], [3250, "B3", 0]]);
      assert.deepEqual(ats(r), [0, 5250]);
      assert.deepEqual(r.results, [[5850, null, { already: false }]]);
      assertClean(r);
    });

    tt("fails with TIMEOUT/PWRKEY when the modem still answers after AT+CPOWD and the key", () => {
      const r = rig({ offTimeout: 2000 });
      answerAt(r, () => true);
      r.p.off(r.done);
      clock.tick(20000);
      assert.equal(r.results.length, 1);
      assert.equal(r.results[0][0], 5300);
      assert.equal(r.results[0][1].type, "TIMEOUT");
      assert.equal(r.results[0][1].command, "PWRKEY");
      assertClean(r);
    });
  });

  describe("watch()", () => {
    const URCS: [string, string][] = [
      ["NORMAL POWER DOWN", "powerdown"],
      ["UNDER-VOLTAGE POWER DOWN", "undervoltage"],
      ["OVER-VOLTAGE POWER DOWN", "overvoltage"],
      ["UNDER-VOLTAGE WARNNING", "undervoltage-warning"],
      ["OVER-VOLTAGE WARNNING", "overvoltage-warning"],
    ];
    for (const [urc, name] of URCS) {
      tt(`reports '${urc}' as "${name}", split at every point`, () => {
        const r = rig();
        r.p.watch(rec(r));
        const text = "+CSQ: 18,0\r\n\r\n" + urc + "\r\nOK\r\n";
        r.port.splits(text, (a, b) => {
          r.events.length = 0;
          for (const f of r.port.fns) f(a);
          for (const f of r.port.fns) f(b);
          assert.deepEqual(r.events, [[name, urc]], JSON.stringify([a, b]));
        });
        r.p.stop();
        assertClean(r);
      });
    }

    tt("reports an unexpected boot as rdy + reboot, then ready, and reconnects once at Call Ready", () => {
      const r = rig();
      r.p.watch(rec(r));
      clock.until(1000);
      r.port.feed("\r\nRDY\r\n");
      assert.deepEqual(r.events, [["rdy", "RDY"], ["reboot", "RDY"]]);
      assert.deepEqual(r.reconnects, []);
      clock.until(4000);
      r.port.feed("\r\n+CFUN: 1\r\n\r\n+CPIN: READY\r\n\r\nCall Ready\r\n");
      assert.deepEqual(r.events, [["rdy", "RDY"], ["reboot", "RDY"], ["ready", "Call Ready"]]);
      assert.deepEqual(r.reconnects, [4000]);
      clock.tick(60000);
      assert.deepEqual(r.reconnects, [4000], "once");
      assert.equal(clock.pending, 0);
      r.p.stop();
      assertClean(r);
    });

    tt("reconnects readyTimeout after an RDY that no Call Ready follows", () => {
      const r = rig({ readyTimeout: 8000 });
      r.p.watch(rec(r));
      clock.until(1000);
      r.port.feed("RDY\r\n");
      clock.tick(60000);
      assert.deepEqual(r.reconnects, [9000]);
      r.p.stop();
    });

    tt("does not reconnect after its own on(), but does after a later reboot", () => {
      const r = rig();
      r.p.watch(rec(r));
      r.p.on(r.done);
      clock.until(4000);
      r.port.feed("\r\nRDY\r\n");
      assert.deepEqual(r.results, [[4000, null, { already: false }]]);
      clock.until(12000);
      r.port.feed("\r\nCall Ready\r\n"); // still our boot, 8 s after its RDY
      clock.until(20000);
      assert.deepEqual(r.reconnects, []);
      assert.deepEqual(r.events, [["rdy", "RDY"], ["ready", "Call Ready"]]);
      r.port.feed("\r\nRDY\r\n\r\nCall Ready\r\n"); // now the modem reset by itself
      assert.deepEqual(r.reconnects, [20000]);
      assert.deepEqual(r.events.slice(2).map((e) => e[0]), ["rdy", "reboot", "ready"]);
      r.p.stop();
      assertClean(r);
    });

    tt("an on() that found the modem already on does not hide a reboot soon after", () => {
      const r = rig();
      r.p.watch(rec(r));
      answerAt(r, () => true);
      r.p.on(r.done);
      clock.until(2000);
      assert.deepEqual(r.results, [[50, null, { already: true }]]);
      r.port.feed("RDY\r\nCall Ready\r\n");
      assert.deepEqual(r.reconnects, [2000]);
      r.p.stop();
      assertClean(r);
    });

    tt("reconnects at most once per readyTimeout", () => {
      const r = rig({ readyTimeout: 10000 });
      r.p.watch(rec(r));
      clock.until(1000);
      r.port.feed("RDY\r\nCall Ready\r\n");
      clock.until(6000);
      r.port.feed("RDY\r\nCall Ready\r\n"); // a reboot loop (a weak supply)
      clock.until(11000);
      r.port.feed("RDY\r\nCall Ready\r\n");
      assert.deepEqual(r.reconnects, [1000, 11000]);
      r.p.stop();
    });

    tt("listens only while needed, once, and stop() removes the listener and every timer", () => {
      const r = rig();
      assert.equal(r.port.fns.length, 0);
      r.p.watch(rec(r));
      r.p.on(r.done);
      assert.equal(r.port.fns.length, 1, "one listener for watch and on together");
      clock.until(1000); // the key is held now
      r.port.feed("\r\nOVER-VOLTAGE WARNNING\r\n");
      assert.equal(clock.pending, 3, "the key, the poll and the wait");
      r.p.stop();
      assert.equal(r.results.length, 1);
      assert.equal(r.results[0][1].type, "CLOSED");
      assert.deepEqual(r.pins, [[0, "B3", 0], [600, "B3", 1], [1000, "B3", 0]], "the key is released");
      assertClean(r);
      r.port.feed("RDY\r\nCall Ready\r\n");
      clock.tick(60000);
      assert.deepEqual(r.reconnects, []);
      assert.deepEqual(r.events, [["overvoltage-warning", "OVER-VOLTAGE WARNNING"]]);
    });

    tt("drops a pending reconnect when the modem powers down before its Call Ready", () => {
      const r = rig();
      r.p.watch(rec(r));
      r.port.feed("RDY\r\n");
      clock.until(3000);
      r.port.feed("UNDER-VOLTAGE POWER DOWN\r\n");
      assert.equal(clock.pending, 0);
      clock.tick(60000);
      assert.deepEqual(r.reconnects, []);
      assert.deepEqual(r.events.map((e) => e[0]), ["rdy", "reboot", "undervoltage"]);
      r.p.stop();
    });

    tt("reports a throwing reconnect as an 'error' event", () => {
      const r = rig({
        reconnect: () => {
          throw new Error("connect bug");
        },
      });
      r.p.watch((name, detail) => void r.events.push([name, name === "error" ? (detail as Error).message : detail]));
      r.port.feed("RDY\r\nCall Ready\r\nNORMAL POWER DOWN\r\n");
      assert.deepEqual(r.events.map((e) => e[0]), ["rdy", "reboot", "ready", "error", "powerdown"]);
      assert.equal(r.events[3][1], "connect bug");
      r.p.stop();
      assertClean(r);
    });

    tt("stop() clears a pending reconnect", () => {
      const r = rig();
      r.p.watch(rec(r));
      r.port.feed("RDY\r\n");
      assert.equal(clock.pending, 1);
      r.p.stop();
      assertClean(r);
      clock.tick(60000);
      assert.deepEqual(r.reconnects, []);
    });

    tt("drops an over-long line whole, keeping the buffer bounded", () => {
      const r = rig();
      r.p.watch(rec(r));
      r.port.feed("x".repeat(300) + "NORMAL POWER DOWN\r\n\r\nUNDER-VOLTAGE WARNNING\r\n");
      r.port.feed("y".repeat(100)); // no newline yet: dropped, and the line's tail with it
      r.port.feed("RDY\r\n");
      for (const chunk of ["z".repeat(64), "z".repeat(36), "RDY\r\n"]) for (const f of r.port.fns) f(chunk);
      r.port.feed("OVER-VOLTAGE POWER DOWN\r\n");
      assert.deepEqual(r.events.map((e) => e[0]), ["undervoltage-warning", "overvoltage"]);
      r.p.stop();
    });

    tt("throws nothing out of the data handler: a throwing handler or callback becomes an 'error' event", () => {
      const r = rig();
      let first = true;
      r.p.watch((name, detail) => {
        r.events.push([name, detail instanceof Error || (detail && (detail as Error).message) ? "Error" : detail]);
        if (first) {
          first = false;
          throw new Error("user bug");
        }
      });
      answerAt(r, () => true);
      r.p.on(() => {
        throw new Error("callback bug");
      });
      clock.tick(100);
      r.port.feed("UNDER-VOLTAGE WARNNING\r\n");
      assert.deepEqual(r.events, [["error", "Error"], ["undervoltage-warning", "UNDER-VOLTAGE WARNNING"]]);
      r.p.stop();
      assertClean(r);
    });
  });

  (target === "src" ? it : it.skip)("defaults to digitalWrite, with the pin opendrain when pressed low (src only: globals)", () => {
    const g = globalThis as any;
    const calls: unknown[][] = [];
    g.digitalWrite = (p: unknown, v: unknown) => calls.push(["digitalWrite", p, v]);
    g.pinMode = (p: unknown, m: unknown) => calls.push(["pinMode", p, m]);
    try {
      power.create(fakePort(), { pin: "B3" });
      power.create(fakePort(), { pin: "B4", activeHigh: true });
    } finally {
      delete g.digitalWrite;
      delete g.pinMode;
    }
    assert.deepEqual(calls, [["pinMode", "B3", "opendrain"], ["digitalWrite", "B3", 1], ["digitalWrite", "B4", 0]]);
  });
});
