// sim900-email: the module's own dist bundle, run in the Espruino-like sandbox of the tests, driving
// a SIM900 on a serial port (or the emulator over tcp://). See help.ts for commands and exit codes.
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs, ParseArgsConfig } from "node:util";
import { loadBundle, realHost } from "../sandbox";
import { EXIT, HELP } from "./help";
import { openPort, HostSerial, PortError } from "./port";
import { DIALECTS, identify } from "../../src/dialect";
import type { Channel } from "../../src/at/channel";
import { explain } from "../result-codes";

// tools/cli/ in a clone and dist/cli/ in the installed package are both two levels below the root.
const ROOT = path.join(__dirname, "..", "..");
export const BUNDLE = path.join(ROOT, "dist", "sim900-email.js");
/** The module's AT channel alone (tools/cli/rollup.config.mjs), for probe's raw commands. */
export const CHANNEL_BUNDLE = path.join(ROOT, "dist", "cli", "at-channel.js");

class Exit extends Error {
  constructor(readonly code: number, message: string) { super(message); }
}
const usage = (msg: string) => new Exit(EXIT.USAGE, msg);

export const COMMON_FLAGS: ParseArgsConfig["options"] = {
  port: { type: "string" }, baud: { type: "string" }, timeout: { type: "string" },
  "at-timeout": { type: "string" }, "register-timeout": { type: "string" },
  apn: { type: "string" }, "apn-user": { type: "string" }, cid: { type: "string" },
  ssl: { type: "string" }, modem: { type: "string" }, chunk: { type: "string" }, config: { type: "string" },
  log: { type: "string" }, "no-progress": { type: "boolean" }, help: { type: "boolean", short: "h" },
};
export const FLAGS: Record<string, ParseArgsConfig["options"]> = {
  send: {
    smtp: { type: "string" }, user: { type: "string" }, from: { type: "string" }, "from-name": { type: "string" },
    to: { type: "string", multiple: true }, cc: { type: "string", multiple: true }, bcc: { type: "string", multiple: true },
    subject: { type: "string" }, body: { type: "string" }, "body-file": { type: "string" },
    attach: { type: "string" }, "attach-name": { type: "string" }, "attach-as": { type: "string" },
  },
  inbox: { pop3: { type: "string" }, user: { type: "string" }, json: { type: "boolean" } },
  read: { pop3: { type: "string" }, user: { type: "string" }, top: { type: "string" }, out: { type: "string" } },
  delete: { pop3: { type: "string" }, user: { type: "string" } },
  probe: {},
};
const POSITIONAL: Record<string, number> = { send: 0, inbox: 0, read: 1, delete: 1, probe: 0 };

/** Settings after flags, environment and config file are merged. */
interface Settings {
  port?: string; baud: number; timeout?: number; atTimeout?: number; registerTimeout?: number;
  apn?: string; apnUser?: string; apnPassword?: string; cid?: number; ssl?: boolean; modem?: string; chunk?: number;
  log?: string; progress: boolean;
  smtp?: { host: string; port: number }; pop3?: { host: string; port: number };
  smtpUser?: string; smtpPassword?: string; pop3User?: string; pop3Password?: string;
  from?: string; fromName?: string;
}

function hostPort(v: string, what: string, dflt: number) {
  const m = /^([^:\s]+)(?::(\d{1,5}))?$/.exec(v);
  if (!m) throw usage(what + " wants HOST[:PORT], got " + JSON.stringify(v));
  return { host: m[1], port: m[2] ? Number(m[2]) : dflt };
}
function num(v: unknown, what: string, min: number, max: number): number | undefined {
  if (v === undefined || v === "") return undefined;
  const n = typeof v === "number" ? v : /^\d+$/.test(String(v)) ? Number(v) : NaN;
  if (!(n >= min && n <= max)) throw usage(what + " wants a whole number " + min + ".." + max + ", got " + JSON.stringify(v));
  return n;
}
function onOff(v: unknown, what: string): boolean | undefined {
  if (v === undefined || v === "") return undefined;
  if (v === true || v === "on" || v === "1" || v === "true") return true;
  if (v === false || v === "off" || v === "0" || v === "false") return false;
  throw usage(what + " wants on or off, got " + JSON.stringify(v));
}

