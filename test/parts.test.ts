// The board bundles as a unit uploads them: the core (sim900-email) and only the parts it needs
// (sim900-email-send, -pop3, -fetch), each its own module found with require() in the ES5 sandbox,
// as in an Espruino's Storage. A call whose part is missing fails through its callback, naming it.
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { loadBundle, realHost } from "../tools/sandbox";
import { startRig } from "./helpers/rig";
import { createBackend, EmailBackend } from "../tools/sim900-emulator/mail";
import { ACCOUNTS } from "../tools/sim900-emulator/accounts";

const DIST = path.join(__dirname, "..", "dist");

/** The core and the named parts, loaded as a board would have them in Storage. */
function unit(parts: string[]) {
  const modules: Record<string, unknown> = {};
  const host = { ...realHost(), modules };
  modules["sim900-email"] = loadBundle(path.join(DIST, "sim900-email.js"), host);
  for (const p of parts) modules[p] = loadBundle(path.join(DIST, p + ".js"), host);
  return modules["sim900-email"] as { connect: Function };
}

describe("parts: a unit uploads the core and only the parts it uses (dist bundles)", function () {
  this.timeout(30000);
  let backend: EmailBackend;
  before(async () => {
    backend = createBackend({ accounts: ACCOUNTS });
    await backend.ready;
  });
  after(() => backend.close());

  it("a send-only unit (core + send) sends; list and fetch fail naming sim900-email-pop3", async () => {
    const rig = await startRig({ backend, lib: unit(["sim900-email-send"]) });
    try {
      const [err, info] = await rig.call("send", { to: "ops@example.com", subject: "Reading", body: "t=21.5", attachment: { name: "log.csv", data: "a,b\r\n1,2\r\n" } });
      assert.equal(err, null);
      assert.ok(info.commands > 0);
      const got = backend.mailbox("ops").at(-1)!.raw.toString("latin1");
      assert.match(got, /Subject: Reading/);
      const n = rig.commands().length;
      const [e2] = await rig.call("list");
      assert.equal(e2.type, "MODULE");
      assert.equal(e2.command, "POP3");
      assert.match(e2.message, /sim900-email-pop3/);
      const [e3] = await rig.call("fetch", {}, (_m: any, d: () => void) => d());
      assert.match(e3.message, /sim900-email-pop3/);
      assert.equal(rig.commands().length, n, "no AT command for a call whose part is missing");
      const [again] = await rig.call("send", { to: "ops@example.com", subject: "again", body: "x" });
      assert.equal(again, null, "the unit goes on working");
    } finally {
      await rig.stop();
    }
  });

  it("non-ASCII text needs sim900-email-hex: without it the send fails naming it, before any command; with it, it goes hex", async () => {
    const msg = { to: "ops@example.com", subject: "Température 21°C", body: "ok" };
    const rig = await startRig({ backend, lib: unit(["sim900-email-send"]) });
    try {
      const n = rig.commands().length;
      const [err] = await rig.call("send", msg);
      assert.equal(err.type, "MODULE");
      assert.equal(err.command, "HEX");
      assert.match(err.message, /sim900-email-hex in Storage: upload dist\/sim900-email-hex\.js/);
      assert.equal(rig.commands().length, n, "no AT command for it");
      // a quote or a line end in a subject goes hex too: refused the same way, never sent as text
      const [e2] = await rig.call("send", { ...msg, subject: 'x"\r\nAT+SMTPSEND' });
      assert.equal(e2.type, "MODULE");
      assert.equal(rig.commands().length, n);
      const [ok] = await rig.call("send", { ...msg, subject: "Reading" });
      assert.equal(ok, null, "ASCII still goes");
    } finally {
      await rig.stop();
    }
    const rig2 = await startRig({ backend, lib: unit(["sim900-email-send", "sim900-email-hex"]) });
    try {
      const [err] = await rig2.call("send", msg);
      assert.equal(err, null);
      assert.ok(rig2.commands().includes('AT+SMTPSUB="' + Buffer.from(msg.subject).toString("hex").toUpperCase() + '"'));
    } finally {
      await rig2.stop();
    }
  });

  it("a config unit (core + pop3 + fetch) lists, retrieves and fetches; send fails naming sim900-email-send", async () => {
    backend.mailbox("unit7").length = 0;
    backend.deliver("unit7", "From: ops@example.com\r\nSubject: CONFIG\r\n\r\ninterval=60\r\n..dot\r\n");
    const rig = await startRig({ backend, lib: unit(["sim900-email-pop3", "sim900-email-fetch"]) });
    try {
      const [err, list] = await rig.call("list");
      assert.equal(err, null);
      assert.equal(list.length, 1);
      const [e1, whole] = await rig.call("retrieve", 1, null);
      assert.equal(e1, null);
      assert.match(whole.message, /\r\n\r\ninterval=60\r\n\.\.dot\r\n$/);
      const got: any[] = [];
      const [e2, stats] = await rig.call("fetch", { from: "ops@", subject: "CONFIG" }, (msg: any, done: () => void) => { got.push(msg); done(); });
      assert.equal(e2, null);
      assert.equal(stats.matched, 1);
      assert.equal(got[0].body, "interval=60\r\n..dot\r\n");
      const [e3] = await rig.call("send", { to: "ops@example.com", subject: "x", body: "y" });
      assert.equal(e3.type, "MODULE");
      assert.match(e3.message, /sim900-email-send/);
    } finally {
      await rig.stop();
    }
  });

  it("fetch without its part fails naming sim900-email-fetch, before any command", async () => {
    const rig = await startRig({ backend, lib: unit(["sim900-email-pop3"]) });
    try {
      const n = rig.commands().length;
      const [err] = await rig.call("fetch", {}, (_m: any, d: () => void) => d());
      assert.equal(err.type, "MODULE");
      assert.match(err.message, /upload dist\/sim900-email-fetch\.js/);
      assert.equal(rig.commands().length, n);
    } finally {
      await rig.stop();
    }
  });
});
