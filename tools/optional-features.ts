// The features that the API contract (docs/API.md) does not name, each as edits that take it
// out of a copy of the sources (tools/variant-build.ts), for tools/floor.ts: what the parts would
// weigh without them. test/floor.test.ts checks that the edits still match and that the edited
// sources build.
import type { Edit } from "./variant-build";

export const OPTIONAL: { name: string; what: string; edits: Edit[] }[] = [
  {
    name: "modem events",
    what: "DEACT, RDY, power-down and under-voltage fail the operation and make the next one prepare again; onEvent",
    edits: [
      { file: "modem.ts", from: "var NEWS = new RegExp(", through: '"\\\\+POP3OUT:"].join("|^"));\n', to: "" },
      { file: "modem.ts", from: "createChannel(port, o.log, o.maxLine, news, o)", to: "createChannel(port, o.log, o.maxLine, undefined, o)" },
      { file: "modem.ts", from: "  /** The modem's news (NEWS)", through: "      tell(event, line);\n    }\n    return true;\n  }\n", to: "" },
    ],
  },
  {
    name: "FIFO_FULL watch",
    what: "an overflow of the serial input FIFO fails the operation under way",
    edits: [
      { file: "modem.ts", from: "      if (watching) E.removeListener(\"errorFlag\", fifo);\n", to: "" },
      { file: "modem.ts", from: "  // The Pico's serial input FIFO drops bytes", through: "if (watching) E.on(\"errorFlag\", fifo);\n", to: "" },
    ],
  },
  {
    name: "recovery",
    what: "after a failure, AT+POP3OUT (a POP3 step) or AT+SAPBR=0 (an SMTP step) before the next operation",
    edits: [
      { file: "modem.ts", from: "/** After these the modem's state is unknown", through: "c <= 68));\n}\n", to: "" },
      { file: "modem.ts", from: "          if (resets(err)) {", through: "return m.at(\"AT+SAPBR=0,\" + cid, null, back);\n          }\n", to: "          m.ready = false;\n" },
    ],
  },
  {
    name: "signed configs",
    what: "fetch's filter.key and filter.verifier: a forged, replayed or unsigned config is refused (onReject)",
    edits: [
      { file: "fetch.ts", from: "  var v: Pick<Verifier", through: "a key needs the module sim900-email-sign\"));\n    }\n", to: "" },
      { file: "fetch.ts", from: "        if (v) {\n          var r = v.check(msg.body);", through: "msg.seq = (r as { seq: number }).seq;\n        }\n", to: "" },
      { file: "fetch.ts", from: "      if (v) v.commit(msg.seq as number);", through: "\n", to: "" },
    ],
  },
];