function settings(flags: Record<string, any>, env: NodeJS.ProcessEnv): Settings {
  let file: Record<string, any> = {};
  const cfg = flags.config ?? env.SIM900_CONFIG;
  if (cfg) {
    try {
      file = JSON.parse(fs.readFileSync(cfg, "utf8"));
    } catch (e) {
      throw usage("cannot read config file " + cfg + ": " + (e as Error).message);
    }
    if (!file || typeof file !== "object" || Array.isArray(file)) throw usage("config file " + cfg + " is not a JSON object");
  }
  const pick = (flag: string | undefined, ...rest: unknown[]) => {
    const all = [flag === undefined ? undefined : flags[flag], ...rest];
    for (const v of all) if (v !== undefined && v !== "") return v as any;
    return undefined;
  };
  const smtp = pick("smtp", env.SIM900_SMTP, file.smtp);
  const pop3 = pick("pop3", env.SIM900_POP3, file.pop3);
  return {
    port: pick("port", env.SIM900_PORT, file.port),
    baud: num(pick("baud", env.SIM900_BAUD, file.baud), "--baud", 300, 4000000) ?? 115200,
    timeout: num(pick("timeout", file.timeout), "--timeout", 10, 120),
    atTimeout: num(pick("at-timeout", file.atTimeout), "--at-timeout", 100, 600000),
    registerTimeout: num(pick("register-timeout", file.registerTimeout), "--register-timeout", 1, 3600),
    apn: pick("apn", env.SIM900_APN, file.apn),
    apnUser: pick("apn-user", env.SIM900_APN_USER, file.apnUser),
    apnPassword: pick(undefined, env.SIM900_APN_PASSWORD, file.apnPassword),
    cid: num(pick("cid", file.cid), "--cid", 1, 3),
    ssl: onOff(pick("ssl", file.ssl), "--ssl"),
    modem: model(pick("modem", file.modem)),
    chunk: num(pick("chunk", file.chunk), "--chunk", 1, 1460),
    log: pick("log", file.log),
    progress: !flags["no-progress"] && !!process.stderr.isTTY,
    smtp: smtp ? hostPort(String(smtp), "--smtp", 25) : undefined,
    pop3: pop3 ? hostPort(String(pop3), "--pop3", 110) : undefined,
    smtpUser: pick("user", env.SIM900_SMTP_USER, env.SIM900_USER, file.smtpUser, file.user),
    smtpPassword: pick(undefined, env.SIM900_SMTP_PASSWORD, env.SIM900_PASSWORD, file.smtpPassword, file.password),
    pop3User: pick("user", env.SIM900_POP3_USER, env.SIM900_USER, file.pop3User, file.user),
    pop3Password: pick(undefined, env.SIM900_POP3_PASSWORD, env.SIM900_PASSWORD, file.pop3Password, file.password),
    from: pick("from", env.SIM900_FROM, file.from),
    fromName: pick("from-name", file.fromName),
  };
}

/** --modem sim900|sim800, or undefined (connect() asks the modem). */
function model(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  if (v !== "sim900" && v !== "sim800") throw usage("--modem must be sim900 or sim800");
  return v;
}

/** A UTF-8 host string as Espruino holds it: one char per byte. */
const bytes = (s: string) => Buffer.from(s, "utf8").toString("latin1");

