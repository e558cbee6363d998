// What the module does after a failure, on the wire: a bearer drop during a send keeps the modem's
// code, a failed fetch logs out once, and a serial overflow (FIFO_FULL) fails the operation.
import { strict as assert } from "node:assert";
import { randomBytes } from "node:crypto";
import { startRig, Rig } from "./helpers/rig";
import { createBackend, EmailBackend } from "../tools/sim900-emulator/mail";
import { ACCOUNTS } from "../tools/sim900-emulator/accounts";
import { model, target } from "./target";

describe(`recovery on the wire @dist @model (${target}, ${model})`, function () {
  this.timeout(30000);
  let backend: EmailBackend;
  let rig: Rig;
  before(async () => {
    backend = createBackend({ accounts: ACCOUNTS });
    await backend.ready;
  });
  after(() => backend.close());
  beforeEach(async () => {
    backend.mailbox("unit7").length = 0;
    rig = await startRig({ backend, mod: { atTimeout: 1000 } });
  });
  afterEach(() => rig.stop());

  it("a bearer drop during an attachment: type DEACT and the modem's code 61 (+SMTPSEND: 61)", async () => {
    rig.emu.faults.dropBearerAfterAttachmentBytes(2000);
    const [err] = await rig.call("send", { to: "ops@example.com", subject: "a", body: "b", attachment: { name: "d.bin", binary: true, data: new Uint8Array(randomBytes(8000)) } });
    assert.equal(err?.type, "DEACT");
    assert.equal(err?.code, 61);
    assert.equal(err?.command, "SMTPFT");
    rig.emu.faults.dropBearerAfterAttachmentBytes(null);
  });

  it("a fetch that fails after its listing logs out once, not twice", async () => {
    backend.deliver("unit7", "From: ops@example.com\r\nSubject: CONFIG\r\n\r\ninterval=5\r\n");
    rig.emu.faults.errorOn("POP3DEL");
    const from = rig.log.length;
    const [err] = await rig.call("fetch", { from: "ops@", subject: "CONFIG" }, (_m: any, done: () => void) => done());
    assert.equal(err?.command, "POP3DEL");
    const outs = rig.commands(from).filter((c) => c === "AT+POP3OUT");
    assert.equal(outs.length, 1, rig.commands(from).join(" | "));
    const [again] = await rig.call("list");
    assert.equal(again, null);
  });
});

describe("recovery: the serial input FIFO overflowed (src)", function () {
  this.timeout(30000);
  const g = globalThis as any;
  let rig: Rig;
  let handlers: ((flags: string[]) => void)[] = [];
  before(() => {
    // Espruino's E: the module listens for 'errorFlag' (E.on) while connected
    g.E = {
      on: (ev: string, fn: (flags: string[]) => void) => { if (ev === "errorFlag") handlers.push(fn); },
      removeListener: (ev: string, fn: (flags: string[]) => void) => { if (ev === "errorFlag") handlers = handlers.filter((h) => h !== fn); },
    };
  });
  after(() => { delete g.E; });

  it("FIFO_FULL during an operation fails it with type FIFO_FULL; close() stops listening", async function () {
    if (target === "dist") this.skip(); // the dist sandbox's E is its own; the pretend board tests it there
    rig = await startRig({ mod: { atTimeout: 1000 } });
    assert.equal(handlers.length, 1);
    rig.emu.faults.silenceOn("POP3IN");
    const p = rig.call("list");
    await new Promise((r) => setTimeout(r, 100));
    for (const h of handlers) h(["FIFO_FULL"]);
    const [err] = await p;
    assert.equal(err?.type, "FIFO_FULL");
    assert.match(err.message, /FIFO_FULL/);
    await rig.stop();
    assert.equal(handlers.length, 0);
  });
});
