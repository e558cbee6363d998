// The manual's result-code tables (2.10 +SMTPSEND, 2.14 +POP3IN, 2.19/2.22 +POP3OUT), text for text:
// the shared codes in the core, 65-68 of +SMTPSEND and +POP3IN in the send and pop3 parts.
import { strict as assert } from "node:assert";
import { lib, target } from "./target";

const COMMON: [number, string][] = [
  [61, "Network error"], [62, "DNS resolve error"], [63, "% TCP connection error"], [64, "Timeout of % server response"],
  [69, "Read data timeout"], [80, "SSL insufficient resource"], [81, "TCP send timeout in SSL transmission"],
  [82, "SSL handshake timeout"], [83, "SSL handshake error"], [84, "SSL alert error"],
];
const SMTP: [number, string][] = [
  [65, "SMTP server response error"], [66, "SMTP server requires authentication"], [67, "SMTP authentication failed"], [68, "Bad recipient"],
];
const POP3IN: [number, string][] = [
  [65, "POP3 server response error"], [66, "POP3 server rejects login"], [67, "Incorrect POP3 user name"], [68, "Incorrect POP3 user name or password"],
];

describe(`result codes: the manual's text @dist (${target})`, () => {
  const check = (command: string, code: number, text: string, own?: string) => {
    const e = lib.codeError(command, code, own);
    assert.equal(e.message, text + " (" + code + ")", command + " " + code);
    assert.equal(e.code, code);
    assert.equal(e.command, command);
  };

  it("SMTPSEND: its own codes 65-68 and the shared ones, % as SMTP", () => {
    for (const [c, t] of SMTP) check("SMTPSEND", c, t, lib.SMTP_CODES);
    for (const [c, t] of COMMON) check("SMTPSEND", c, t.replace("%", "SMTP"), lib.SMTP_CODES);
    for (const [c, t] of COMMON) check("SMTPSEND", c, t.replace("%", "SMTP"));
  });

  it("POP3IN: its own codes 65-68 and the shared ones, % as POP3", () => {
    for (const [c, t] of POP3IN) check("POP3IN", c, t, lib.POP3IN_CODES);
    for (const [c, t] of COMMON) check("POP3IN", c, t.replace("%", "POP3"), lib.POP3IN_CODES);
  });

  it("other POP3 commands: the shared codes; 65-68 and unknown codes say the command failed", () => {
    for (const [c, t] of COMMON) check("POP3OUT", c, t.replace("%", "POP3"));
    for (const c of [65, 66, 67, 68, 0, 1, 6, 8, 70, 99, 100, 610, 6100]) check("POP3READ", c, "POP3READ failed");
    for (const c of [6, 8, 100, 611]) check("SMTPSEND", c, "SMTPSEND failed", lib.SMTP_CODES);
    // without the part's own table (the core alone, e.g. a +CME ERROR), 65-68 are not the part's texts
    for (const c of [65, 66, 67, 68]) { check("SMTPSEND", c, "SMTPSEND failed"); check("POP3IN", c, "POP3IN failed"); }
  });
});
