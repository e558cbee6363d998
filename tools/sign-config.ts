// Signs a config email body for units that fetch() with a key (module sim900-email-sign).
//   npx tsx tools/sign-config.ts --key KEY --seq N [--in payload.txt]   (payload from stdin without --in)
// Prints "sig: <seq> <hmac>" CRLF payload. Uses node:crypto, independent of the firmware's SHA-256, so the
// tests cross-check the two. Format: see src/companions/sign.ts.
import { createHmac } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

const USAGE = `Usage: npx tsx tools/sign-config.ts --key KEY --seq N [--in payload.txt]

Prints the signed config email body (sig line + CRLF + payload) to stdout.
  --key KEY   the shared secret given to fetch() on the units (UTF-8)
  --seq N     sequence number 1..2147483647, above every one sent before
  --in FILE   the payload (default: stdin)
  --help      this text
`;

/** What is signed: CRLF -> LF, trailing spaces/tabs/CR/LF dropped. */
export function normalise(payload: string): string {
  return payload.replace(/\r\n/g, "\n").replace(/[ \t\r\n]+$/, "");
}

/** The signed body for `payload` (a JS string, signed as UTF-8). */
export function signConfig(key: string, seq: number, payload: string): string {
  if (!(Number.isInteger(seq) && seq >= 1 && seq <= 2147483647)) throw new RangeError("seq must be an integer 1..2147483647");
  const mac = createHmac("sha256", Buffer.from(key, "utf8")).update(Buffer.from(seq + "\n" + normalise(payload), "utf8")).digest("hex");
  return "sig: " + seq + " " + mac + "\r\n" + payload;
}

export function main(argv: string[]): number {
  const opts: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--help" || a === "-h") {
      process.stdout.write(USAGE);
      return 0;
    }
    if ((a === "--key" || a === "--seq" || a === "--in") && i + 1 < argv.length) opts[a.slice(2)] = argv[++i];
    else {
      process.stderr.write("sign-config: unexpected argument " + JSON.stringify(a) + "\n" + USAGE);
      return 2;
    }
  }
  const seq = Number(opts.seq);
  if (!opts.key || !/^\d+$/.test(opts.seq || "") || seq < 1 || seq > 2147483647) {
    process.stderr.write("sign-config: --key and --seq (1..2147483647) are required\n" + USAGE);
    return 2;
  }
  const payload = fs.readFileSync(opts.in !== undefined ? opts.in : 0, "utf8");
  // the body is written as UTF-8 bytes, the same bytes that were signed
  process.stdout.write(signConfig(opts.key, seq, payload));
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]).replace(/\.ts$/, "") === __filename.replace(/\.ts$/, "")) {
  process.exitCode = main(process.argv.slice(2));
}
