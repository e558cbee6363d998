// The sources without the SIM800 dialect, for tools/dialect-cost.ts: every use of src/dialect.ts
// taken out (the model found from ATI, the SSL refusal, AT+EMAILSSL only where the modem has it, the
// DOWNLOAD body) and nothing else. Exact replacements, each of which must match once, so that an
// unrelated edit elsewhere in a file cannot break them; test/dialect.test.ts checks that they still
// do and that no use of the dialect is left.
import { applyEdits, Edit } from "./variant-build";

export const NO_DIALECT: Edit[] = [
  { file: "modem.ts", from: 'import { DIALECTS, identify, Dialect } from "./dialect";', to: 'import type { Dialect } from "./dialect";' },
  { file: "modem.ts", from: '      if (o.ssl && (m.dialect as Dialect).noSsl) throw typedError("CONNECT", "OPTIONS", "SIM800: no SSL");\n', to: "" },
  { file: "modem.ts", from: 'case 12: return (m.dialect as Dialect).noSsl ? 0 : ["AT+EMAILSSL=" + (o.ssl ? 1 : 0)];', to: 'case 12: return ["AT+EMAILSSL=" + (o.ssl ? 1 : 0)];' },
  {
    file: "modem.ts",
    from: `m.at("ATI", { ms: 1000 }, function (err, res) {
          if (!err && !m.dialect) {
            var line = res.reply + "", d = identify(line); // (its lines joined by commas)
            if (!d) tell("MODEL", line);
            m.dialect = d || DIALECTS.sim900;
          }`,
    to: 'm.at("AT", { ms: 1000 }, function (err) {',
  },
  { file: "modem.ts", from: "    dialect: DIALECTS[o.modem as string] || 0, // another value: found from ATI\n", to: "" },
  { file: "smtp.ts", from: 'import type { Dialect } from "./dialect";\n', to: "" },
  { file: "smtp.ts", from: '    var d = (m.dialect as Dialect).download;\n    text = d ? text || "\\r\\n" : text + "\\x1a";\n', to: '    text += "\\x1a";\n' },
  { file: "smtp.ts", from: 'line === (d || ">") && ', to: 'line === ">" && ' },
  { file: "smtp.ts", from: 'm.at("AT+SMTPBODY" + (d ? "=" + text.length : ""), ', to: 'm.at("AT+SMTPBODY", ' },
];

/** Applies NO_DIALECT to a copy of the sources in `dir` (dir/src/...); throws naming a replacement that
 *  does not match exactly once. */
export function applyNoDialect(dir: string): void {
  applyEdits(dir, NO_DIALECT, "tools/no-dialect.ts");
}
