// Maildir delivery as an MTA does it: write into tmp/, then rename into new/ so a reader never sees half
// a message; the file belongs to the mail user so Dovecot (running as that user) may move and delete it.
import { randomBytes } from "node:crypto";
import { chown, rename, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";

export interface Owner { uid: number; gid: number }

let counter = 0;

export async function deliverToMaildir(maildir: string, raw: Buffer | string, owner?: Owner): Promise<string> {
  const name = `${Date.now()}.M${++counter}P${process.pid}R${randomBytes(4).toString("hex")}.${hostname().replace(/[/:]/g, "_")}`;
  const tmp = join(maildir, "tmp", name);
  const crlf = Buffer.from((Buffer.isBuffer(raw) ? raw.toString("latin1") : Buffer.from(raw).toString("latin1"))
    .replace(/\r?\n/g, "\r\n"), "latin1");
  await writeFile(tmp, crlf, { mode: 0o600 });
  if (owner) await chown(tmp, owner.uid, owner.gid);
  const dest = join(maildir, "new", name);
  await rename(tmp, dest);
  return dest;
}
