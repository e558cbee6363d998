// The soak's four operations and what each must deliver: a send with an attachment (the SMTP side
// gets the attachment byte for byte), a streamed and a whole retrieve of a message put in the mailbox
// (the module hands on exactly its bytes), and a fetch of a matching config email (one onMessage with
// the right fields and body; deleted once done() is called; the others left alone).
import { simpleParser } from "mailparser";
import type { EmailBackend, StoredMessage } from "../sim900-emulator/mail";
import { Rng, randInt } from "../sim900-emulator/rng";
import { attachmentBytes, bodyText, pick } from "./content";
import type { OpKind } from "./faults";

export interface OpContext {
  backend: EmailBackend;
  rng: Rng;
  /** Operation number and the run's tag, for unique subjects and UIDs. */
  k: number;
  tag: string;
  /** Maybe blocks, like a user callback that computes for a while (everything stops meanwhile). */
  stall(p: number): void;
  /** For a callback called about `calls` times: stalls nowhere, at a few calls, or at a stretch of
   *  consecutive calls (a slow consumer, e.g. one writing each slice to flash). */
  consumer(calls: number): () => void;
  /** Calls fn now, or later on the board's clock (a handler doing its own I/O first). */
  later(fn: () => void, p: number): void;
  /** Logs the module out (no fault armed), then makes these the maildrop of unit7. */
  mailbox(raws: Buffer[]): Promise<StoredMessage[]>;
  /** The module's call, with the operation's fault armed; resolves at its first callback. */
  call(method: string, ...args: unknown[]): Promise<any[]>;
  handlerTimeout: number;
  /** A failed check; `key` groups it with the same problem elsewhere (default: the detail). */
  fail(check: string, detail: string, key?: string): void;
  /** Payload bytes compared and found identical. */
  checked(bytes: number): void;
}

export interface Op {
  kind: OpKind;
  /** Bytes of the attachment or of the message retrieved. */
  bytes: number;
  /** Runs it and checks what it delivered; resolves with the operation's error (null: success). */
  run(ctx: OpContext): Promise<any>;
}

const show = (b: Buffer, at: number) => JSON.stringify(b.subarray(Math.max(0, at - 10), at + 20).toString("latin1"));

/** Where two byte strings first differ, briefly. */
function compare(ctx: OpContext, what: string, expected: Buffer, got: Buffer): void {
  if (got.equals(expected)) return ctx.checked(expected.length);
  let i = 0;
  while (i < expected.length && i < got.length && expected[i] === got[i]) i++;
  ctx.fail("bytes", `${what}: ${got.length} bytes delivered for ${expected.length}, first difference at byte ${i}: ${show(got, i)} instead of ${show(expected, i)}`,
    `${what}: ${got.length < expected.length ? "bytes lost" : got.length > expected.length ? "bytes added" : "bytes altered"}`);
}

export function planSend(rng: Rng): Op {
  const size = randInt(rng, 1, 20480);
  const binary = rng() < 0.75;
  const data = attachmentBytes(rng, size, binary);
  const form = pick(rng, ["bytes", "string", "read"] as const);
  return {
    kind: "send", bytes: size,
    async run(ctx) {
      const box = ctx.backend.mailbox("ops");
      box.length = 0;
      const subject = `soak ${ctx.tag} #${ctx.k}`;
      const name = `soak${ctx.k}.${binary ? "bin" : "txt"}`;
      let at = 0;
      const attachment: any = { name, binary };
      if (form === "bytes") attachment.data = new Uint8Array(data);
      else if (form === "string") attachment.data = data.toString("latin1");
      else attachment.read = (max: number) => {
        if (at >= data.length) return undefined;
        const piece = data.subarray(at, at + randInt(ctx.rng, 1, max));
        at += piece.length;
        return ctx.rng() < 0.5 ? piece.toString("latin1") : new Uint8Array(piece);
      };
      const [err, info] = await ctx.call("send", { to: "ops@example.com", subject, body: "soak body " + ctx.k, attachment });
      if (err) return err;
      if (!info || info.size !== size) ctx.fail("result", `info.size ${info && info.size} for a ${size}-byte attachment`, "send: info.size is not the attachment's size");
      const got = box.find((m) => m.raw.toString("latin1").indexOf("Subject: " + subject + "\r\n") >= 0);
      if (!got) {
        ctx.fail("delivery", `the callback said sent, but no email "${subject}" reached the SMTP server`, "sent, but not received");
        return null;
      }
      const a = (await simpleParser(got.raw)).attachments[0];
      if (!a || a.filename !== name) ctx.fail("delivery", `attachment ${a ? a.filename : "missing"} instead of ${name}`, "attachment missing or misnamed");
      else compare(ctx, `${binary ? "binary" : "text"} attachment given as ${form}`, data, a.content);
      box.length = 0;
      return null;
    },
  };
}

const head = (ctx: OpContext) =>
  `From: Soak <soak@example.net>\r\nTo: unit7@example.com\r\nSubject: soak ${ctx.tag} #${ctx.k}\r\nMessage-ID: <${ctx.k}.${ctx.tag}@soak>\r\n\r\n`;

