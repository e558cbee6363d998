// A small in-memory MailBackend for the emulator's tests (and the CLI's fallback while the real
// mail backend is not there): records sent emails, serves a fixed mailbox with raw, dot-stuffed
// POP3 responses exactly as a server would send them.
import type { MailBackend, OutgoingEmail, Pop3Login, Pop3Reply, Pop3Session } from "../../tools/sim900-emulator/backend";

export interface FakeMessage { uid: string; data: Buffer }

export interface FakeBackendOptions {
  messages?: FakeMessage[];
  account?: { user: string; pass: string };
  /** Result of every send(); default 1. */
  sendCode?: number;
}

/** RFC 1939 byte-stuffing: a line starting with "." gets another "." in front. */
export function dotStuff(data: Buffer): Buffer {
  const s = data.toString("latin1").replace(/(^|\r\n)\./g, "$1..");
  return Buffer.from(s, "latin1");
}

/** A message of exactly `size` bytes (CRLF lines, one starting with a dot). */
export function messageOfSize(size: number, subject = "Test"): Buffer {
  let s = "From: john@sim.com\r\nTo: john@sim.com\r\nSubject: " + subject + "\r\n\r\n.a line starting with a dot\r\n";
  let left = size - s.length;
  if (left < 2) throw new Error("message too small");
  let n = 0;
  while (left > 74) {
    const line = ("line " + n++ + " ").padEnd(70, "x") + "\r\n";
    s += line;
    left -= line.length;
  }
  s += "z".repeat(left - 2) + "\r\n";
  return Buffer.from(s, "latin1");
}

export class FakeBackend implements MailBackend {
  readonly sent: OutgoingEmail[] = [];
  readonly logins: Pop3Login[] = [];
  readonly commands: string[] = [];
  messages: Array<FakeMessage & { deleted: boolean }>;
  account: { user: string; pass: string };
  sendCode: number;
  quits = 0;
  destroyed = 0;
  closed = false;

  constructor(opts: FakeBackendOptions = {}) {
    this.messages = (opts.messages ?? defaultMailbox()).map((m) => ({ ...m, deleted: false }));
    this.account = opts.account ?? { user: "john", pass: "123456" };
    this.sendCode = opts.sendCode ?? 1;
  }

  async send(mail: OutgoingEmail): Promise<number> {
    this.sent.push(mail);
    return this.sendCode;
  }

  async pop3Login(login: Pop3Login): Promise<{ code: number; session?: Pop3Session }> {
    this.logins.push(login);
    if (login.user !== this.account.user) return { code: 67 };
    if (login.pass !== this.account.pass) return { code: 68 };
    return { code: 1, session: this.session() };
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private session(): Pop3Session {
    let open = true;
    const live = () => this.messages.map((m, i) => ({ m, n: i + 1 })).filter((x) => !x.m.deleted);
    const find = (arg: string) => {
      const x = this.messages[Number(arg) - 1];
      return x && !x.deleted ? x : null;
    };
    const reply = (status: string, lines?: Buffer): Pop3Reply => ({
      ok: status.startsWith("+OK"),
      status,
      raw: Buffer.concat([Buffer.from(status + "\r\n", "latin1"), ...(lines ? [lines, Buffer.from(".\r\n")] : [])]),
    });
    const err = (text = "no such message") => reply("-ERR " + text);
    return {
      command: async (line, multiline) => {
        if (!open) throw Object.assign(new Error("closed"), { code: 61 });
        this.commands.push(line);
        const [verb, a, b] = line.split(" ");
        switch (verb) {
          case "STAT": {
            const l = live();
            return reply("+OK " + l.length + " " + l.reduce((t, x) => t + x.m.data.length, 0));
          }
          case "LIST":
          case "UIDL": {
            const field = (x: FakeMessage) => (verb === "LIST" ? String(x.data.length) : x.uid);
            if (a !== undefined) {
              const x = find(a);
              return x ? reply("+OK " + a + " " + field(x)) : err();
            }
            const body = live().map((x) => x.n + " " + field(x.m) + "\r\n").join("");
            return reply("+OK", multiline ? Buffer.from(body, "latin1") : undefined);
          }
          case "RETR": {
            const x = find(a);
            return x ? reply("+OK " + x.data.length + " octets", dotStuff(x.data)) : err();
          }
          case "TOP": {
            const x = find(a);
            if (!x) return err();
            const text = x.data.toString("latin1");
            const split = text.indexOf("\r\n\r\n") + 4;
            const bodyLines = text.slice(split).split("\r\n").slice(0, Number(b));
            const top = text.slice(0, split) + bodyLines.map((l) => l + "\r\n").join("");
            return reply("+OK", dotStuff(Buffer.from(top, "latin1")));
          }
          case "DELE": {
            const x = find(a);
            if (!x) return err();
            x.deleted = true;
            return reply("+OK message " + a + " deleted");
          }
          case "RSET":
            for (const m of this.messages) m.deleted = false;
            return reply("+OK");
          default:
            return err("unknown command");
        }
      },
      quit: async () => {
        open = false;
        this.quits++;
        this.messages = this.messages.filter((m) => !m.deleted);
        return 1;
      },
      destroy: () => {
        open = false;
        this.destroyed++;
        for (const m of this.messages) m.deleted = false; // no QUIT: the server keeps everything
      },
    };
  }
}

/** Two messages sized as in manual example 3.5: 5556 + 5568 = 11124 bytes. */
export function defaultMailbox(): FakeMessage[] {
  return [
    { uid: "AAAFOpdCAAAv60+tkFqRqk3/6ogog+g", data: messageOfSize(5556, "First") },
    { uid: "BBBFOpdCAAAv60+tkFqRqk3/6ogog+h", data: messageOfSize(5568, "Second") },
  ];
}
