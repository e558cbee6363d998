// Espruino 2v29's String.indexOf reports a needle that only begins at the end of the string. The
// sandbox (dist mode) reproduces that, checked here against what a real Espruino 2v29 printed; find()
// must give the right answer either way.
import { strict as assert } from "node:assert";
import * as vm from "node:vm";
import { ESPRUINO_INDEXOF } from "../tools/sandbox";
import { lib, target } from "./target";

describe(`find: indexOf without Espruino's match past the end @dist (${target})`, () => {
  it("the sandbox's indexOf behaves like Espruino 2v29's (figures from the real interpreter)", () => {
    const ctx = vm.createContext({});
    vm.runInContext(ESPRUINO_INDEXOF, ctx);
    const got = vm.runInContext('["abcde\\r".indexOf("\\r\\n"), "xxxxxx\\r".indexOf("\\r\\n.\\r\\n"), "abcab".indexOf("abx"), "abc".indexOf("c", 5), "abcab".indexOf("abx", 4), "abcab".indexOf("b", 9)]', ctx);
    assert.deepEqual([...got], [5, 6, 3, -1, 3, -1]);
  });

  it("finds real matches only", () => {
    assert.equal(lib.find("abcde\r", "\r\n"), -1);
    assert.equal(lib.find("xxxxxx\r", "\r\n.\r\n"), -1);
    assert.equal(lib.find("ab\r\n.\r\nx", "\r\n.\r\n"), 2);
    assert.equal(lib.find("abcab", "abx"), -1);
    assert.equal(lib.find("abcab", "ab", 1), 3);
    assert.equal(lib.find("Ops <ops@example.co", "ops@example.com"), -1); // a From filter must not match a cut address
  });
});