export function planRetrieve(rng: Rng, streamed: boolean): Op {
  // whole: within maxSize (4096) with its headers, or now and then over it (then err.type SIZE)
  const oversize = !streamed && rng() < 0.1;
  let body = bodyText(rng, streamed ? randInt(rng, 0, 12000) : oversize ? randInt(rng, 4200, 6000) : randInt(rng, 0, 3800), { raw: true });
  if (!streamed && !oversize) while (body.length > 3900) body = body.slice(0, body.lastIndexOf("\r\n", body.length - 3) + 2);
  const chunk = rng() < 0.5 ? undefined : randInt(rng, 1, 512);
  return {
    kind: streamed ? "streamed" : "whole", bytes: body.length,
    async run(ctx) {
      const raw = Buffer.from(head(ctx) + body, "latin1");
      await ctx.mailbox([raw]);
      const parts: string[] = [];
      const stall = ctx.consumer(Math.ceil(raw.length / Math.min(64, chunk ?? 512)));
      const opts = streamed ? { chunk, onData: (s: string) => { parts.push(s); stall(); } } : chunk ? { chunk } : null;
      const [err, info] = await ctx.call("retrieve", 1, opts);
      if (oversize) {
        if (!err) ctx.fail("result", `a ${raw.length}-byte message came whole, over maxSize 4096`, "retrieve: over maxSize, yet no SIZE error");
        return err && err.type === "SIZE" ? null : err;
      }
      if (err) return err;
      const got = streamed ? parts.join("") : info && info.message;
      if (typeof got !== "string") ctx.fail("result", "no message in info: " + JSON.stringify(info), "retrieve: no message in info");
      else compare(ctx, streamed ? "streamed message" : "whole message", raw, Buffer.from(got, "latin1"));
      if (!info || info.size !== raw.length) ctx.fail("result", `info.size ${info && info.size} for a ${raw.length}-byte message`, "retrieve: info.size is not the message's size");
      return null;
    },
  };
}

export function planFetch(rng: Rng): Op {
  const body = bodyText(rng, randInt(rng, 0, 5000), { raw: false });
  const maxSize = pick(rng, [undefined, 1024, 4096]);
  const others = randInt(rng, 0, 2);
  const position = randInt(rng, 0, others);
  return {
    kind: "fetch", bytes: body.length,
    async run(ctx) {
      const subject = `CONFIG soak ${ctx.tag} #${ctx.k}`;
      const match = Buffer.from(`From: Ops <ops@example.com>\r\nTo: unit7@example.com\r\nSubject: ${subject}\r\nDate: Wed, 25 Nov 2026 10:00:00 +0000\r\n\r\n` + body, "latin1");
      const decoys = [
        "From: newsletter@example.net\r\nSubject: CONFIG soak tips\r\n\r\nnot from ops\r\n",
        "From: Ops <ops@example.com>\r\nSubject: weekly report\r\n\r\nnot a config\r\n",
      ].slice(0, others).map((s) => Buffer.from(s, "latin1"));
      const raws = decoys.slice();
      raws.splice(position, 0, match);
      const stored = await ctx.mailbox(raws);
      const expected = Buffer.from(body.slice(0, maxSize || 4096), "latin1");
      let calls = 0;
      const [err, stats] = await ctx.call("fetch", { from: "ops@example.com", subject: "CONFIG soak", maxSize, handlerTimeout: ctx.handlerTimeout },
        (msg: any, done: (e?: any) => void) => {
          if (++calls > 1) ctx.fail("callbacks", `onMessage called ${calls} times`, "onMessage called more than once");
          if (msg.from !== "ops@example.com" || msg.subject !== subject || msg.uid !== stored[position].uid)
            ctx.fail("result", `msg ${JSON.stringify({ from: msg.from, subject: msg.subject, uid: msg.uid })}`, "fetch: wrong from, subject or uid");
          compare(ctx, "fetched body", expected, Buffer.from(String(msg.body), "latin1"));
          ctx.stall(0.4);
          ctx.later(() => done(), 0.3);
        });
      if (err) return err;
      if (calls !== 1) ctx.fail("callbacks", `onMessage called ${calls} times for 1 matching email`, "onMessage not called once for the matching email");
      const want = { checked: raws.length, matched: 1, deleted: 1, failed: 0, rejected: 0 };
      if (JSON.stringify(stats) !== JSON.stringify(want)) ctx.fail("result", `stats ${JSON.stringify(stats)} instead of ${JSON.stringify(want)}`, "fetch: wrong stats");
      const left = ctx.backend.mailbox("unit7").map((m) => m.uid);
      const keep = stored.filter((_, i) => i !== position).map((m) => m.uid);
      if (JSON.stringify(left) !== JSON.stringify(keep)) ctx.fail("result", `left on the server: ${left.length} emails, expected the ${keep.length} that did not match`, "fetch: wrong emails left on the server");
      return null;
    },
  };
}

export function planOp(rng: Rng): Op {
  const r = rng();
  return r < 0.25 ? planSend(rng) : r < 0.5 ? planRetrieve(rng, true) : r < 0.75 ? planRetrieve(rng, false) : planFetch(rng);
}
