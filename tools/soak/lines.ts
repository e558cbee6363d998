// What the module should take for response lines, worked out from the bytes it was handed: lines end
// at LF (a CR before it dropped), empty lines and echoes ("AT...") are no lines, a line over the bound
// is dropped, a '>' (and a space after it) at a line start is the data prompt, the line ">", and
// after a line "+POP3READ: <1|2>,<n>" come n payload bytes that are never lines (manual 2.19). The module's own
// "< " transcript lines are compared with these: a payload byte taken for a line is a misparse.

const READ_HEADER = /^\+POP3READ: *[12],(\d+)/;

export class ExpectedLines {
  private partial = "";
  private payload = 0;
  private skipSpace = false;
  private discard = false;
  private out: string[] = [];

  constructor(private maxLine = 256) {}

  push(chunk: string): void {
    let pos = 0;
    while (pos < chunk.length) {
      if (this.payload > 0) {
        const take = Math.min(this.payload, chunk.length - pos);
        this.payload -= take;
        pos += take;
        continue;
      }
      if (this.skipSpace) {
        this.skipSpace = false;
        if (chunk[pos] === " ") { pos++; continue; }
      }
      if (this.partial === "" && !this.discard && chunk[pos] === ">") {
        pos++;
        this.skipSpace = true;
        this.out.push(">");
        continue;
      }
      const nl = chunk.indexOf("\n", pos);
      const seg = chunk.slice(pos, nl < 0 ? chunk.length : nl);
      pos = nl < 0 ? chunk.length : nl + 1;
      if (this.discard) {
        if (nl >= 0) this.discard = false;
        continue;
      }
      const text = this.partial + seg;
      if (text.length > this.maxLine) {
        this.partial = "";
        if (nl < 0) this.discard = true;
        continue;
      }
      if (nl < 0) { this.partial = text; continue; }
      this.partial = "";
      this.line(text.endsWith("\r") ? text.slice(0, -1) : text);
    }
  }

  /** Lines completed since the last take(). */
  take(): string[] {
    const o = this.out;
    this.out = [];
    return o;
  }

  private line(text: string): void {
    if (text === "" || /^AT/i.test(text)) return;
    this.out.push(text);
    const m = READ_HEADER.exec(text);
    if (m) this.payload = +m[1];
  }
}

/** How two line lists differ: a class for grouping ("" when equal) and the first difference, briefly. */
export function lineDifference(expected: string[], got: string[]): { kind: string; detail: string } {
  const show = (s: string | undefined) => (s === undefined ? "(none)" : JSON.stringify(s.length > 60 ? s.slice(0, 60) + "..." : s));
  for (let i = 0; i < Math.max(expected.length, got.length); i++)
    if (expected[i] !== got[i]) {
      const kind = got.length > expected.length ? "payload bytes read as response lines"
        : got.length < expected.length ? "response lines the module did not read" : "response lines read differently";
      return { kind, detail: `${kind} (${got.length} lines read, ${expected.length} sent as lines): line ${i + 1}, module read ${show(got[i])}, the modem sent ${show(expected[i])}` };
    }
  return { kind: "", detail: "" };
}
