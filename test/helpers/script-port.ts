// A fake serial port for unit tests: records what the module writes and lets the test answer.
export interface ScriptPort {
  written: string[];
  write(data: string): void;
  on(event: string, fn: (d: string) => void): void;
  removeListener(event: string, fn: (d: string) => void): void;
  /** Delivers modem output to the module in chunks of at most 64 bytes, like Espruino's Serial. */
  feed(data: string): void;
  listeners: number;
  onWrite?: (data: string) => void;
}

export function scriptPort(): ScriptPort {
  let fns: ((d: string) => void)[] = [];
  const p: ScriptPort = {
    written: [],
    write(data) {
      p.written.push(data);
      if (p.onWrite) p.onWrite(data);
    },
    on(_e, fn) { fns.push(fn); p.listeners = fns.length; },
    removeListener(_e, fn) { fns = fns.filter((f) => f !== fn); p.listeners = fns.length; },
    feed(data) {
      for (let i = 0; i < data.length; i += 64) for (const f of fns) f(data.slice(i, i + 64));
    },
    listeners: 0,
  };
  return p;
}
