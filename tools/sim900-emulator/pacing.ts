// Delivers modem output like a UART would: at a baud rate (10 bits per byte, 8N1) and in arbitrary
// chunks, so host code cannot rely on a response arriving in one piece or instantly.
import { Rng, randInt } from "./rng";

export interface PacingOptions {
  /** Bits per second; 0 = unpaced (output is delivered synchronously). Default 115200. */
  baud?: number;
  /** Largest chunk handed to the sink; each chunk gets a random size in [1, maxChunk]. 0/undefined = whole writes. */
  maxChunk?: number;
}

export class Pacer {
  private queue: Buffer[] = [];
  private timer: NodeJS.Timeout | null = null;
  private clock = 0; // when the last scheduled byte leaves the wire (performance.now() ms)
  private waiters: Array<() => void> = [];
  baud: number;
  maxChunk: number;

  constructor(opts: PacingOptions, private rng: Rng, private sink: (chunk: Buffer) => void) {
    this.baud = opts.baud ?? 115200;
    this.maxChunk = opts.maxChunk ?? 0;
  }

  configure(opts: PacingOptions): void {
    if (opts.baud !== undefined) this.baud = opts.baud;
    if (opts.maxChunk !== undefined) this.maxChunk = opts.maxChunk;
  }

  write(data: Buffer): void {
    if (data.length === 0) return;
    for (const chunk of this.split(data)) this.queue.push(chunk);
    if (this.baud <= 0) this.flushNow();
    else this.schedule();
  }

  /** Resolves when everything written so far has been delivered. */
  idle(): Promise<void> {
    if (this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Drops undelivered output (the modem lost power). */
  discard(): void {
    this.queue = [];
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.notifyIdle();
  }

  private split(data: Buffer): Buffer[] {
    if (!this.maxChunk || data.length <= 1) return [data];
    const out: Buffer[] = [];
    for (let i = 0; i < data.length; ) {
      const n = randInt(this.rng, 1, this.maxChunk);
      out.push(data.subarray(i, i + n));
      i += n;
    }
    return out;
  }

  private flushNow(): void {
    // A sink may write again (re-entrancy); the loop picks that up in order.
    while (this.queue.length) this.sink(this.queue.shift()!);
    this.notifyIdle();
  }

  private schedule(): void {
    if (this.timer || this.queue.length === 0) return;
    const now = performance.now();
    if (this.clock < now) this.clock = now;
    const due = this.clock + (this.queue[0].length * 10 * 1000) / this.baud;
    this.timer = setTimeout(() => this.tick(), Math.max(0, due - now));
  }

  // Emits every chunk whose last byte has left the wire by now; timers are ms-coarse, so a tick
  // may deliver several small chunks (each still its own sink call) to keep the average rate right.
  private tick(): void {
    this.timer = null;
    const now = performance.now();
    while (this.queue.length) {
      const due = this.clock + (this.queue[0].length * 10 * 1000) / this.baud;
      if (due > now + 0.5) break;
      this.clock = due;
      this.sink(this.queue.shift()!);
    }
    if (this.queue.length) this.schedule();
    else this.notifyIdle();
  }

  private notifyIdle(): void {
    if (this.queue.length) return;
    const w = this.waiters;
    this.waiters = [];
    for (const fn of w) fn();
  }
}
