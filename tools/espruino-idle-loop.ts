// The pretend board's idle loop, after Espruino's jsiIdle()/jsiLoop() (src/jsinteractive.c): bytes
// from the UART wait in a bounded input FIFO (the Pico's ioBuffer) until a pass of the loop hands them
// to the Serial 'data' listeners in strings of at most 64 bytes (IOEVENT_MAX_LEN); only then do the
// timers due by the clock run; error flags are checked at the end of each pass. A full FIFO drops bytes and sets
// FIFO_FULL, which E.getErrorFlags() returns (and clears) and E.on('errorFlag') reports once per new flag.

/** Espruino hands serial input to 'data' listeners in strings of at most this many bytes. */
export const SERIAL_EVENT_MAX = 64;
/** The Pico's serial input FIFO, in bytes. */
export const PICO_FIFO_BYTES = 1024;

const FLAG_NAMES = ["FIFO_FULL"] as const;
const FIFO_FULL = 1;

export interface IdleTimer {
  fn: () => void;
  /** performance.now() ms when it is due. */
  due: number;
  seq: number;
  node: NodeJS.Timeout | null;
  done: boolean;
}

export interface IdleLoopOptions {
  /** Input FIFO size in bytes. Default 1024 (PICO_FIFO_BYTES). */
  fifoBytes?: number;
  /** The console line Espruino prints when a new error flag appears. */
  log?: (line: string) => void;
}

export class IdleLoop {
  readonly fifoBytes: number;
  /** Bytes dropped because the FIFO was full, since creation (for checks). */
  dropped = 0;
  private fifo = "";
  private dataListeners: Array<(data: string) => void> = [];
  private flagListeners: Array<(flags: string[]) => void> = [];
  private flags = 0;
  private lastFlags = 0; // flags already reported by 'errorFlag'
  private timers = new Set<IdleTimer>();
  private seq = 0;
  private busyUntil = 0;
  private passLeft = -1; // data bytes the pass under way still hands on; -1: no pass under way
  private armed = false; // a pass is scheduled
  private stopped = false;

  constructor(private o: IdleLoopOptions = {}) {
    this.fifoBytes = o.fifoBytes ?? PICO_FIFO_BYTES;
  }

  /** Bytes from the UART (the receive interrupt): into the FIFO, or dropped when it is full. */
  receive(data: string): void {
    if (this.stopped || data.length === 0) return;
    const room = this.fifoBytes - this.fifo.length;
    if (data.length > room) {
      this.dropped += data.length - room;
      this.flags |= FIFO_FULL;
      data = data.slice(0, room);
    }
    this.fifo += data;
    this.wake();
  }

  onData(fn: (data: string) => void): void { this.dataListeners.push(fn); }
  offData(fn: (data: string) => void): void { this.dataListeners = this.dataListeners.filter((l) => l !== fn); }
  offAllData(): void { this.dataListeners = []; }

  onErrorFlag(fn: (flags: string[]) => void): void { this.flagListeners.push(fn); }
  offErrorFlag(fn: (flags: string[]) => void): void { this.flagListeners = this.flagListeners.filter((l) => l !== fn); }

  /** E.getErrorFlags(): the flags set since the last call; clears them. */
  takeErrorFlags(): string[] {
    const f = this.flags;
    this.flags = 0;
    return flagNames(f);
  }

  /** A timer: `fn` runs in the first pass that reaches its timers `hostMs` host milliseconds or more from now. */
  setTimer(fn: () => void, hostMs: number): IdleTimer {
    const t: IdleTimer = { fn, due: performance.now() + Math.max(0, hostMs), seq: this.seq++, node: null, done: false };
    this.timers.add(t);
    this.alarm(t);
    return t;
  }

  clearTimer(t: IdleTimer | undefined): void {
    if (!t || t.done) return;
    t.done = true;
    if (t.node) clearTimeout(t.node);
    t.node = null;
    this.timers.delete(t);
  }

  /** The program is busy for `ms` host ms from now: no pass goes on, while the FIFO keeps filling. */
  busy(ms: number): void {
    this.busyUntil = Math.max(this.busyUntil, performance.now() + ms);
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) this.clearTimer(t);
  }

  // A host timer only wakes the loop; whether a timer is due is decided by the clock in the pass.
  private alarm(t: IdleTimer): void {
    t.node = setTimeout(() => {
      t.node = null;
      if (t.done) return;
      if (t.due > performance.now()) this.alarm(t); // Node fired early
      else this.wake();
    }, Math.max(0, t.due - performance.now()));
  }

  private wake(): void {
    if (this.armed || this.stopped) return;
    this.armed = true;
    setImmediate(() => this.pass());
  }

  // One pass of jsiIdle(): the serial data that was waiting when it began, in strings of at most 64
  // bytes; then every timer due by then; then the error flags. A callback may leave the program busy:
  // the pass goes on where it stopped once that is over (bytes that came meanwhile wait for the next).
  private pass(): void {
    this.armed = false;
    if (this.stopped || this.waitWhileBusy()) return;
    if (this.passLeft < 0) this.passLeft = this.fifo.length;
    let paused = false;
    let finished = false;
    try {
      while (this.passLeft > 0 && !this.stopped) {
        const s = this.fifo.slice(0, Math.min(SERIAL_EVENT_MAX, this.passLeft));
        this.fifo = this.fifo.slice(s.length);
        this.passLeft -= s.length;
        for (const fn of this.dataListeners.slice()) fn(s);
        if ((paused = this.waitWhileBusy())) return;
      }
      const now = performance.now(); // jsiIdle reads the clock once for its timers
      for (let t = this.nextDue(now); t && !this.stopped; t = this.nextDue(now)) {
        this.clearTimer(t);
        t.fn();
        if ((paused = this.waitWhileBusy())) return;
      }
      this.checkErrors();
      finished = true;
    } finally {
      // An exception goes on to the host as before; the loop itself carries on with what is left.
      if (!paused) {
        if (finished || this.passLeft === 0) this.passLeft = -1;
        if (this.fifo.length || this.passLeft > 0 || this.nextDue(performance.now())) this.wake();
      }
    }
  }

  private nextDue(now: number): IdleTimer | undefined {
    let best: IdleTimer | undefined;
    for (const t of this.timers) if (t.due <= now && (!best || t.due < best.due || (t.due === best.due && t.seq < best.seq))) best = t;
    return best;
  }

  private waitWhileBusy(): boolean {
    const left = this.busyUntil - performance.now();
    if (left <= 0 || this.stopped) return false;
    this.armed = true;
    setTimeout(() => this.pass(), left); // fired early, pass() just waits again
    return true;
  }

  // jsiCheckErrors(): 'errorFlag' gets only the flags that are new since the last check.
  private checkErrors(): void {
    if (this.flags === this.lastFlags) return;
    const fresh = this.flags & ~this.lastFlags;
    if (fresh) {
      for (const fn of this.flagListeners.slice()) fn(flagNames(fresh));
      this.o.log?.("New interpreter error: " + flagNames(fresh).join(","));
    }
    this.lastFlags = this.flags;
  }
}

function flagNames(flags: number): string[] {
  return FLAG_NAMES.filter((_, i) => flags & (1 << i));
}
