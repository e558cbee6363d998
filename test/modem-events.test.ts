// The modem's unsolicited lines that mean it forgot everything (manual 3.1's DEACT, a reboot's RDY,
// NORMAL and UNDER-VOLTAGE POWER DOWN): the operation in flight fails once with the matching type
// and message, onEvent hears (event, line), and the next operation prepares the modem again.
import { strict as assert } from "node:assert";
import { createRig } from "./helpers/rig";
import { createPort } from "../tools/sim900-emulator/transports";
import { target } from "./target";

const CASES = [
  { line: "NORMAL POWER DOWN", event: "POWERDOWN", message: "the modem powered down" },
  { line: "UNDER-VOLTAGE POWER DOWN", event: "POWERDOWN", message: "the modem powered down: under-voltage" },
  { line: "RDY", event: "REBOOT", message: "the modem restarted" },
];

describe(`modem events: power down, reboot, under-voltage warning @dist (${target})`, function () {
  this.timeout(20000);

  for (const c of CASES)
    it(`${c.line} during an operation: one ${c.event} error, onEvent, and the next call reconnects`, async () => {
      const events: [string, string][] = [];
      const rig = await createRig({ mod: { atTimeout: 1000, onEvent: (e: string, l: string) => events.push([e, l]) } }, createPort);
      try {
        assert.equal(await rig.connect(), null);
        rig.emu.faults.silenceOn("POP3IN"); // the login hangs: the line arrives while it waits
        const calls: any[] = [];
        const done = new Promise<void>((resolve) => rig.mail.list((err: any) => { calls.push(err); resolve(); }));
        await new Promise((r) => setTimeout(r, 100));
        rig.port.inject("\r\n" + c.line + "\r\n");
        await done;
        await new Promise((r) => setTimeout(r, 50));
        assert.equal(calls.length, 1);
        assert.equal(calls[0].type, c.event);
        assert.equal(calls[0].message, c.message);
        assert.deepEqual(events, [[c.event, c.line]]);
        const from = rig.log.length;
        const [err, list] = await rig.call("list");
        assert.equal(err, null);
        assert.ok(Array.isArray(list));
        assert.ok(rig.commands(from).includes("ATE0"), "prepared again: " + rig.commands(from).join(" | "));
      } finally {
        await rig.stop();
      }
    });

  it("UNDER-VOLTAGE WARN is only reported: the operation goes on", async () => {
    const events: [string, string][] = [];
    const rig = await createRig({ mod: { onEvent: (e: string, l: string) => events.push([e, l]) } }, createPort);
    try {
      assert.equal(await rig.connect(), null);
      rig.port.inject("\r\nUNDER-VOLTAGE WARNNING\r\n");
      const [err, list] = await rig.call("list");
      assert.equal(err, null);
      assert.ok(Array.isArray(list));
      assert.deepEqual(events, [["UNDERVOLTAGE", "UNDER-VOLTAGE WARNNING"]]);
    } finally {
      await rig.stop();
    }
  });
});
