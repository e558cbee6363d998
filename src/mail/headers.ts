// Streaming RFC 5322 header block parser, fed one line at a time (no line end), e.g. from a line
// splitter. Headers are short, so per-line string work is fine here.
import { trim, lower } from "./text";

export interface HeaderParser {
  /** Feed one line. Returns false once the blank line ending the header block has been seen. */
  line(l: string): boolean;
  /** The input ended without a blank line: flushes the pending header and calls onEnd (once). */
  end(): void;
}

/**
 * onHeader(name, value) once per header, in order: name lower-cased and trimmed; value unfolded (the
 * line breaks of continuation lines removed, their leading whitespace kept, RFC 5322 2.2.3), without
 * the whitespace after the colon, cut to its first maxValue bytes (default 256), then trimmed.
 * Lines without ':' (or starting with it) outside a header are ignored. onEnd is called once, at the
 * blank line (or end()); later lines are ignored. Holds one pending header (name + <= maxValue bytes).
 */
export function createHeaderParser(
  onHeader: (name: string, value: string) => void,
  onEnd?: () => void,
  maxValue?: number,
): HeaderParser {
  var max = maxValue || 256;
  var name = "", value = "", done = false;

  function flush() {
    if (name) onHeader(name, trim(value));
    name = "";
  }

  function add(s: string) {
    value = (value + s).substring(0, max);
  }

  function finish() {
    flush();
    done = true;
    if (onEnd) onEnd();
  }

  function line(l: string) {
    if (done) return false;
    if (l === "") { finish(); return false; }
    var c = l.charAt(0);
    if (c === " " || c === "\t") {
      if (name) add(l);
      return true;
    }
    flush();
    var i = l.indexOf(":");
    if (i > 0) {
      name = lower(trim(l.substring(0, i)));
      value = "";
      add(l.substring(i + 1).replace(/^[ \t]+/, ""));
    }
    return true;
  }

  return { line: line, end: function () { if (!done) finish(); } };
}

/**
 * The bare address of the first mailbox in a From/To/Reply-To value: `"Name" <a@b>`, `Name <a@b>`,
 * `<a@b>`, `a@b (comment)`, `a@b`. Quoted strings and (non-nested) comments are removed first;
 * then the text inside the first <...> is taken, or else the text up to the first ','. Trimmed;
 * "" when nothing is left.
 */
export function parseAddress(value: string): string {
  var v = value.replace(/"[^"]*"/g, "").replace(/\([^()]*\)/g, "");
  var i = v.indexOf("<");
  if (i >= 0) {
    v = v.substring(i + 1);
    i = v.indexOf(">");
  } else i = v.indexOf(",");
  return trim(i < 0 ? v : v.substring(0, i));
}