function makeLog(file: string | undefined): { fn?: (line: string) => void; end(): Promise<void> } {
  if (!file) return { end: async () => undefined };
  let out: fs.WriteStream;
  try {
    fs.appendFileSync(file, "");
    out = fs.createWriteStream(file, { flags: "a" });
  } catch (e) {
    throw usage("cannot write log file " + file + ": " + (e as Error).message);
  }
  return {
    fn: (line) => void out.write(new Date().toISOString() + " " + line.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, (c) => "\\x" + c.charCodeAt(0).toString(16).padStart(2, "0")) + "\n"),
    end: () => new Promise<void>((resolve) => out.end(resolve)),
  };
}

async function progressBar(show: boolean, total: number, unit: string) {
  if (!show || !(total > 0)) return { update: (_n: number) => undefined, stop: () => undefined };
  const { SingleBar, Presets } = await import("cli-progress");
  const bar = new SingleBar(
    { format: unit + " [{bar}] {percentage}% | {value}/{total} bytes | {eta_formatted}", stream: process.stderr, hideCursor: true, clearOnComplete: false },
    Presets.shades_classic,
  );
  bar.start(total, 0);
  return { update: (n: number) => bar.update(Math.min(n, total)), stop: () => bar.stop() };
}

const say = (s: string) => process.stderr.write(s + "\n");

/** err from the module → exit code for the operation that failed. */
function codeOf(err: any, fallback: number, lostPort: Error | null): number {
  if (lostPort || (err && err.type === "CLOSED")) return EXIT.PORT;
  return fallback;
}
/** The error's message, and for a result code the manual's text (the board carries only the code). */
function describe(err: any): string {
  return err && err.message ? explain(err) : String(err);
}

/** Opens the port and the module, runs `body`, and always closes the modem session and the port. */
async function withMail(s: Settings, log: (line: string) => void | undefined, body: (mail: any, lost: () => Error | null) => Promise<number>): Promise<number> {
  if (!s.port) throw usage("no --port given (or SIM900_PORT)");
  if (!fs.existsSync(BUNDLE)) throw new Exit(EXIT.INTERNAL, BUNDLE + " is missing: run npm run build");
  const modules: Record<string, unknown> = {};
  const lib = loadBundle(BUNDLE, { ...realHost(), modules });
  // the module's parts, beside it as on a board; each takes its helpers from the module itself
  modules["sim900-email"] = lib;
  for (const p of ["send", "pop3", "fetch", "hex"]) modules["sim900-email-" + p] = loadBundle(path.join(ROOT, "dist", "sim900-email-" + p + ".js"), { ...realHost(), modules });
  const port = await openPort(s.port, s.baud);
  let lostErr: Error | null = null;
  let abort: ((e: Error) => void) | undefined;
  const lostP = new Promise<never>((_r, reject) => { abort = reject; });
  lostP.catch(() => undefined);
  port.onLost((e) => { lostErr = e; abort!(e); });
  const options: Record<string, unknown> = {
    apn: s.apn ?? "", apnUser: s.apnUser, apnPassword: s.apnPassword, cid: s.cid, timeout: s.timeout,
    atTimeout: s.atTimeout, registerTimeout: s.registerTimeout, chunk: s.chunk, log,
  };
  if (s.ssl !== undefined) options.ssl = s.ssl;
  if (s.modem) options.modem = s.modem;
  if (s.smtp) options.smtp = { host: s.smtp.host, port: s.smtp.port, user: s.smtpUser, password: s.smtpPassword };
  if (s.pop3) options.pop3 = { host: s.pop3.host, port: s.pop3.port, user: s.pop3User, password: s.pop3Password };
  const from = s.from ?? (s.smtpUser && s.smtpUser.indexOf("@") > 0 ? s.smtpUser : undefined);
  if (from) options.from = { address: from, name: s.fromName };
  for (const k of Object.keys(options)) if (options[k] === undefined) delete options[k];

  let mail: any;
  const race = <T>(p: Promise<T>) => Promise.race([p, lostP]);
  const onSignal = () => {
    say("interrupted");
    const done = () => { void port.close().then(() => process.exit(EXIT.INTERRUPTED)); };
    if (mail) mail.close(done); else done();
    setTimeout(() => process.exit(EXIT.INTERRUPTED), 3000).unref();
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    try {
      await race(new Promise<void>((resolve, reject) => {
        mail = lib.connect(port, options, (err: any) => (err ? reject(err) : resolve()));
      }));
    } catch (err) {
      if (lostErr) throw new Exit(EXIT.PORT, describe(lostErr));
      throw new Exit(EXIT.MODEM, "modem not ready: " + describe(err));
    }
    try {
      return await race(body(mail, () => lostErr));
    } catch (err) {
      if (lostErr) throw new Exit(EXIT.PORT, describe(lostErr));
      throw err;
    }
  } finally {
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
    if (mail && !lostErr) await Promise.race([new Promise<void>((r) => mail.close(() => r())), new Promise((r) => setTimeout(r, 15000).unref())]);
    await port.close();
  }
}

