// npm run emulator -- --listen 127.0.0.1:5900 [--log FILE] [--baud N] [--smtp HOST:PORT]
//   [--pop3 HOST:PORT] [--account user:pass] [--latency MS] [--chunk N] [--seed N] [--ft-max N]
//   [--pop3-delivery INITIAL:CHUNK:MS] [--echo 0|1] [--fault SPEC]...
// Serves one emulated modem per TCP connection; see README.md.
import * as fs from "node:fs";
import * as path from "node:path";
import type { MailBackend } from "./backend";
import { applyFaultSpec } from "./faults";
import { createEmulator, EmulatorOptions } from "./modem";
import { createBackend } from "./mail/index";
import { formatEntry } from "./transcript";
import { serveTcp, TcpServer } from "./transports";

export interface CliOptions {
  host: string;
  port: number;
  log?: string;
  baud: number;
  maxChunk?: number;
  seed?: number;
  latencyMs?: number;
  ftMax?: number;
  echo?: boolean;
  pop3Delivery?: EmulatorOptions["pop3Delivery"];
  smtp?: { host: string; port: number };
  pop3?: { host: string; port: number };
  account?: { user: string; pass: string };
  faults: string[];
}

export function parseArgs(argv: string[]): CliOptions {
  const o: CliOptions = { host: "127.0.0.1", port: 5900, baud: 115200, faults: [] };
  const hostPort = (v: string, flag: string) => {
    const m = /^(.*):(\d+)$/.exec(v);
    if (!m) throw new Error(flag + " wants HOST:PORT, got " + v);
    return { host: m[1] || "127.0.0.1", port: Number(m[2]) };
  };
  const int = (v: string, flag: string) => {
    if (!/^\d+$/.test(v)) throw new Error(flag + " wants a number, got " + v);
    return Number(v);
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const v = argv[i + 1];
    if (v === undefined) throw new Error(flag + " needs a value");
    i++;
    switch (flag) {
      case "--listen": { const hp = hostPort(v, flag); o.host = hp.host; o.port = hp.port; break; }
      case "--log": o.log = v; break;
      case "--baud": o.baud = int(v, flag); break;
      case "--chunk": o.maxChunk = int(v, flag); break;
      case "--seed": o.seed = int(v, flag); break;
      case "--latency": o.latencyMs = int(v, flag); break;
      case "--ft-max": o.ftMax = int(v, flag); break;
      case "--echo": o.echo = v !== "0"; break;
      case "--smtp": o.smtp = hostPort(v, flag); break;
      case "--pop3": o.pop3 = hostPort(v, flag); break;
      case "--account": {
        const c = v.indexOf(":");
        if (c < 1) throw new Error("--account wants user:pass");
        o.account = { user: v.slice(0, c), pass: v.slice(c + 1) };
        break;
      }
      case "--pop3-delivery": {
        const [initial, chunk, ms] = v.split(":").map((x) => int(x, flag));
        o.pop3Delivery = { initial, chunk, intervalMs: ms };
        break;
      }
      case "--fault": o.faults.push(v); break;
      default: throw new Error("unknown flag " + flag);
    }
  }
  return o;
}

/** The mail system of ./mail: embedded SMTP/POP3 servers unless --smtp/--pop3 point elsewhere. */
export function makeBackend(o: CliOptions): MailBackend {
  return createBackend({
    smtp: o.smtp ? o.smtp.host + ":" + o.smtp.port : undefined,
    pop3: o.pop3 ? o.pop3.host + ":" + o.pop3.port : undefined,
    accounts: o.account ? [o.account] : undefined,
  });
}

/** Starts the TCP server; resolves once it listens. */
export async function startCli(o: CliOptions, backend?: MailBackend): Promise<TcpServer & { backend: MailBackend }> {
  const mail = backend ?? makeBackend(o);
  const log = o.log ? fs.createWriteStream(o.log, { flags: "a" }) : null;
  let connections = 0;
  const server = await serveTcp({
    host: o.host,
    port: o.port,
    createModem: (socket) => {
      const id = ++connections;
      const modem = createEmulator({
        backend: mail, baud: o.baud, maxChunk: o.maxChunk, seed: o.seed, latencyMs: o.latencyMs,
        ftMax: o.ftMax, echo: o.echo, pop3Delivery: o.pop3Delivery,
      });
      for (const spec of o.faults) applyFaultSpec(modem.faults, spec);
      if (log) {
        log.write("# connection " + id + " from " + socket.remoteAddress + ":" + socket.remotePort + "\n");
        modem.transcript.onEntry = (e) => log.write("#" + id + formatEntry(e) + "\n");
      }
      return modem;
    },
  });
  const close = server.close;
  return {
    ...server,
    backend: mail,
    close: async () => {
      await close();
      log?.end();
    },
  };
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const server = await startCli(o);
  process.stderr.write("sim900-emulator listening on " + server.host + ":" + server.port + "\n");
  const stop = () => void server.close().then(() => server.backend.close()).then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

// Run as a program (tsx cli.ts), not when imported by tests.
if (process.argv[1] && path.resolve(process.argv[1]).replace(/\.ts$/, "") === __filename.replace(/\.ts$/, "")) {
  main().catch((e: Error) => {
    process.stderr.write("sim900-emulator: " + e.message + "\n");
    process.exit(2);
  });
}
