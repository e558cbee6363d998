// The host's side of a replayed session: a TCP server that plays the modem from a recording. Each
// write the module makes must be the next one recorded (compared byte for byte as it streams in,
// however TCP splits or joins it); then the serial chunks recorded after that write are sent, one
// per acknowledgement on a second socket, so that Espruino sees each as its own 'data' event, as in
// the sandbox. Replaying a recording, rather than running the emulator live, keeps Espruino's run
// independent of its speed (no emulator timer can fire differently) and names the first write that
// differs from what the module wrote in V8. Each chunk waits as long after the event before it (the
// write, or the chunk before) as it did in the sandbox, when that was a millisecond or more, so that
// a modem that answered late (a reboot's "Call Ready", a slow network) answers late here too.
import * as net from "node:net";

export interface Chunk { data: string; /** ms after the write or chunk before it, in the sandbox */ gap: number }
/** `pre`: chunks before the first write (sent once the harness is listening); then each write of the module, with the serial chunks that followed it. */
export interface Recording { pre: Chunk[]; steps: { write: string; chunks: Chunk[] }[] }

export interface ReplayServer {
  dataPort: number;
  ackPort: number;
  /** The first difference from the recording ("write 12: ... recorded ..."), or null. */
  mismatch(): string | null;
  /** Recorded writes seen so far, and how many there are. */
  progress(): { matched: number; recorded: number; chunksSent: number };
  close(): void;
}

const show = (s: string) => JSON.stringify(s.length > 120 ? s.slice(0, 120) + "..." : s);

export async function serveReplay(rec: Recording): Promise<ReplayServer> {
  let step = 0, inbuf = "", bad: string | null = null, credit = false, sent = 0;
  const queue: Chunk[] = [];
  let data: net.Socket | null = null, waiting: NodeJS.Timeout | undefined;
  const sockets: net.Socket[] = [];

  const send = () => {
    waiting = undefined;
    credit = false;
    sent++;
    data!.write(Buffer.from(queue.shift()!.data, "latin1"));
  };
  const pump = () => {
    if (!credit || !data || !queue.length || waiting) return;
    if (queue[0].gap >= 1) waiting = setTimeout(send, queue[0].gap);
    else send();
  };
  const onWrite = (d: Buffer) => {
    if (bad) return;
    inbuf += d.toString("latin1");
    while (inbuf && !bad) {
      if (step >= rec.steps.length) { bad = "extra write after the recorded " + rec.steps.length + ": " + show(inbuf); return; }
      const want = rec.steps[step].write;
      const n = Math.min(want.length, inbuf.length);
      if (inbuf.slice(0, n) !== want.slice(0, n)) {
        bad = `write ${step}: ${show(inbuf.slice(0, Math.max(n, 40)))} recorded ${show(want)}`;
        return;
      }
      if (inbuf.length < want.length) break; // the rest is on its way
      inbuf = inbuf.slice(want.length);
      queue.push(...rec.steps[step].chunks);
      step++;
    }
    pump();
  };

  const listen = (server: net.Server) => new Promise<number>((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as net.AddressInfo).port)));
  const dataServer = net.createServer((s) => {
    sockets.push(s);
    if (data) { bad = bad || "a second connection to the modem"; s.destroy(); return; }
    data = s;
    queue.push(...rec.pre);
    s.on("data", onWrite);
    pump(); // the harness may have said it is ready first
    s.on("error", () => undefined);
  });
  const ackServer = net.createServer((s) => {
    sockets.push(s);
    s.on("data", (d) => { for (let i = 0; i < d.length; i++) { credit = true; pump(); } });
    s.on("error", () => undefined);
  });
  const dataPort = await listen(dataServer), ackPort = await listen(ackServer);
  return {
    dataPort, ackPort,
    mismatch: () => bad || (inbuf ? "an unfinished write " + show(inbuf) : null),
    progress: () => ({ matched: step, recorded: rec.steps.length, chunksSent: sent }),
    close() {
      clearTimeout(waiting);
      for (const s of sockets) s.destroy();
      dataServer.close();
      ackServer.close();
    },
  };
}
