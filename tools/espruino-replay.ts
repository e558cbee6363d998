// Runs the board module on a real Espruino (ESPRUINO=path; the Pico-sized Linux build) through whole
// sessions (tools/espruino-sessions.ts: the calls of the send, receive and fetch suites and a sample
// of fault-matrix cells). Each session runs first in the ES5 sandbox against the emulated SIM900,
// recording every write of the module and the serial chunks that followed; then on Espruino, with the
// module in Storage and the modem replayed over TCP (tools/espruino-session.ts), every write checked
// against the recording. Both runs sum up their callbacks' results, which must be the same.
//
//   ESPRUINO=/opt/espruino-pico/espruino npx tsx tools/espruino-replay.ts [name filter]
import { record, replayOnEspruino } from "./espruino-session";
import { opsScenario } from "./espruino-script";
import { SESSIONS, Session } from "./espruino-sessions";
import { espruinoBinary, ESPRUINO_USAGE, isMain } from "./espruino-process";

export interface Comparison { name: string; same: boolean; writes: number; chunks: number; detail: string[] }

/** The first rows where two result lists differ, side by side. */
function differences(host: unknown[], board: unknown[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < Math.max(host.length, board.length); i++) {
    const a = JSON.stringify(host[i]), b = JSON.stringify(board[i]);
    if (a !== b) out.push(`  result ${i}:\n    V8:       ${a}\n    Espruino: ${b}`);
  }
  return out;
}

export async function compare(s: Session): Promise<Comparison> {
  const scenario = opsScenario(s.ops);
  const host = await record(scenario, (deliver) => (s.mailbox || []).forEach(deliver), s);
  const chunks = host.rec.pre.length + host.rec.steps.reduce((n, st) => n + st.chunks.length, 0);
  const e = await replayOnEspruino(host.rec, scenario);
  const detail: string[] = [];
  if (e.problem) detail.push("  " + e.problem.replace(/\n/g, "\n  "));
  if (e.mismatch) detail.push("  first write that differs: " + e.mismatch);
  if (e.results) detail.push(...differences(host.results as unknown[], e.results as unknown[]));
  else detail.push("  V8 results: " + JSON.stringify(host.results));
  return { name: s.name, same: !detail.length, writes: host.rec.steps.length, chunks, detail };
}

async function main(filter?: string) {
  let differ = 0;
  for (const s of SESSIONS.filter((s) => !filter || s.name.includes(filter))) {
    const c = await compare(s);
    console.log(`${c.same ? "same" : "DIFFERENT"}  ${c.name}  (${c.writes} writes, ${c.chunks} serial chunks)`);
    for (const d of c.detail) console.log(d);
    if (!c.same) differ++;
  }
  console.log(differ ? `\n${differ} session(s) differ between the sandbox (V8) and Espruino` : "\nevery session: same writes, same results");
  return differ ? 1 : 0;
}

if (isMain(__filename)) {
  if (!espruinoBinary()) {
    console.error(ESPRUINO_USAGE);
    process.exit(2);
  }
  main(process.argv[2]).then((c) => process.exit(c), (err) => { console.error(err); process.exit(1); });
}
