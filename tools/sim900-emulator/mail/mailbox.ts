// The embedded mail store: one in-memory maildrop per account, raw RFC 5322 messages with CRLF line ends.

export interface Account { user: string; pass: string }
export interface StoredMessage { uid: string; raw: Buffer }

export const DEFAULT_ACCOUNT: Account = { user: "unit7", pass: "secret" };

/** LF or CR alone → CRLF, and a final CRLF, so sizes and dot-stuffing are what a real server would use. */
export function toCrlf(raw: Buffer | string): Buffer {
  const s = Buffer.isBuffer(raw) ? raw.toString("latin1") : Buffer.from(raw, "utf8").toString("latin1");
  const out = s.replace(/\r\n|\r|\n/g, "\r\n");
  return Buffer.from(out.endsWith("\r\n") ? out : out + "\r\n", "latin1");
}

export class MailStore {
  private readonly boxes = new Map<string, StoredMessage[]>();
  private next = 1;
  // UIDs persist across sessions (RFC 1939 §7) and differ between runs of the emulator.
  private readonly prefix = Date.now().toString(36);

  constructor(readonly accounts: Account[]) {
    for (const a of accounts) this.boxes.set(a.user, []);
  }

  check(user: string, pass: string): boolean {
    return this.accounts.some((a) => a.user === user && a.pass === pass);
  }

  /** Routing rule: the account whose user name equals the local part (case-insensitive), else the first. */
  userFor(address: string): string {
    const local = address.replace(/@[^@]*$/, "").toLowerCase();
    const hit = this.accounts.find((a) => a.user.toLowerCase() === local);
    return (hit ?? this.accounts[0]).user;
  }

  deliver(user: string, raw: Buffer | string): StoredMessage {
    const msg = { uid: `${this.prefix}.${this.next++}`, raw: toCrlf(raw) };
    this.box(user).push(msg);
    return msg;
  }

  /** The live list; the POP3 server snapshots it at login. */
  messages(user: string): StoredMessage[] {
    return this.box(user);
  }

  remove(user: string, uids: Set<string>): void {
    const box = this.box(user);
    const kept = box.filter((m) => !uids.has(m.uid));
    box.splice(0, box.length, ...kept);
  }

  private box(user: string): StoredMessage[] {
    let b = this.boxes.get(user);
    if (!b) this.boxes.set(user, (b = []));
    return b;
  }
}
