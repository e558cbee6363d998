// The host tool tools/cli (bin sim900-email), run as a child process against the emulated SIM900:
// over the emulator's TCP server, and over a real pseudo-terminal pair made by socat, so that the
// serialport path is exercised too. The embedded mail system is inspected directly.
import { strict as assert } from "node:assert";
import { execFile, spawn, ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { simpleParser } from "mailparser";
import { startCli } from "../tools/sim900-emulator/cli";
import { createEmulator } from "../tools/sim900-emulator/modem";
import { createBackend, EmailBackend } from "../tools/sim900-emulator/mail";
import { COMMON_FLAGS, FLAGS } from "../tools/cli/main";
import { SOCAT, need } from "./helpers/system-tools";

const BIN = path.join(__dirname, "..", "tools", "cli", "bin.mjs");
const ACCOUNTS = [{ user: "unit7", pass: "secret" }, { user: "ops", pass: "secret" }];

interface Result { code: number; stdout: Buffer; stderr: string }

/** Runs the tool with a clean environment (no SIM900_* from the caller) plus `env`. */
function cli(args: string[], env: Record<string, string> = {}, timeoutMs = 30000): Promise<Result> {
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("SIM900_") && v !== undefined) base[k] = v;
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...base, ...env }, encoding: "buffer", timeout: timeoutMs, maxBuffer: 16 << 20 },
      (err: any, stdout, stderr) => resolve({ code: err ? (typeof err.code === "number" ? err.code : -1) : 0, stdout, stderr: stderr.toString() }));
  });
}

const CREDS = { SIM900_USER: "unit7", SIM900_PASSWORD: "secret" };

