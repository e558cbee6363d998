import { strict as assert } from "node:assert";
import { lib, target } from "./target";

// A stand-in for Espruino's Storage: readJSON/writeJSON on a map that outlives the store (a reset).
function fakeStorage() {
  const files = new Map<string, string>();
  return { files, readJSON: (n: string) => (files.has(n) ? JSON.parse(files.get(n)!) : undefined), writeJSON: (n: string, v: unknown) => void files.set(n, JSON.stringify(v)) };
}

describe(`seen-UID store @dist (${target})`, () => {
  it("keeps handled UIDs in a Storage file across a restart, bounded and pruned to the server's", () => {
    const flash = fakeStorage();
    const a = lib.seenStore("seen", 3, flash);
    a.add("u1");
    a.add("u2");
    const b = lib.seenStore("seen", 3, flash); // the unit restarted
    assert.ok(b.has("u1") && b.has("u2") && !b.has("u3"));
    b.add("u3");
    b.add("u4");
    assert.ok(!b.has("u1"), "oldest dropped beyond the bound");
    b.keep(["u3", "u4", "zz"]);
    assert.deepEqual(JSON.parse(flash.files.get("seen")!), ["u3", "u4"]);
  });

  it("works in RAM when the board has no Storage", () => {
    const s = lib.seenStore("seen", 2);
    s.add("x");
    assert.ok(s.has("x"));
  });
});
