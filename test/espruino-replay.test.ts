// The replay that runs the module on a real Espruino (tools/espruino-replay-server.ts and friends):
// the host's side is checked here with a Node client standing in for the interpreter; with
// ESPRUINO=path (the Pico-sized Linux build) also a short session on Espruino itself.
import { strict as assert } from "node:assert";
import * as net from "node:net";
import { serveReplay, Recording, ReplayServer } from "../tools/espruino-replay-server";
import { record, replayOnEspruino } from "../tools/espruino-session";
import { opsScenario } from "../tools/espruino-script";
import { OPTIONS } from "../tools/sim900-emulator/accounts";

const REC: Recording = {
  pre: [{ data: "RDY\r\n", gap: 0 }],
  steps: [
    { write: "AT\r", chunks: [{ data: "\r\nOK\r\n", gap: 0 }] },
    { write: "AT+X=1\r", chunks: [{ data: "\r\nOK", gap: 0 }, { data: "\r\n\r\n+X: 1\r\n", gap: 150 }] },
    { write: "data", chunks: [] },
  ],
};

/**
 * A client playing Espruino: a data socket and an ack socket; every 'data' event is noted and
 * acknowledged 20 ms later. `early` counts events that came while an acknowledgement was owed.
 */
async function client(server: ReplayServer) {
  const events: { data: string; at: number }[] = [];
  const connect = (port: number) => new Promise<net.Socket>((resolve) => { const s = net.connect(port, "127.0.0.1", () => resolve(s)); });
  const data = await connect(server.dataPort), ack = await connect(server.ackPort);
  let owed = false;
  const c = { data, ack, events, early: 0, close: () => { data.destroy(); ack.destroy(); } };
  data.on("data", (d) => {
    events.push({ data: d.toString("latin1"), at: Date.now() });
    if (owed) c.early++;
    owed = true;
    setTimeout(() => { owed = false; ack.write("."); }, 20);
  });
  ack.write("."); // ready
  return c;
}

const until = async (test: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe("Espruino replay: the host's modem", function () {
  this.timeout(20000);

  it("sends each recorded chunk as its own event, only after the write it followed, however TCP splits the writes", async () => {
    const server = await serveReplay(REC);
    const c = await client(server);
    try {
      await until(() => c.events.length === 1);
      assert.equal(c.events[0].data, "RDY\r\n");
      c.data.write("A");
      await new Promise((r) => setTimeout(r, 30));
      assert.equal(c.events.length, 1, "nothing before the write is whole");
      const t0 = Date.now();
      c.data.write("T\rAT+X=1\rda"); // the end of one write, the next, and part of a third in one packet
      await until(() => c.events.length === 4);
      assert.deepEqual(c.events.map((e) => e.data), ["RDY\r\n", "\r\nOK\r\n", "\r\nOK", "\r\n\r\n+X: 1\r\n"]);
      assert.ok(c.events[3].at - t0 >= 140, "the recorded 150 ms gap is kept: " + (c.events[3].at - t0));
      assert.equal(c.early, 0, "a chunk came before the one before it was acknowledged");
      assert.equal(server.mismatch(), 'an unfinished write "da"');
      c.data.write("ta");
      await until(() => server.progress().matched === 3);
      assert.equal(server.mismatch(), null);
    } finally {
      c.close();
      server.close();
    }
  });

  it("sends nothing while a chunk is unacknowledged, even when a write comes in meanwhile", async () => {
    const server = await serveReplay({ pre: [], steps: [{ write: "AT\r", chunks: [{ data: "\r\nOK\r\n", gap: 0 }] }, { write: "AT+X=1\r", chunks: [{ data: "\r\nOK\r\n", gap: 0 }] }] });
    const c = await client(server);
    try {
      // the next command goes out as the answer arrives, before that answer is acknowledged
      c.data.on("data", (d) => { if (c.events.length === 1) c.data.write("AT+X=1\r"); });
      c.data.write("AT\r");
      await until(() => c.events.length === 2);
      assert.equal(c.early, 0, "a chunk came before the one before it was acknowledged");
    } finally {
      c.close();
      server.close();
    }
  });

  it("names the first write that differs from the recording, and a write past its end", async () => {
    const server = await serveReplay(REC);
    const c = await client(server);
    try {
      c.data.write("AT\rAT+Y=1\r");
      await until(() => server.mismatch() !== null);
      assert.equal(server.mismatch(), 'write 1: "AT+Y=1\\r" recorded "AT+X=1\\r"');
    } finally {
      c.close();
      server.close();
    }
    const s2 = await serveReplay({ pre: [], steps: [{ write: "AT\r", chunks: [] }] });
    const c2 = await client(s2);
    try {
      c2.data.write("AT\rAT\r");
      await until(() => s2.mismatch() !== null);
      assert.equal(s2.mismatch(), 'extra write after the recorded 1: "AT\\r"');
    } finally {
      c2.close();
      s2.close();
    }
  });

  it("records a session in the sandbox: each write with the chunks (at most 64 characters) that followed it", async () => {
    const scenario = opsScenario([["connect", OPTIONS], ["send", { to: "ops@example.com", subject: "s", body: "b" }], ["close"]]);
    const h = await record(scenario, () => undefined);
    assert.deepEqual(h.results, [["connect", null, null], ["send", null, [["commands", 12], ["size", 0]]], ["close", null, null]]);
    assert.equal(h.rec.steps[0].write, "ATI\r"); // the sync step names the model
    assert.ok(h.rec.steps.some((s) => s.write === "AT+SMTPSEND\r" && s.chunks.map((c) => c.data).join("").includes("+SMTPSEND: 1")));
    for (const s of h.rec.steps) for (const c of s.chunks) assert.ok(c.data.length <= 64 && c.gap >= 0);
  });

  (process.env.ESPRUINO ? it : it.skip)("replays it on Espruino (ESPRUINO=path): same writes, same results, code mapped as flash", async () => {
    const scenario = opsScenario([["connect", OPTIONS], ["send", { to: "ops@example.com", subject: "s", body: "b" }], ["close"]]);
    const h = await record(scenario, () => undefined);
    const e = await replayOnEspruino(h.rec, scenario);
    assert.equal(e.problem, "");
    assert.equal(e.mismatch, null);
    assert.equal(e.code, "flash");
    assert.deepEqual(e.results, h.results);
    const stub = await replayOnEspruino(h.rec, scenario, { stub: true });
    // the core's 20 KB as copied text would be some 1,600 JsVars; as flash, a few hundred
    assert.ok(e.loaded! - stub.loaded! > 50 && e.loaded! - stub.loaded! < 1000, `loaded ${e.loaded} - ${stub.loaded}`);
  });
});
