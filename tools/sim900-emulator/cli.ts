// npm run emulator -- --listen 127.0.0.1:5900 [--model sim900|sim800] [--log FILE] [--baud N]
//   [--smtp HOST:PORT] [--pop3 HOST:PORT] [--account user:pass] [--latency MS] [--chunk N] [--seed N]
//   [--ft-max N] [--pop3-delivery INITIAL:CHUNK:MS] [--echo 0|1] [--fault SPEC]...  (--help: HELP below)
// Serves one emulated modem per TCP connection; see README.md.
import * as fs from "node:fs";
import * as path from "node:path";
import type { MailBackend } from "./backend";
import { dialectOf, Model, MODELS } from "./dialect";
import { applyFaultSpec, Faults } from "./faults";
import { createEmulator, EmulatorOptions } from "./modem";
import { createBackend } from "./mail/index";
import { formatEntry } from "./transcript";
import { serveTcp, TcpServer } from "./transports";

export interface CliOptions {
  host: string;
  port: number;
  /** --model: which modem each connection gets. Default sim900. */
  model?: Model;
  /** --help was given: print HELP and exit. */
  help?: boolean;
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

export const HELP = `Usage: npm run emulator -- [options]
Serves one emulated SIMCom modem (email AT commands) per TCP connection. See tools/sim900-emulator/README.md.

  --listen HOST:PORT         where to listen (default 127.0.0.1:5900)
  --model sim900|sim800      which modem (default sim900). sim800: ATI "SIM800 R14.18", AT+CGMM
                             "SIMCOM_SIM800", AT+SMTPBODY=<length> -> DOWNLOAD then exactly <length>
                             raw bytes (no prompt, no Ctrl-Z/ESC), no AT+EMAILSSL (ERROR) and no
                             codes 80-84, code 69 also on +POP3IN/+POP3OUT
  --log FILE                 append a transcript of both directions
  --baud N                   output pacing in bit/s, 0 = unpaced (default 115200)
  --chunk N                  split output into random chunks of 1..N bytes
  --seed N                   RNG seed for chunking and noise (default 1)
  --latency MS               delay of each network step (default 0)
  --ft-max N                 <maxLength> of "+SMTPFT: 1,<maxLength>" (default 1360)
  --echo 0|1                 echo at power-up (default 1)
  --pop3-delivery I:C:MS     POP3 responses arrive I bytes at once, then C bytes every MS ms
  --smtp HOST:PORT           an outside SMTP server instead of the embedded one
  --pop3 HOST:PORT           an outside POP3 server instead of the embedded one
  --account USER:PASS        the embedded servers' account (default unit7:secret)
  --fault SPEC               a fault for every connection, repeatable; ":always" repeats it:
                               smtpsend:CODE[:connect]  pop3in:CODE  pop3out:CODE
                               pop3cmd:POP3NUM|POP3LIST|POP3UIDL|POP3CMD|POP3READ|POP3DEL|POP3RSET|POP3OUT:CODE
                               error:CMD  silence:CMD  reboot:CMD
                               drop-attachment:BYTES  drop-pop3read:BYTES  noise:P
                             a code the model never reports there (sim900: 69 on pop3in/pop3out;
                             sim800: 80-84) is refused at start-up
  --help                     this text
`;

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
    if (flag === "--help" || flag === "-h") {
      o.help = true;
      continue;
    }
    const v = argv[i + 1];
    if (v === undefined) throw new Error(flag + " needs a value");
    i++;
    switch (flag) {
      case "--listen": { const hp = hostPort(v, flag); o.host = hp.host; o.port = hp.port; break; }
      case "--model":
        if ((MODELS as readonly string[]).indexOf(v) < 0) throw new Error("--model wants " + MODELS.join(" or ") + ", got " + v);
        o.model = v as Model;
        break;
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
  // Every fault spec must parse and suit the model before anything listens (each connection applies them again).
  for (const spec of o.faults) applyFaultSpec(new Faults(dialectOf(o.model)), spec);
  const mail = backend ?? makeBackend(o);
  const log = o.log ? fs.createWriteStream(o.log, { flags: "a" }) : null;
  let connections = 0;
  const server = await serveTcp({
    host: o.host,
    port: o.port,
    createModem: (socket) => {
      const id = ++connections;
      const modem = createEmulator({
        backend: mail, model: o.model, baud: o.baud, maxChunk: o.maxChunk, seed: o.seed, latencyMs: o.latencyMs,
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
  if (o.help) {
    process.stdout.write(HELP);
    return;
  }
  const server = await startCli(o);
  process.stderr.write("sim900-emulator (" + (o.model ?? "sim900") + ") listening on " + server.host + ":" + server.port + "\n");
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
