// Espruino's Linux build as a board on tcp://127.0.0.1:<port>, for tools that talk to a board through
// the espruino command-line tool (tools/flash.mjs). One interpreter for the board's whole life, like
// real hardware: each connection gets its console; Storage is ./espruino.flash in a temp directory.
// The Linux build sometimes dies of SIGSEGV, or garbles a line, while taking an upload: 2v29's Pico-
// sized and default builds alike, fed a recorded upload with no tool in between, not under gdb. Its
// input thread pushes into the event queue that the interpreter pops, and jshInterruptOff() is empty
// there (a board masks the IRQ that pushes). The board then restarts on the same Storage, as a board's
// watchdog would, and counts it: test/flash.test.ts runs an upload that a crash cut again.
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";

export interface TcpBoard {
  port: number;
  dir: string;
  /** Everything the interpreter printed so far, with a line for each crash. */
  output(): string;
  /** How many times the interpreter crashed (and was restarted). */
  crashes(): number;
  /** Runs one line of code on the board's console (as a connected tool would) and waits `ms`. */
  run(code: string, ms?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startTcpBoard(espruino: string): Promise<TcpBoard> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sim900-board-"));
  let out = "";
  let client: net.Socket | null = null;
  let crashes = 0;
  let stopping = false;
  let child!: ChildProcess;
  let exited!: Promise<void>;
  const start = () => {
    // stdin stays an open pipe: at EOF the Linux build reads garbage.
    child = spawn(espruino, [], { cwd: dir, stdio: ["pipe", "pipe", "pipe"] });
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString("latin1");
      if (client && !client.destroyed) client.write(d);
    });
    child.stderr!.on("data", () => undefined);
    child.stdin!.on("error", () => undefined);
    exited = new Promise<void>((r) => child.once("exit", (code, signal) => {
      r();
      if (stopping) return;
      crashes++;
      out += `\n[the interpreter died (${signal || "exit " + code}); restarted on the same Storage]\n`;
      start();
    }));
  };
  start();
  const server = net.createServer((socket) => {
    client?.destroy(); // one console, like a USB port: the newest connection has it
    client = socket;
    // Ctrl-C, which the tool sends on connecting to clear the board's input line, is "exit" to the
    // Linux build (the second one ends it): dropped, as nothing is typed at that point anyway.
    socket.on("data", (d) => {
      const s = d.toString("latin1").replace(/\x03/g, "");
      if (s) child.stdin!.write(Buffer.from(s, "latin1"));
    });
    socket.on("error", () => undefined);
    socket.on("close", () => { if (client === socket) client = null; });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  // Ready once it has printed its banner and prompt.
  for (let i = 0; i < 100 && !out.includes(">"); i++) await new Promise((r) => setTimeout(r, 50));
  return {
    port: (server.address() as net.AddressInfo).port,
    dir,
    output: () => out,
    crashes: () => crashes,
    run: async (code, ms = 300) => {
      child.stdin!.write("\x10" + code + "\n");
      await new Promise((r) => setTimeout(r, ms));
    },
    stop: async () => {
      stopping = true;
      client?.destroy();
      await new Promise<void>((r) => server.close(() => r()));
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        const t = setTimeout(() => child.kill("SIGKILL"), 2000);
        await exited;
        clearTimeout(t);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
