// A record of both directions, for --log FILE and for tests that want to look back.

export interface TranscriptEntry { t: number; dir: "in" | "out"; data: Buffer }

export class Transcript {
  readonly entries: TranscriptEntry[] = [];
  private start = performance.now();
  /** Also called for every entry (the CLI streams the log to a file). */
  onEntry: ((e: TranscriptEntry) => void) | null = null;

  add(dir: "in" | "out", data: Buffer): void {
    const e = { t: performance.now() - this.start, dir, data: Buffer.from(data) };
    this.entries.push(e);
    this.onEntry?.(e);
  }

  /** Everything that went one way, concatenated. */
  bytes(dir: "in" | "out"): Buffer {
    return Buffer.concat(this.entries.filter((e) => e.dir === dir).map((e) => e.data));
  }
}

/** One line per entry: "   12.345 >> AT\r" (>> host to modem, << modem to host), bytes escaped. */
export function formatEntry(e: TranscriptEntry): string {
  return e.t.toFixed(3).padStart(10) + (e.dir === "in" ? " >> " : " << ") + escapeBytes(e.data);
}

export function escapeBytes(data: Buffer): string {
  let s = "";
  for (const c of data) {
    if (c === 13) s += "\\r";
    else if (c === 10) s += "\\n";
    else if (c === 92) s += "\\\\";
    else if (c >= 32 && c < 127) s += String.fromCharCode(c);
    else s += "\\x" + c.toString(16).padStart(2, "0");
  }
  return s;
}
