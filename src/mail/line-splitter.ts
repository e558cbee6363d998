// Splits de-stuffed text (LIST/UIDL listings, header blocks) into lines. Work is per line with
// indexOf/substring. Holds one unfinished line of at most maxLine + 1 bytes between pushes.

export interface LineSplitter {
  push(s: string): void;
  /** Delivers a final line that had no line end (if any bytes of it arrived). */
  end(): void;
}

/**
 * Lines end with "\r\n" or a bare "\n"; onLine gets them without the line end. A line longer than
 * maxLine bytes is TRUNCATED to its first maxLine bytes and delivered with truncated = true; the
 * rest of it is dropped as it arrives, so memory stays bounded.
 */
export function createLineSplitter(
  onLine: (line: string, truncated: boolean) => void,
  maxLine: number,
): LineSplitter {
  var part = "";    // the unfinished line, at most maxLine + 1 bytes (room for its "\r")
  var over = false; // bytes of the unfinished line were dropped

  function add(s: string) {
    var room = maxLine + 1 - part.length;
    if (s.length > room) { over = true; s = s.substring(0, room); }
    part += s;
  }

  function flush() {
    var l = part, n = l.length;
    if (l.charAt(n - 1) === "\r") l = l.substring(0, --n);
    if (n > maxLine) { over = true; l = l.substring(0, maxLine); }
    var t = over;
    part = "";
    over = false;
    onLine(l, t);
  }

  function push(s: string) {
    var p = 0, i;
    while ((i = s.indexOf("\n", p)) >= 0) {
      add(s.substring(p, i));
      flush();
      p = i + 1;
    }
    add(s.substring(p));
  }

  return { push: push, end: function () { if (part) flush(); } };
}
