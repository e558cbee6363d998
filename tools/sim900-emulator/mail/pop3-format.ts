// RFC 1939 multi-line framing, shared by the embedded server and the tests' expectations.

/** Lines starting with "." get another "." and the block ends with ".\r\n". Lines end in CRLF only
 *  (RFC 1939 3): a "." after a bare CR or LF is not at a line start (JS's /^/m would say it is). */
export function dotStuff(body: Buffer): Buffer {
  let s = body.toString("latin1");
  if (s.length && !s.endsWith("\r\n")) s += "\r\n";
  return Buffer.from(s.replace(/(^|\r\n)\./g, "$1..") + ".\r\n", "latin1");
}

/** Headers, the blank line and the first n body lines (TOP msg n). */
export function topOf(raw: Buffer, lines: number): Buffer {
  const s = raw.toString("latin1");
  const sep = s.indexOf("\r\n\r\n");
  if (sep < 0) return raw;
  const head = s.slice(0, sep + 4);
  const body = s.slice(sep + 4).split("\r\n");
  if (body[body.length - 1] === "") body.pop();
  const kept = body.slice(0, Math.max(0, lines));
  return Buffer.from(head + kept.map((l) => l + "\r\n").join(""), "latin1");
}