const call = (mail: any, method: string, ...args: unknown[]) =>
  new Promise<[any, any]>((resolve) => mail[method](...args, (err: any, res: any) => resolve([err, res])));

async function cmdSend(s: Settings, f: Record<string, any>, log?: (l: string) => void): Promise<number> {
  if (!s.smtp) throw usage("send needs --smtp HOST[:PORT] (or SIM900_SMTP)");
  if (!f.to || !f.to.length) throw usage("send needs at least one --to ADDRESS");
  if (f.body !== undefined && f["body-file"] !== undefined) throw usage("give --body or --body-file, not both");
  const from = s.from ?? (s.smtpUser && s.smtpUser.indexOf("@") > 0 ? s.smtpUser : undefined);
  if (!from) throw usage("send needs --from ADDRESS (or SIM900_FROM, or a user name that is an address)");
  if (s.smtpUser && s.smtpPassword === undefined) throw usage("no SMTP password: set SIM900_SMTP_PASSWORD or SIM900_PASSWORD, or put it in --config");
  let body = "";
  try {
    if (f["body-file"] !== undefined) body = fs.readFileSync(f["body-file"], "utf8");
    else if (f.body === "-") body = fs.readFileSync(0, "utf8");
    else if (f.body !== undefined) body = f.body;
  } catch (e) {
    throw usage("cannot read the body: " + (e as Error).message);
  }
  let attachment: any;
  let fd: number | undefined;
  let total = 0;
  if (f.attach !== undefined) {
    const as = f["attach-as"] ?? "binary";
    if (as !== "binary" && as !== "text") throw usage("--attach-as wants binary or text");
    try {
      fd = fs.openSync(f.attach, "r");
      total = fs.fstatSync(fd).size;
    } catch (e) {
      throw usage("cannot read attachment: " + (e as Error).message);
    }
    const file = fd;
    const buf = Buffer.alloc(1460);
    attachment = {
      name: bytes(f["attach-name"] ?? path.basename(f.attach)),
      binary: as === "binary",
      read: (max: number) => {
        const n = fs.readSync(file, buf, 0, Math.min(max, buf.length), null);
        return n > 0 ? buf.toString("latin1", 0, n) : "";
      },
    };
  }
  try {
    return await withMail(s, log!, async (mail) => {
      const bar = await progressBar(s.progress && !!attachment, total, "upload  ");
      const [err, info] = await call(mail, "send", {
        to: f.to, cc: f.cc, bcc: f.bcc,
        subject: bytes(f.subject ?? ""), body: bytes(body),
        attachment, progress: (n: number) => bar.update(n),
      });
      bar.stop();
      if (err) {
        say("send failed: " + describe(err));
        return codeOf(err, EXIT.SMTP, null);
      }
      say("sent: " + info.commands + " AT commands, " + info.size + " attachment bytes");
      return EXIT.OK;
    });
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function needPop3(s: Settings, what: string) {
  if (!s.pop3) throw usage(what + " needs --pop3 HOST[:PORT] (or SIM900_POP3)");
  if (!s.pop3User) throw usage(what + " needs --user NAME (or SIM900_POP3_USER / SIM900_USER)");
  if (s.pop3Password === undefined) throw usage("no POP3 password: set SIM900_POP3_PASSWORD or SIM900_PASSWORD, or put it in --config");
}

function msgNumber(v: string | undefined): number {
  if (v === undefined) throw usage("which message? give its number N (see 'inbox')");
  const n = num(v, "N", 1, 65535);
  return n!;
}

async function cmdInbox(s: Settings, f: Record<string, any>, log?: (l: string) => void): Promise<number> {
  needPop3(s, "inbox");
  return withMail(s, log!, async (mail) => {
    const [err, list] = await call(mail, "list");
    if (err) {
      say("inbox failed: " + describe(err));
      return codeOf(err, EXIT.POP3, null);
    }
    const rows = (list as any[]).map((m) => ({ n: m.n, size: m.size, uid: m.uid }));
    if (f.json) {
      process.stdout.write(JSON.stringify(rows, null, 2) + "\n");
      return EXIT.OK;
    }
    const wn = Math.max(1, ...rows.map((r) => String(r.n).length));
    const ws = Math.max(4, ...rows.map((r) => String(r.size).length));
    let out = "n".padStart(wn) + "  " + "size".padStart(ws) + "  uid\n";
    for (const r of rows) out += String(r.n).padStart(wn) + "  " + String(r.size).padStart(ws) + "  " + r.uid + "\n";
    process.stdout.write(out);
    say(rows.length + " message" + (rows.length === 1 ? "" : "s") + ", " + rows.reduce((a, r) => a + r.size, 0) + " bytes");
    return EXIT.OK;
  });
}

async function cmdRead(s: Settings, f: Record<string, any>, n: number, log?: (l: string) => void): Promise<number> {
  needPop3(s, "read");
  const top = num(f.top, "--top", 0, 65535);
  let out: NodeJS.WritableStream = process.stdout;
  let fileOut: fs.WriteStream | undefined;
  if (f.out !== undefined) {
    try {
      fs.writeFileSync(f.out, "");
    } catch (e) {
      throw usage("cannot write " + f.out + ": " + (e as Error).message);
    }
    out = fileOut = fs.createWriteStream(f.out);
  }
  try {
    return await withMail(s, log!, async (mail) => {
      let total = 0;
      const showBar = s.progress && top === undefined && (fileOut !== undefined || !process.stdout.isTTY);
      if (showBar) {
        const [err, list] = await call(mail, "list");
        if (!err) for (const m of list as any[]) if (m.n === n) total = m.size;
      }
      const bar = await progressBar(showBar, total, "download");
      let got = 0;
      const opts: Record<string, unknown> = {
        onData: (chunk: string) => {
          got += chunk.length;
          out.write(Buffer.from(chunk, "latin1"));
          bar.update(got);
        },
      };
      if (top !== undefined) opts.lines = top;
      const [err, info] = await call(mail, "retrieve", n, opts);
      bar.stop();
      if (err) {
        say("read failed: " + describe(err));
        return codeOf(err, EXIT.POP3, null);
      }
      if (fileOut) say("wrote " + info.size + " bytes to " + f.out);
      return EXIT.OK;
    });
  } finally {
    if (fileOut) await new Promise<void>((r) => fileOut!.end(r));
  }
}

async function cmdDelete(s: Settings, n: number, log?: (l: string) => void): Promise<number> {
  needPop3(s, "delete");
  return withMail(s, log!, async (mail) => {
    const [err] = await call(mail, "remove", n);
    if (err) {
      say("delete failed: " + describe(err));
      return codeOf(err, EXIT.POP3, null);
    }
    const [err2] = await call(mail, "logout");
    if (err2) {
      say("delete failed at logout (the server deletes on logout): " + describe(err2));
      return codeOf(err2, EXIT.POP3, null);
    }
    say("deleted message " + n);
    return EXIT.OK;
  });
}

const REG = ["not registered", "registered, home", "searching", "registration denied", "unknown", "registered, roaming"];
const BEARER = ["connecting", "connected", "closing", "closed"];
const EMAIL_TESTS = ["AT+EMAILCID=?", "AT+EMAILTO=?", "AT+EMAILSSL=?", "AT+SMTPSRV=?", "AT+SMTPAUTH=?", "AT+POP3SRV=?", "AT+POP3IN=?"];

async function cmdProbe(s: Settings, log?: (l: string) => void): Promise<number> {
  if (!s.port) throw usage("no --port given (or SIM900_PORT)");
  if (!fs.existsSync(CHANNEL_BUNDLE)) throw new Exit(EXIT.INTERNAL, CHANNEL_BUNDLE + " is missing: run npm run build");
  const lib = loadBundle(CHANNEL_BUNDLE);
  const port: HostSerial = await openPort(s.port, s.baud);
  let lostErr: Error | null = null;
  port.onLost((e) => (lostErr = e));
  const ch: Channel = lib.createChannel(port, log, 512);
  const timeout = s.atTimeout ?? 2000;
  const at = (text: string, t = timeout) =>
    new Promise<{ ok: boolean; lines: string[]; error?: string }>((resolve) =>
      ch.at(text, { ms: t }, (err, res) =>
        resolve({ ok: !err, lines: (res && res.reply) || [], error: err ? describe(err) : undefined })));
  const show = (k: string, v: string) => process.stdout.write((k + ":").padEnd(14) + v + "\n");
  const first = (r: { lines: string[] }, re: RegExp) => {
    for (const l of r.lines) { const m = re.exec(l); if (m) return m; }
    return null;
  };
  try {
    let alive = false;
    for (let i = 0; i < 5 && !alive && !lostErr; i++) alive = (await at("AT", 1000)).ok;
    if (lostErr) throw new Exit(EXIT.PORT, describe(lostErr));
    if (!alive) {
      show("AT", "no answer (check power, wiring TX/RX, common ground, baud " + s.baud + ")");
      return EXIT.MODEM;
    }
    show("AT", "OK");
    await at("ATE0");
    const rev = await at("AT+CGMR");
    show("firmware", rev.ok ? rev.lines.join(" ").replace(/^Revision: */, "") || "(empty)" : "? (" + rev.error + ")");
    // the model as connect() finds it (src/dialect.ts): a SIM800 has no AT+EMAILSSL to test
    const ati = await at("ATI"), ident = ati.lines.join(" "), found = identify(ident);
    const model = Object.keys(DIALECTS).find((k) => DIALECTS[k] === found);
    show("model", (model || "unknown, talked to as sim900") + " (ATI: " + (ati.ok ? ident || "(empty)" : ati.error) + ")");
    const dialect = found || DIALECTS.sim900;
    const pin = await at("AT+CPIN?");
    const p = first(pin, /^\+CPIN: *(.*)$/);
    show("SIM", p ? p[1] : "? (" + (pin.error || pin.lines.join(" ")) + ")");
    const csq = await at("AT+CSQ");
    const q = first(csq, /^\+CSQ: *(\d+),(\d+)/);
    show("signal", q ? (q[1] === "99" ? "unknown (+CSQ: 99)" : q[1] + "/31, about " + (-113 + 2 * Number(q[1])) + " dBm (+CSQ: " + q[1] + "," + q[2] + ")") : "? (" + csq.error + ")");
    const creg = await at("AT+CREG?");
    const r = first(creg, /^\+CREG: *\d+,(\d+)/);
    show("registration", r ? (REG[Number(r[1])] ?? "status " + r[1]) + " (+CREG: " + r[1] + ")" : "? (" + creg.error + ")");
    const gatt = await at("AT+CGATT?");
    const g = first(gatt, /^\+CGATT: *(\d)/);
    show("GPRS", g ? (g[1] === "1" ? "attached" : "detached") : "? (" + gatt.error + ")");
    const cid = s.cid ?? 1;
    const sap = await at("AT+SAPBR=2," + cid);
    const b = first(sap, /^\+SAPBR: *\d+,(\d+),"([^"]*)"/);
    show("bearer", b ? (BEARER[Number(b[1])] ?? "status " + b[1]) + (b[1] === "1" ? ", IP " + b[2] : "") + " (cid " + cid + ")" : "? (" + sap.error + ")");
    let missing = 0;
    const answers: string[] = [];
    for (const t of EMAIL_TESTS) {
      if (t === "AT+EMAILSSL=?" && dialect.noSsl) continue;
      const res = await at(t);
      if (!res.ok) missing++;
      answers.push(t.replace(/^AT\+|=\?$/g, "") + (res.ok ? " ok" : " NO"));
    }
    show("email", (missing ? "MISSING: the firmware lacks email AT commands (" : "supported (") + answers.join(", ") + ")");
    if (lostErr) throw new Exit(EXIT.PORT, describe(lostErr));
    return missing ? EXIT.MODEM : EXIT.OK;
  } finally {
    ch.shut();
    await port.close();
  }
}

export async function run(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const command = argv[0];
  if (command === undefined || command === "-h" || command === "--help" || command === "help") {
    const topic = command === "help" ? argv[1] : undefined;
    const text = (topic && HELP[topic] ? HELP[topic] : HELP.main) + "\n";
    if (command === undefined) {
      process.stderr.write(text);
      return EXIT.USAGE;
    }
    process.stdout.write(text);
    return EXIT.OK;
  }
  if (!(command in FLAGS)) {
    say("sim900-email: unknown command " + JSON.stringify(command) + "\n\n" + HELP.main);
    return EXIT.USAGE;
  }
  let flags: Record<string, any>;
  let positionals: string[];
  try {
    const parsed = parseArgs({ args: argv.slice(1), options: { ...COMMON_FLAGS, ...FLAGS[command] }, allowPositionals: true, strict: true });
    flags = parsed.values;
    positionals = parsed.positionals;
  } catch (e) {
    say("sim900-email " + command + ": " + (e as Error).message + "\nRun 'sim900-email " + command + " --help'.");
    return EXIT.USAGE;
  }
  if (flags.help) {
    process.stdout.write(HELP[command] + "\n");
    return EXIT.OK;
  }
  let log: { fn?: (line: string) => void; end(): Promise<void> } | undefined;
  try {
    if (positionals.length > POSITIONAL[command]) throw usage("unexpected argument " + JSON.stringify(positionals[POSITIONAL[command]]));
    const s = settings(flags, env);
    log = makeLog(s.log);
    switch (command) {
      case "send": return await cmdSend(s, flags, log.fn);
      case "inbox": return await cmdInbox(s, flags, log.fn);
      case "read": return await cmdRead(s, flags, msgNumber(positionals[0]), log.fn);
      case "delete": return await cmdDelete(s, msgNumber(positionals[0]), log.fn);
      default: return await cmdProbe(s, log.fn);
    }
  } catch (e) {
    if (e instanceof Exit) {
      say("sim900-email " + command + ": " + e.message + (e.code === EXIT.USAGE ? "\nRun 'sim900-email " + command + " --help'." : ""));
      return e.code;
    }
    if (e instanceof PortError) {
      say("sim900-email " + command + ": " + e.message);
      return EXIT.PORT;
    }
    say("sim900-email " + command + ": " + ((e as Error).stack || e));
    return EXIT.INTERNAL;
  } finally {
    if (log) await log.end();
  }
}

export async function main(): Promise<void> {
  // `sim900-email read 1 | head`: the reader went away; stop like any Unix tool would.
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(EXIT.OK);
    throw e;
  });
  const code = await run(process.argv.slice(2));
  await new Promise<void>((r) => (process.stdout.writableLength ? process.stdout.once("drain", () => r()) : r()));
  process.exit(code);
}