describe("sim900-email CLI", function () {
  this.timeout(40000);
  let backend: EmailBackend;
  let server: Awaited<ReturnType<typeof startCli>>;
  let broken: Awaited<ReturnType<typeof startCli>>;
  let tmp: string;
  let port: string;

  before(async () => {
    backend = createBackend({ accounts: ACCOUNTS });
    await backend.ready;
    server = await startCli({ host: "127.0.0.1", port: 0, baud: 0, faults: [] }, backend);
    // A modem whose SIM is never ready and whose firmware has no email commands.
    broken = await startCli({ host: "127.0.0.1", port: 0, baud: 0, faults: ["error:CPIN:always", "error:EMAILCID:always"] }, backend);
    port = "tcp://127.0.0.1:" + server.port;
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "sim900-cli-"));
  });
  after(async () => {
    await server.close();
    await broken.close();
    await backend.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });
  beforeEach(() => {
    backend.mailbox("unit7").length = 0;
    backend.mailbox("ops").length = 0;
  });

  describe("help and usage", () => {
    it("--help lists every command and the exit codes; each command's --help lists every flag", async () => {
      const main = await cli(["--help"]);
      assert.equal(main.code, 0);
      const text = main.stdout.toString();
      for (const c of ["send", "inbox", "read N", "delete N", "probe", "Exit codes", "SIM900_PASSWORD", "--config"]) assert.ok(text.includes(c), c);
      for (const code of ["0  success", "2  usage", "3  modem", "4  SMTP", "5  POP3", "6  port"]) assert.ok(text.includes(code), code);
      const helps = await Promise.all(Object.keys(FLAGS).map((c) => cli([c, "--help"])));
      Object.keys(FLAGS).forEach((c, i) => {
        assert.equal(helps[i].code, 0, c);
        const h = helps[i].stdout.toString();
        assert.ok(h.startsWith("Usage: sim900-email " + c), c);
        const flags = c === "probe" ? ["port", "baud", "cid", "at-timeout", "log", "config", "help"] : [...Object.keys(COMMON_FLAGS!), ...Object.keys(FLAGS[c]!)];
        for (const f of flags) assert.ok(h.includes("--" + f), c + " --help lacks --" + f);
      });
    });

    it("exits 2 on usage errors, without touching the port", async () => {
      const runs = await Promise.all([
        cli([]),
        cli(["frobnicate"]),
        cli(["inbox", "--bogus"]),
        cli(["send", "--port", port, "--smtp", "smtp.example.com", "--from", "a@b.c"], CREDS),
        cli(["read", "--port", port, "--pop3", "pop.example.com"], CREDS),
        cli(["read", "x", "--port", port, "--pop3", "pop.example.com"], CREDS),
        cli(["send", "--port", port, "--smtp", "s", "--to", "a@b.c", "--from", "a@b.c", "--attach", path.join(tmp, "missing")], CREDS),
        cli(["inbox", "--port", port, "--pop3", "pop.example.com"], { SIM900_USER: "unit7" }),
        cli(["inbox", "--config", path.join(tmp, "missing.json")]),
        cli(["inbox", "--pop3", "pop.example.com"], CREDS),
      ]);
      runs.forEach((r, i) => assert.equal(r.code, 2, "run " + i + ": " + r.stderr));
      assert.match(runs[1].stderr, /unknown command/);
      assert.match(runs[3].stderr, /--to/);
      assert.match(runs[7].stderr, /no POP3 password/);
      assert.match(runs[9].stderr, /no --port/);
    });

    it("exits 6 when the port cannot be opened", async () => {
      const free = await startCli({ host: "127.0.0.1", port: 0, baud: 0, faults: [] }, backend);
      const closed = "tcp://127.0.0.1:" + free.port;
      await free.close();
      const [tcp, dev] = await Promise.all([cli(["probe", "--port", closed]), cli(["probe", "--port", path.join(tmp, "no-such-tty")])]);
      assert.equal(tcp.code, 6, tcp.stderr);
      assert.equal(dev.code, 6, dev.stderr);
      assert.match(dev.stderr, /cannot open/);
    });
  });

  describe("over TCP to the emulator", () => {
    it("probe prints every item and exits 0", async () => {
      const r = await cli(["probe", "--port", port]);
      assert.equal(r.code, 0, r.stderr);
      const out = r.stdout.toString();
      for (const item of [/^AT: +OK$/m, /^firmware: +\S*SIM900/m, /^SIM: +READY$/m, /^signal: +20\/31/m, /^registration: +registered, home/m,
        /^GPRS: +attached$/m, /^bearer: +closed/m, /^email: +supported \(EMAILCID ok/m, /^model: +sim900 \(ATI: SIM900 R11\.0\)$/m]) assert.match(out, item);
      assert.match(out, /EMAILSSL ok/);
    });

    it("probe reports a SIM800 and does not ask it for AT+EMAILSSL, which it lacks", async () => {
      const s800 = await startCli({ host: "127.0.0.1", port: 0, baud: 0, faults: [], model: "sim800" }, backend);
      try {
        const r = await cli(["probe", "--port", "tcp://127.0.0.1:" + s800.port]);
        assert.equal(r.code, 0, r.stderr);
        const out = r.stdout.toString();
        assert.match(out, /^model: +sim800 \(ATI: SIM800 R14\.18\)$/m);
        assert.match(out, /^email: +supported/m);
        assert.doesNotMatch(out, /EMAILSSL/);
      } finally {
        await s800.close();
      }
    });

    it("probe exits 3 when the firmware lacks the email commands", async () => {
      const r = await cli(["probe", "--port", "tcp://127.0.0.1:" + broken.port]);
      assert.equal(r.code, 3, r.stderr);
      assert.match(r.stdout.toString(), /^email: +MISSING.*EMAILCID NO/m);
    });

    it("send with an attachment arrives byte-identical; the log masks the password", async () => {
      const data = randomBytes(20000);
      const file = path.join(tmp, "reading.bin");
      fs.writeFileSync(file, data);
      const log = path.join(tmp, "send.log");
      const r = await cli(["send", "--port", port, "--apn", "internet", "--smtp", "smtp.example.com:25", "--from", "unit7@example.com",
        "--from-name", "Unit 7", "--to", "ops@example.com", "--subject", "Température", "--body", "t=21.5C", "--attach", file, "--log", log], CREDS);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /^sent: \d+ AT commands, 20000 attachment bytes$/m);
      const box = backend.mailbox("ops");
      assert.equal(box.length, 1);
      const m = await simpleParser(box[0].raw);
      assert.equal(m.subject, "Température");
      assert.equal(m.text?.trim(), "t=21.5C");
      assert.equal(m.attachments[0].filename, "reading.bin");
      assert.ok(m.attachments[0].content.equals(data));
      const transcript = fs.readFileSync(log, "utf8");
      assert.match(transcript, /> AT\+SMTPAUTH=1,"unit7","\*\*\*"/);
      assert.ok(!transcript.includes("secret"));
    });

    it("reads its settings from a config file", async () => {
      const cfg = path.join(tmp, "cfg.json");
      fs.writeFileSync(cfg, JSON.stringify({ port, apn: "internet", smtp: "smtp.example.com", user: "unit7", password: "secret", from: "unit7@example.com" }));
      const r = await cli(["send", "--config", cfg, "--to", "unit7@example.com", "--subject", "cfg", "--body", "from config"]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(backend.mailbox("unit7").length, 1);
    });

    it("inbox lists, read prints the message (and TOP 0 its headers), delete removes it", async () => {
      const raws = [1, 2].map((i) => backend.deliver("unit7", `From: ops@example.com\r\nSubject: Message ${i}\r\n\r\nBody ${i}\r\n.dot line\r\n`));
      const args = ["--port", port, "--apn", "internet", "--pop3", "pop.example.com:110"];
      const inbox = await cli(["inbox", ...args], CREDS);
      assert.equal(inbox.code, 0, inbox.stderr);
      const lines = inbox.stdout.toString().trim().split("\n");
      assert.match(lines[0], /^n +size +uid$/);
      assert.deepEqual(lines.slice(1).map((l) => l.trim().split(/ +/)), raws.map((m, i) => [String(i + 1), String(m.raw.length), m.uid]));
      const json = await cli(["inbox", "--json", ...args], CREDS);
      assert.deepEqual(JSON.parse(json.stdout.toString()), raws.map((m, i) => ({ n: i + 1, size: m.raw.length, uid: m.uid })));

      const read = await cli(["read", "2", ...args], CREDS);
      assert.equal(read.code, 0, read.stderr);
      assert.ok(read.stdout.equals(raws[1].raw), read.stdout.toString("latin1"));
      const top = await cli(["read", "2", "--top", "0", ...args], CREDS);
      assert.equal(top.stdout.toString(), "From: ops@example.com\r\nSubject: Message 2\r\n\r\n");
      const out = path.join(tmp, "m1.eml");
      const toFile = await cli(["read", "1", "--out", out, ...args], CREDS);
      assert.equal(toFile.code, 0, toFile.stderr);
      assert.ok(fs.readFileSync(out).equals(raws[0].raw));

      const del = await cli(["delete", "1", ...args], CREDS);
      assert.equal(del.code, 0, del.stderr);
      assert.deepEqual(backend.mailbox("unit7").map((m) => m.uid), [raws[1].uid]);
    });

    it("exits 3 when the modem is not ready, 4 on an SMTP failure, 5 on a POP3 failure", async () => {
      const [modem, smtp, pop3, missing] = await Promise.all([
        cli(["inbox", "--port", "tcp://127.0.0.1:" + broken.port, "--pop3", "pop.example.com"], CREDS),
        cli(["send", "--port", port, "--smtp", "smtp.example.com", "--from", "unit7@example.com", "--to", "ops@example.com", "--subject", "x"],
          { SIM900_USER: "unit7", SIM900_SMTP_PASSWORD: "wrong" }),
        cli(["inbox", "--port", port, "--pop3", "pop.example.com"], { SIM900_USER: "unit7", SIM900_POP3_PASSWORD: "wrong" }),
        cli(["read", "9", "--port", port, "--pop3", "pop.example.com"], CREDS),
      ]);
      assert.equal(modem.code, 3, modem.stderr);
      assert.match(modem.stderr, /modem not ready/);
      assert.equal(smtp.code, 4, smtp.stderr);
      assert.match(smtp.stderr, /send failed: .*\(6\d\)/);
      assert.equal(pop3.code, 5, pop3.stderr);
      assert.equal(missing.code, 5, missing.stderr);
    });
  });

  describe("over a serial line (socat pty pair)", () => {
    let socat: ChildProcess | undefined;
    let dir: string;
    let emuClose: (() => Promise<void>) | undefined;

    before(async function () {
      const bin = need(this, SOCAT);
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "sim900-pty-"));
      const a = path.join(dir, "modem"), b = path.join(dir, "host");
      socat = spawn(bin, ["-d", "-d", `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], { stdio: ["ignore", "ignore", "pipe"] });
      let log = "";
      socat.stderr!.on("data", (d) => (log += d));
      for (let i = 0; i < 100 && !/starting data transfer loop/.test(log); i++) await new Promise((r) => setTimeout(r, 50));
      assert.match(log, /starting data transfer loop/, "socat did not start: " + log);
      // The emulator on the modem end of the line, opened with serialport too (non-blocking, unlike
      // fs streams on a pty, which hold a thread-pool thread in read() until the line closes).
      const emu = createEmulator({ backend, baud: 0 });
      const { SerialPort } = await import("serialport");
      const line = new SerialPort({ path: a, baudRate: 115200, autoOpen: false });
      await new Promise<void>((resolve, reject) => line.open((e) => (e ? reject(e) : resolve())));
      line.on("data", (d: Buffer) => emu.input(d));
      line.on("error", () => undefined);
      emu.on("data", (chunk: Buffer) => void line.write(chunk));
      emuClose = () => new Promise<void>((resolve) => {
        emu.close?.();
        if (line.isOpen) line.close(() => resolve());
        else resolve();
      });
    });
    after(async () => {
      await emuClose?.();
      if (socat && socat.exitCode === null) {
        socat.kill("SIGTERM");
        await new Promise((r) => socat!.once("exit", r));
      }
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it("probes, sends an attachment and reads it back through the serialport package", async () => {
      const dev = path.join(dir, "host");
      const probe = await cli(["probe", "--port", dev, "--baud", "115200"]);
      assert.equal(probe.code, 0, probe.stderr);
      assert.match(probe.stdout.toString(), /^email: +supported/m);
      const data = randomBytes(6000);
      const file = path.join(dir, "a.bin");
      fs.writeFileSync(file, data);
      const send = await cli(["send", "--port", dev, "--apn", "internet", "--smtp", "smtp.example.com", "--from", "unit7@example.com",
        "--to", "unit7@example.com", "--subject", "over serial", "--attach", file], CREDS);
      assert.equal(send.code, 0, send.stderr);
      const box = backend.mailbox("unit7");
      assert.equal(box.length, 1);
      assert.ok((await simpleParser(box[0].raw)).attachments[0].content.equals(data));
      const read = await cli(["read", "1", "--port", dev, "--pop3", "pop.example.com"], CREDS);
      assert.equal(read.code, 0, read.stderr);
      assert.ok(read.stdout.equals(box[0].raw));
    });
  });
});
