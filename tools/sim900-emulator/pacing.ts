// Delivers modem output like a UART would: at a baud rate (10 bits per byte, 8N1) and in arbitrary
// chunks, so host code cannot rely on a response arriving in one piece or instantly.
import { Rng, randInt } from "./rng";

export interface PacingOptions {
  /** Bits per second; 0 = unpaced (output is delivered synchronously). Default 115200. */
  baud?: number;
  /** Largest chunk handed to the sink; each chunk gets a random size in [1, maxChunk]. 0/undefined = whole writes. */
  maxChunk?: number;
}

interface Queued {
  chunk: Buffer;
  /** performance.now() ms when its last byte has left the wire; fixed when queued. */
  due: number;
}

export class Pacer {
  private queue: Queued[] = [];
  private timer: NodeJS.Timeout | null = null;
  private lastDue = 0; // due time of the last chunk queued
  private waiters: Array<() => void> = [];
  baud: number;
  maxChunk: number;

  constructor(opts: PacingOptions, public rng: Rng, private sink: (chunk: Buffer) => void) {
    this.baud = opts.baud ?? 115200;
    this.maxChunk = opts.maxChunk ?? 0;
  }

  configure(opts: PacingOptions): void {
    if (opts.baud !== undefined) this.baud = opts.baud;
    if (opts.maxChunk !== undefined) this.maxChunk = opts.maxChunk;
  }

  write(data: Buffer): void {
    if (data.length === 0) return;
    // A chunk starts on the wire when the one before it has left, or now if the line is idle.
    const now = performance.now();
    for (const chunk of this.split(data)) {
      const start = Math.max(this.lastDue, now);
      this.lastDue = this.baud > 0 ? start + (chunk.length * 10 * 1000) / this.baud : now;
      this.queue.push({ chunk, due: this.lastDue });
    }
    if (this.baud <= 0) this.flushNow();
    else this.arm();
  }

  /** Resolves when everything written so far has been delivered. */
  idle(): Promise<void> {
    if (this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Drops undelivered output (the modem lost power). */
  discard(): void {
    this.queue = [];
    this.lastDue = 0;
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
    while (this.queue.length) this.sink(this.queue.shift()!.chunk);
    this.notifyIdle();
  }

  // One timer, for the head of the queue. Node may fire it up to a millisecond early (its clock is
  // whole ms): tick() then just re-arms for what is left, the due time itself never moves.
  private arm(): void {
    if (this.timer || this.queue.length === 0) return;
    this.timer = setTimeout(() => this.tick(), Math.max(0, this.queue[0].due - performance.now()));
  }

  // Emits every chunk whose last byte has left the wire by now; timers are ms-coarse, so a tick
  // may deliver several small chunks (each still its own sink call) to keep the average rate right.
  private tick(): void {
    this.timer = null;
    while (this.queue.length && this.queue[0].due <= performance.now()) this.sink(this.queue.shift()!.chunk);
    if (this.queue.length) this.arm();
    else this.notifyIdle();
  }

  private notifyIdle(): void {
    if (this.queue.length) return;
    const w = this.waiters;
    this.waiters = [];
    for (const fn of w) fn();
  }
}
