// Starts a throw-away Dovecot (POP3 + POP3S on 127.0.0.1) for one test suite. See
// /work/shared/design/DOVECOT.md for the traps handled here: root, the anvil penalty and the slow stop.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chmod, chown, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import * as net from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { selfSignedCert } from "../../tools/sim900-emulator/mail/certs";
import { deliverToMaildir, type Owner } from "./mailserver-maildir";
import { DOVECOT, locate, missingMessage } from "./system-tools";

export interface Dovecot {
  pop3Port: number; pop3sPort: number;
  maildir: string;              // the user's Maildir (cur/ new/ tmp/)
  owner: Owner;                 // uid/gid Dovecot accesses the Maildir as
  user: string; pass: string;
  cert: { key: string; cert: string };
  deliver(raw: Buffer | string): Promise<string>;
  stop(): Promise<void>;
}

/** Dovecot's executable (DOVECOT_BIN overrides the search); throws when it is not installed. Suites
 *  call need(this, DOVECOT) from ./system-tools first, which skips them on a machine without it. */
export function dovecotBinary(): string {
  const found = locate(DOVECOT);
  if (!found) throw new Error(missingMessage(DOVECOT));
  return found;
}

/** Ports the OS just handed out and we released; good enough on a quiet loopback. */
export async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: n }, () => new Promise<net.Server>((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => resolve(s));
  })));
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  return ports;
}

function ids(name: string): Owner {
  return { uid: Number(execFileSync("id", ["-u", name], { encoding: "utf8" })), gid: Number(execFileSync("id", ["-g", name], { encoding: "utf8" })) };
}

export async function startDovecot(user = "unit7", pass = "secret"): Promise<Dovecot> {
  const bin = dovecotBinary();
  const root = process.getuid?.() === 0;
  // As root, Dovecot refuses uid 0 for mail and login: use its own users. Otherwise everything is us.
  const me = userInfo().username;
  const owner = root ? ids("dovecot") : { uid: process.getuid!(), gid: process.getgid!() };
  const internalUser = root ? "dovecot" : me;
  const loginUser = root ? "dovenull" : me;

  const dir = await mkdtemp(join(tmpdir(), "sim900-dovecot-"));
  await chmod(dir, 0o755); // the mail user must traverse it
  const run = join(dir, "run");
  const home = join(dir, "mail", user);
  await mkdir(run, { recursive: true });
  for (const sub of ["cur", "new", "tmp"]) await mkdir(join(home, sub), { recursive: true });
  if (root) {
    await chown(join(dir, "mail"), owner.uid, owner.gid);
    for (const p of [home, ...["cur", "new", "tmp"].map((s) => join(home, s))]) await chown(p, owner.uid, owner.gid);
  }
  const cert = await selfSignedCert();
  await writeFile(join(dir, "cert.pem"), cert.cert);
  await writeFile(join(dir, "key.pem"), cert.key, { mode: 0o600 });
  await writeFile(join(dir, "passwd"), `${user}:{PLAIN}${pass}:${owner.uid}:${owner.gid}::${home}::\n`, { mode: 0o644 });
  const [pop3Port, pop3sPort] = await freePorts(2);
  const conf = join(dir, "dovecot.conf");
  await writeFile(conf, config({ dir, run, pop3Port, pop3sPort, internalUser, loginUser, root, uid: owner.uid }));

  // Own process group: dovecot forks children, and a kill of the group takes them all.
  const child = spawn(bin, ["-F", "-c", conf], { detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (d: Buffer) => { output += d.toString(); });
  child.stderr?.on("data", (d: Buffer) => { output += d.toString(); });
  const exited = new Promise<void>((r) => child.once("exit", () => r()));

  const stop = async () => {
    await killGroup(child, exited);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitForGreeting([pop3Port], child, 10000);
  } catch (e) {
    const log = await readFile(join(dir, "dovecot.log"), "utf8").catch(() => "");
    await stop();
    throw new Error(`Dovecot did not start: ${(e as Error).message}\n${output}\n${log}`);
  }
  return {
    pop3Port, pop3sPort, maildir: home, owner, user, pass, cert,
    deliver: (raw) => deliverToMaildir(home, raw, root ? owner : undefined),
    stop,
  };
}

function config(o: { dir: string; run: string; pop3Port: number; pop3sPort: number; internalUser: string; loginUser: string; root: boolean; uid: number }): string {
  return `# throw-away test configuration, written by test/helpers/dovecot.ts
protocols = pop3
listen = 127.0.0.1
base_dir = ${o.run}
state_dir = ${o.run}
log_path = ${o.dir}/dovecot.log
ssl = yes
ssl_cert = <${o.dir}/cert.pem
ssl_key = <${o.dir}/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
passdb {
  driver = passwd-file
  args = ${o.dir}/passwd
}
userdb {
  driver = passwd-file
  args = ${o.dir}/passwd
}
mail_location = maildir:${o.dir}/mail/%u
default_internal_user = ${o.internalUser}
default_login_user = ${o.loginUser}
first_valid_uid = ${o.uid}
service pop3-login {
  inet_listener pop3 {
    port = ${o.pop3Port}
  }
  inet_listener pop3s {
    port = ${o.pop3sPort}
    ssl = yes
  }${o.root ? "" : "\n  chroot ="}
}
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }${o.root ? "" : "\n  chroot ="}
}
`;
}

/** Polls until every port answers with a POP3 greeting. */
async function waitForGreeting(ports: number[], child: ChildProcess, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (const port of ports) {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`dovecot exited (${child.exitCode ?? child.signalCode})`);
      if (await greets(port)) break;
      if (Date.now() > deadline) throw new Error(`no POP3 greeting on 127.0.0.1:${port} within ${ms} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

function greets(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: "127.0.0.1", port });
    const done = (ok: boolean) => { s.destroy(); resolve(ok); };
    s.setTimeout(1000, () => done(false));
    s.on("data", (d: Buffer) => done(d.toString().startsWith("+OK")));
    s.on("error", () => done(false));
  });
}

/** SIGTERM to the group; Dovecot needs about a second to go, so SIGKILL after 1.5 s. */
async function killGroup(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  const signal = (sig: NodeJS.Signals) => { try { process.kill(-child.pid!, sig); } catch { /* already gone */ } };
  signal("SIGTERM");
  const timedOut = await Promise.race([exited.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), 1500))]);
  if (timedOut) { signal("SIGKILL"); await exited; }
}
