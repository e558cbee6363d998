// Ways to reach an emulated modem: an in-process port shaped like Espruino's Serial1, and a TCP
// server with one modem per connection (for cli.ts and for firmware running elsewhere).
import * as net from "node:net";
import type { Emulator } from "./modem";

/** Espruino's Serial: write(string), on('data') with binary strings (one char per byte). */
export interface HostPort {
  write(data: string): void;
  on(event: "data", fn: (data: string) => void): void;
  removeListener(event: "data", fn: (data: string) => void): void;
  removeAllListeners(event?: string): void;
}

/** Espruino hands serial input over in 'data' events of at most this many characters. */
export const PORT_EVENT_MAX = 64;

export interface EmulatorPort extends HostPort {
  /** Bytes the listeners receive next, as if the modem had sent them (noise, a URC out of turn). */
  inject(data: string): void;
  listenerCount(): number;
  close(): void;
}

/**
 * Wires a port to the emulator. Output reaches 'data' listeners asynchronously (as on a board,
 * never inside write()) and in pieces of at most 64 characters, in order.
 */
export function createPort(emulator: Emulator, maxEvent = PORT_EVENT_MAX): EmulatorPort {
  let listeners: Array<(data: string) => void> = [];
  const queue: string[] = [];
  let scheduled = false;
  const deliver = () => {
    scheduled = false;
    while (queue.length) {
      const s = queue.shift()!;
      for (const fn of listeners.slice()) fn(s);
    }
  };
  const enqueue = (s: string) => {
    for (let i = 0; i < s.length; i += maxEvent) queue.push(s.slice(i, i + maxEvent));
    if (!scheduled) {
      scheduled = true;
      setImmediate(deliver);
    }
  };
  const onData = (chunk: Buffer) => enqueue(chunk.toString("latin1"));
  emulator.on("data", onData);
  return {
    write: (data) => emulator.input(Buffer.from(data, "latin1")),
    on: (_event, fn) => void listeners.push(fn),
    removeListener: (_event, fn) => void (listeners = listeners.filter((l) => l !== fn)),
    removeAllListeners: () => void (listeners = []),
    inject: enqueue,
    listenerCount: () => listeners.length,
    // Detaches from the emulator; listeners stay, so a test can see what the module left attached.
    close: () => void emulator.removeListener("data", onData),
  };
}

export interface TcpServerOptions {
  host?: string;          // default 127.0.0.1
  port?: number;          // 0 = ephemeral
  /** Makes the modem for one connection (a new emulator each time). */
  createModem(socket: net.Socket): Emulator;
}

export interface TcpServer { host: string; port: number; server: net.Server; close(): Promise<void> }

/** One modem per TCP connection; bytes pass through unchanged in both directions. */
export function serveTcp(opts: TcpServerOptions): Promise<TcpServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    const modem = opts.createModem(socket);
    modem.on("data", (chunk: Buffer) => {
      if (!socket.destroyed) socket.write(chunk);
    });
    socket.on("data", (data) => modem.input(data));
    socket.on("error", () => socket.destroy());
    socket.on("close", () => {
      sockets.delete(socket);
      modem.close();
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => {
      const addr = server.address() as net.AddressInfo;
      resolve({
        host: addr.address,
        port: addr.port,
        server,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
