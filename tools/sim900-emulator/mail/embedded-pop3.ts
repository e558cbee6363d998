// A tiny RFC 1939 POP3 server over the MailStore (plain and implicit TLS on 127.0.0.1).
// Message numbers are fixed at login; DELE only marks, QUIT commits, RSET unmarks, a drop commits nothing.
import * as net from "node:net";
import * as tls from "node:tls";
import type { TlsPair } from "./certs";
import type { MailStore, StoredMessage } from "./mailbox";
import { dotStuff, topOf } from "./pop3-format";

export interface EmbeddedPop3 { port: number; securePort: number; close(): Promise<void> }

export async function startEmbeddedPop3(store: MailStore, pair: TlsPair): Promise<EmbeddedPop3> {
  const sockets = new Set<net.Socket>();
  const onConn = (s: net.Socket) => {
    sockets.add(s);
    s.setNoDelay(true); // replies go out in two writes; Nagle would hold the second one back
    s.on("close", () => sockets.delete(s));
    s.on("error", () => s.destroy());
    serve(s, store);
  };
  const plain = net.createServer(onConn);
  const secure = tls.createServer({ key: pair.key, cert: pair.cert }, onConn);
  secure.on("tlsClientError", () => undefined); // a failed handshake is the client's business
  const port = await listen(plain);
  const securePort = await listen(secure);
  return {
    port, securePort,
    async close() {
      for (const s of sockets) s.destroy();
      await Promise.all([plain, secure].map((srv) => new Promise<void>((r) => srv.close(() => r()))));
    },
  };
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve((server.address() as net.AddressInfo).port));
  });
}

function serve(sock: net.Socket, store: MailStore): void {
  let user: string | undefined;       // given by USER
  let owner: string | undefined;      // set once PASS succeeded
  let msgs: StoredMessage[] = [];
  const deleted = new Set<number>();
  let pending = "";

  const send = (line: string, block?: Buffer) => {
    sock.write(Buffer.from(line + "\r\n", "latin1"));
    if (block) sock.write(dotStuff(block));
  };
  // No maildrop lock, like Dovecot's default (pop3_lock_session = no); a dropped session commits nothing.

  // Returns the message for a valid, undeleted number, else answers -ERR itself.
  const pick = (arg: string | undefined): StoredMessage | undefined => {
    const n = Number(arg);
    if (!/^\d+$/.test(arg ?? "") || n < 1 || n > msgs.length) { send("-ERR no such message"); return undefined; }
    if (deleted.has(n)) { send("-ERR message " + n + " already deleted"); return undefined; }
    return msgs[n - 1];
  };
  const live = () => msgs.map((m, i) => ({ n: i + 1, m })).filter((x) => !deleted.has(x.n));

  const handle = (line: string) => {
    const [verb = "", ...args] = line.split(" ");
    const cmd = verb.toUpperCase();
    if (cmd === "QUIT") {
      if (owner) {
        store.remove(owner, new Set([...deleted].map((n) => msgs[n - 1].uid)));
        owner = undefined;
      }
      send("+OK bye");
      sock.end();
      return;
    }
    if (cmd === "CAPA") { send("+OK", Buffer.from("USER\r\nUIDL\r\nTOP\r\n")); return; }
    if (!owner) {
      if (cmd === "USER" && args.length) { user = args.join(" "); send("+OK"); return; }
      if (cmd === "PASS" && user !== undefined) {
        const u = user;
        user = undefined;
        if (!store.check(u, args.join(" "))) { send("-ERR [AUTH] Authentication failed."); return; }
        owner = u;
        msgs = store.messages(u).slice();
        send("+OK Logged in.");
        return;
      }
      send("-ERR Unknown command or not logged in.");
      return;
    }
    switch (cmd) {
      case "STAT": {
        const l = live();
        send(`+OK ${l.length} ${l.reduce((a, x) => a + x.m.raw.length, 0)}`);
        return;
      }
      case "LIST":
      case "UIDL": {
        const field = (m: StoredMessage) => (cmd === "LIST" ? String(m.raw.length) : m.uid);
        if (args.length) { const m = pick(args[0]); if (m) send(`+OK ${Number(args[0])} ${field(m)}`); return; }
        const l = live();
        send(cmd === "LIST" ? `+OK ${l.length} messages:` : "+OK", Buffer.from(l.map((x) => `${x.n} ${field(x.m)}\r\n`).join("")));
        return;
      }
      case "RETR": { const m = pick(args[0]); if (m) send(`+OK ${m.raw.length} octets`, m.raw); return; }
      case "TOP": {
        if (!/^\d+$/.test(args[1] ?? "")) { send("-ERR invalid arguments"); return; }
        const m = pick(args[0]);
        if (m) send("+OK", topOf(m.raw, Number(args[1])));
        return;
      }
      case "DELE": { const m = pick(args[0]); if (m) { deleted.add(Number(args[0])); send("+OK Marked to be deleted."); } return; }
      case "RSET": deleted.clear(); send("+OK"); return;
      case "NOOP": send("+OK"); return;
      default: send("-ERR Unknown command: " + verb);
    }
  };

  sock.on("data", (chunk: Buffer) => {
    pending += chunk.toString("latin1");
    let i: number;
    while ((i = pending.indexOf("\n")) >= 0 && !sock.destroyed) {
      const line = pending.slice(0, i).replace(/\r$/, "");
      pending = pending.slice(i + 1);
      handle(line);
    }
  });
  send("+OK SIM900 emulator POP3 ready.");
}
