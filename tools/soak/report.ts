// The soak's printed summary: operations per kind, faults, bytes checked, and each distinct failure
// once, with how often it happened and the seed that replays its first occurrence.
import type { Failure, SoakResult } from "./run";

export function distinctFailures(r: SoakResult): Array<{ key: string; count: number; first: Failure }> {
  const map = new Map<string, { key: string; count: number; first: Failure }>();
  for (const f of r.failures) {
    const key = f.key;
    const e = map.get(key);
    if (e) e.count++;
    else map.set(key, { key, count: 1, first: f });
  }
  return [...map.values()].sort((a, b) => b.count - a.count);
}

export function formatSummary(r: SoakResult): string {
  const o = r.options;
  const n = Object.values(r.ops).reduce((a, b) => a + b, 0);
  const faults = Object.values(r.faults).reduce((a, b) => a + b, 0);
  const t = r.timeouts;
  const out = [
    `soak: ${n} operations in ${r.seconds.toFixed(1)} s, seed ${o.seed}${o.only !== undefined ? ", only operation " + o.only : ""}`,
    `  operations: send ${r.ops.send}, streamed retrieve ${r.ops.streamed}, whole retrieve ${r.ops.whole}, fetch ${r.ops.fetch}`,
    `  stalls of user callbacks up to ${o.stallMs} ms; module timeouts: AT ${t.atTimeout} ms, server ${t.serverTimeout} ms, fetch handler ${t.handlerTimeout} ms`,
    `  faults injected: ${faults} (${Object.entries(r.faults).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(", ") || "none"}); armed but not reached: ${r.faultsMissed}`,
    `  bytes checked: ${r.bytesChecked}`,
  ];
  const distinct = distinctFailures(r);
  const ops = new Set(r.failures.map((f) => f.op)).size;
  out.push(`  failures: ${r.failures.length} in ${ops} operations, ${distinct.length} distinct`);
  for (const d of distinct) {
    const f = d.first;
    out.push(`  - ${d.count}× ${d.key}`);
    out.push(`      e.g. ${f.detail}`);
    out.push(`      first: operation ${f.op} (${f.kind}${f.fault ? ", fault " + f.fault : ""}${f.after ? ", after fault " + f.after : ""}), op seed ${f.opSeed}; replay: npm run soak -- --seed ${o.seed} ${f.after ? `--from ${f.op - 1} --count 2` : `--only ${f.op}`}`);
  }
  return out.join("\n");
}
