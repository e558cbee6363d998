// The pretend board's idle loop, after Espruino's jsiIdle()/jsiLoop() (src/jsinteractive.c): bytes
// from the UART wait in a bounded input FIFO (the Pico's ioBuffer) until a pass of the loop hands them
// to the Serial 'data' listeners in strings of at most 64 bytes (IOEVENT_MAX_LEN); only then do the due
// timers run; error flags are checked at the end of each pass. A full FIFO drops bytes and sets
// FIFO_FULL, which E.getErrorFlags() returns (and clears) and E.on('errorFlag') reports once per new flag.

/** Espruino hands serial input to 'data' listeners in strings of at most this many bytes. */
export const SERIAL_EVENT_MAX = 64;
/** The Pico's serial input FIFO, in bytes. */
export const PICO_FIFO_BYTES = 1024;

const FLAG_NAMES = ["FIFO_FULL"] as const;
const FIFO_FULL = 1;

export interface IdleTimer {
  fn: () => void;
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
  private ready: IdleTimer[] = []; // timers whose time has come, waiting for a pass
  private timers = new Set<IdleTimer>();
  private busyUntil = 0;
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

  /** A timer: `fn` runs in the first pass after `hostMs` host milliseconds. */
  setTimer(fn: () => void, hostMs: number): IdleTimer {
    const t: IdleTimer = { fn, node: null, done: false };
    t.node = setTimeout(() => {
      t.node = null;
      if (t.done) return;
      this.ready.push(t);
      this.wake();
    }, hostMs);
    this.timers.add(t);
    return t;
  }

  clearTimer(t: IdleTimer | undefined): void {
    if (!t || t.done) return;
    t.done = true;
    if (t.node) clearTimeout(t.node);
    this.timers.delete(t);
    this.ready = this.ready.filter((r) => r !== t);
  }

  /** The program is busy for `ms` host ms from now: no pass runs, while the FIFO keeps filling. */
  busy(ms: number): void {
    this.busyUntil = Math.max(this.busyUntil, performance.now() + ms);
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) if (t.node) clearTimeout(t.node);
    this.timers.clear();
    this.ready = [];
  }

  private wake(): void {
    if (this.armed || this.stopped) return;
    this.armed = true;
    setImmediate(() => this.pass());
  }

  // One pass: the serial data waiting when it starts, then every due timer, then the error flags.
  // A callback may make the program busy: the pass then resumes where it stopped once that is over.
  private pass(): void {
    this.armed = false;
    if (this.stopped) return;
    if (this.waitWhileBusy()) return;
    let waiting = this.fifo.length;
    try {
      while (waiting > 0 && !this.stopped) {
        const s = this.fifo.slice(0, Math.min(SERIAL_EVENT_MAX, waiting));
        this.fifo = this.fifo.slice(s.length);
        waiting -= s.length;
        for (const fn of this.dataListeners.slice()) fn(s);
        if (this.waitWhileBusy()) return;
      }
      while (this.ready.length && !this.stopped) {
        const t = this.ready.shift()!;
        t.done = true;
        this.timers.delete(t);
        t.fn();
        if (this.waitWhileBusy()) return;
      }
      this.checkErrors();
    } finally {
      if (this.fifo.length || this.ready.length) this.wake();
    }
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
