// Result codes: on the board an error names the command and the code; the manual's tables (2.10
// +SMTPSEND, 2.14 +POP3IN, 2.19/2.22 +POP3OUT) are the PC's (tools/result-codes.ts), text for text.
import { strict as assert } from "node:assert";
import { lib, target } from "./target";
import { resultText, explain, RESULT_CODES } from "../tools/result-codes";

describe(`result codes on the board: the command and the code @dist (${target})`, () => {
  it("codeError says which command failed with which code, and keeps both", () => {
    for (const [command, code] of [["SMTPSEND", 67], ["POP3IN", 3], ["POP3OUT", 69], ["CPIN", 10]] as [string, number][]) {
      const e = lib.codeError(command, code);
      assert.equal(e.message, command + " failed (" + code + ")");
      assert.equal(e.code, code);
      assert.equal(e.command, command);
      assert.equal(e.type, undefined);
    }
  });
});

describe("result codes on the PC: the manual's texts (tools/result-codes.ts)", () => {
  const SHARED: [number, string][] = [
    [61, "Network error"], [62, "DNS resolve error"], [63, "% TCP connection error"], [64, "Timeout of % server response"],
    [69, "Read data timeout"], [80, "SSL insufficient resource"], [81, "TCP send timeout in SSL transmission"],
    [82, "SSL handshake timeout"], [83, "SSL handshake error"], [84, "SSL alert error"],
  ];

  it("SMTPSEND: 65-68 its own, the shared ones with % as SMTP", () => {
    assert.deepEqual([65, 66, 67, 68].map((c) => resultText("SMTPSEND", c)),
      ["SMTP server response error", "SMTP server requires authentication", "SMTP authentication failed", "Bad recipient"]);
    for (const [c, t] of SHARED) assert.equal(resultText("SMTPSEND", c), t.replace("%", "SMTP"));
  });

  it("POP3IN: 65-68 its own, the shared ones with % as POP3; other POP3 commands only the shared ones", () => {
    assert.deepEqual([65, 66, 67, 68].map((c) => resultText("POP3IN", c)),
      ["POP3 server response error", "POP3 server rejects login", "Incorrect POP3 user name", "Incorrect POP3 user name or password"]);
    for (const [c, t] of SHARED) assert.equal(resultText("POP3OUT", c), t.replace("%", "POP3"));
    for (const c of [65, 66, 67, 68, 0, 1, 70, 610]) assert.equal(resultText("POP3READ", c), undefined);
    assert.equal(resultText("CPIN", 61), undefined, "a +CME ERROR code is not the email tables'");
    assert.equal(RESULT_CODES.length, 14);
  });

  it("explain() adds the text to a board error's message, and leaves others as they are", () => {
    assert.equal(explain(lib.codeError("SMTPSEND", 67)), "SMTPSEND failed (67): SMTP authentication failed");
    assert.equal(explain(lib.codeError("POP3READ", 3)), "POP3READ failed (3)");
    assert.equal(explain(lib.typedError("SAPBR", "TIMEOUT", "SAPBR: no answer from the modem")), "SAPBR: no answer from the modem");
  });
});
