// The host side of the modem's serial line, shaped like Espruino's Serial1: write(binary string) and
// 'data' events with binary strings (one char per byte). A serial port through the `serialport`
// package, or tcp://HOST:PORT for the emulator's TCP server (npm run emulator -- --listen ...).
import * as net from "node:net";

export interface HostSerial {
  write(data: string): void;
  on(event: "data", fn: (data: string) => void): void;
  removeListener(event: "data", fn: (data: string) => void): void;
  removeAllListeners(event?: string): void;
  /** Called once if the line fails or closes before close() was called. */
  onLost(fn: (err: Error) => void): void;
  close(): Promise<void>;
}

/** Error opening or using the port (exit code 6). */
export class PortError extends Error {}

/** Espruino hands serial input over in events of at most 64 characters; so do we. */
const EVENT_MAX = 64;

export async function openPort(spec: string, baud: number): Promise<HostSerial> {
  let listeners: Array<(data: string) => void> = [];
  let lost: ((err: Error) => void) | undefined;
  let closing = false;
  const deliver = (chunk: Buffer) => {
    const s = chunk.toString("latin1");
    for (let i = 0; i < s.length; i += EVENT_MAX) {
      const part = s.slice(i, i + EVENT_MAX);
      for (const fn of listeners.slice()) fn(part);
    }
  };
  const fail = (err: Error) => {
    if (closing) return;
    closing = true;
    if (lost) lost(err);
  };
  const base = {
    on: (_e: "data", fn: (data: string) => void) => void listeners.push(fn),
    removeListener: (_e: "data", fn: (data: string) => void) => void (listeners = listeners.filter((l) => l !== fn)),
    removeAllListeners: () => void (listeners = []),
    onLost: (fn: (err: Error) => void) => void (lost = fn),
  };

  const tcp = /^tcp:\/\/(\[[^\]]+\]|[^:/]+):(\d+)\/?$/.exec(spec);
  if (tcp) {
    const host = tcp[1].replace(/^\[|\]$/g, "");
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const s = net.connect({ host, port: Number(tcp[2]) });
      s.once("connect", () => resolve(s));
      s.once("error", (e) => reject(new PortError("cannot connect to " + spec + ": " + e.message)));
    });
    socket.setNoDelay(true);
    socket.on("data", deliver);
    socket.on("error", (e) => fail(new PortError(spec + ": " + e.message)));
    socket.on("close", () => fail(new PortError(spec + ": connection closed")));
    return {
      ...base,
      write: (data) => void socket.write(Buffer.from(data, "latin1")),
      close: () => {
        closing = true;
        return new Promise<void>((resolve) => {
          if (socket.destroyed) return resolve();
          socket.once("close", () => resolve());
          socket.end();
          setTimeout(() => socket.destroy(), 500).unref();
        });
      },
    };
  }
  if (/^[a-z]+:\/\//i.test(spec)) throw new PortError("unsupported port " + spec + " (a device path or tcp://HOST:PORT)");

  let SerialPort: typeof import("serialport").SerialPort;
  try {
    SerialPort = (await import("serialport")).SerialPort;
  } catch (e) {
    throw new PortError("the serialport package could not be loaded: " + (e as Error).message);
  }
  const port = await new Promise<InstanceType<typeof SerialPort>>((resolve, reject) => {
    const p = new SerialPort({ path: spec, baudRate: baud, autoOpen: false });
    p.open((err) => (err ? reject(new PortError("cannot open " + spec + ": " + err.message)) : resolve(p)));
  });
  port.on("data", deliver);
  port.on("error", (e: Error) => fail(new PortError(spec + ": " + e.message)));
  port.on("close", () => fail(new PortError(spec + ": port closed")));
  return {
    ...base,
    write: (data) => void port.write(Buffer.from(data, "latin1"), (err) => err && fail(new PortError(spec + ": " + err.message))),
    close: () => {
      closing = true;
      return new Promise<void>((resolve) => {
        if (!port.isOpen) return resolve();
        port.drain(() => port.close(() => resolve()));
      });
    },
  };
}
