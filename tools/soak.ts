// npm run soak [-- --count N --seed S --stall-ms MS --only K --fault-rate P]: drives the built module
// (dist/sim900-email.js) through N random operations against the emulated SIM900 with faults, chunking,
// pacing and stalled callbacks (tools/soak/run.ts), prints a summary and exits 1 on any failure.
import { runSoak, SoakOptions } from "./soak/run";
import { formatSummary } from "./soak/report";

const HELP = `usage: npm run soak -- [--count N] [--seed S] [--stall-ms MS] [--only K | --from K] [--fault-rate P]
  --count N       operations (default 1000)
  --seed S        run seed (default: from the clock; printed, so a run can be replayed)
  --stall-ms MS   longest stall of a user callback (default 600; a real program may stall 3000);
                  the module runs with AT timeout 500 ms, so longer stalls must not count as silence
  --only K        run operation K of the seed's run alone, on a fresh connection
  --from K        start at operation K (then --count operations), on a fresh connection
  --fault-rate P  share of operations with a fault (default 0.3)`;

export function parseSoakArgs(argv: string[]): SoakOptions {
  const o: SoakOptions = { count: 1000, seed: Date.now() % 1000000007, stallMs: 600 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => {
      const s = argv[++i];
      if (s === undefined || !/^\d+(\.\d+)?$/.test(s)) throw new Error(`${a} needs a number`);
      return Number(s);
    };
    if (a === "--count") o.count = v();
    else if (a === "--seed") o.seed = v();
    else if (a === "--stall-ms") o.stallMs = v();
    else if (a === "--only") o.only = v();
    else if (a === "--from") o.from = v();
    else if (a === "--fault-rate") o.faultRate = v();
    else if (a === "--help" || a === "-h") { console.log(HELP); process.exit(0); }
    else throw new Error("unknown option " + a + "\n" + HELP);
  }
  return o;
}

async function main() {
  const o = parseSoakArgs(process.argv.slice(2));
  console.log(`soak: seed ${o.seed}, ${o.only !== undefined ? "operation " + o.only : o.count + " operations"}, stalls up to ${o.stallMs} ms`);
  const trace = process.env.SOAK_TRACE ? (l: string) => console.log(l) : undefined;
  const transcript = process.env.SOAK_TRACE === "2" ? (l: string) => console.log("    " + JSON.stringify(l).slice(1, -1).slice(0, 150)) : undefined;
  const r = await runSoak({ ...o, progress: (l) => console.log(l), trace, transcript });
  console.log(formatSummary(r));
  const { sharedBackend } = await import("./sim900-emulator/accounts");
  await (await sharedBackend()).close();
  return r.failures.length ? 1 : 0;
}

main().then((code) => process.exit(code), (e) => {
    console.error("soak failed to run:", e && e.message ? e.message : e);
  process.exit(2);
});
