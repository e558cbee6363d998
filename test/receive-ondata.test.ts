// retrieve's streaming onData: what it throws ends the retrieve with one error, after the rest of
// the message was read (and dropped): the modem takes no other command until then.
import { strict as assert } from "node:assert";
import { startRig, Rig, sharedBackend } from "./helpers/rig";
import { target } from "./target";

describe(`retrieve with an onData that throws @dist (${target})`, function () {
  this.timeout(60000);
  let rig: Rig;
  beforeEach(async () => {
    (await sharedBackend()).mailbox("unit7").length = 0;
    rig = await startRig({ mod: { serverTimeout: 3000, atTimeout: 500 } });
  });
  afterEach(async () => rig.stop());

  it("fails once with 'onData threw', after draining the message; the next command works", async () => {
    rig.backend.deliver("unit7", "Subject: big\r\n\r\n" + ("line of text\r\n..dot line\r\n").repeat(600));
    let slices = 0;
    const [err] = await rig.call("retrieve", 1, { chunk: 1000, onData: () => { slices++; if (slices === 2) throw new Error("disk full"); } });
    assert.equal(err?.type, "ERROR");
    assert.equal(err?.command, "POP3CMD");
    assert.equal(err?.message, "onData threw: Error: disk full");
    assert.equal(slices, 2, "nothing more after the throw");
    const reads = rig.commands().filter((c) => c.startsWith("AT+POP3READ")).length;
    assert.ok(reads > 10, "the whole message was read: " + reads + " reads");
    const [e2, list] = await rig.call("list");
    assert.equal(e2, null);
    assert.equal(list.length, 1);
  });
});
