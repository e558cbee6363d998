// POP3 multi-line response reader (RFC 1939 3): drops the status line, undoes dot-stuffing and stops
// at the terminating "." line. Slices may be split anywhere; work is per slice with native calls,
// never per byte. Between slices it holds at most 4 bytes: a tail of "\r\n.\r" not yet decidable.
import { find, replaceAll } from "../strings";

export interface DotStream {
  /** Feed the next raw slice. Ignored once the end has been seen. */
  push(slice: string): void;
  /** Message bytes delivered to onData so far. */
  bytes(): number;
}

var END = "\r\n.\r";

/**
 * onData gets the message de-stuffed, without the status line and without the final ".\r\n" (the CRLF
 * ending the last message line is delivered). At most one onData call per push, none with "".
 * onEnd is called once, after the last onData; anything after the terminator is ignored.
 * The status line is not checked (the caller knows it asked for a multi-line "+OK" answer).
 */
export function createDotStream(onData: (s: string) => void, onEnd: () => void): DotStream {
  var carry = "";   // held-back tail: "", "\r", "\r\n", "\r\n." or "\r\n.\r"
  var state = 0;    // 0: in the status line, 1: its CRLF not yet dropped, 2: in the message, 3: done
  var count = 0;

  function give(s: string) {
    if (state < 2) { s = s.substring(2); state = 2; } // the status line's CRLF
    if (s) { count += s.length; onData(s); }
  }

  // Everything but the common slice: the status line, a held tail, a line that starts with a dot.
  function slow(slice: string) {
    if (state > 2) return;
    var s = carry + slice;
    carry = "";
    if (!state) {
      var i = find(s, "\r\n");
      if (i < 0) {
        // still in the status line: drop it, keeping only a final "\r"
        if (s.charAt(s.length - 1) === "\r") carry = "\r";
        return;
      }
      // keep the status line's CRLF so that the message starts, like every line, after "\r\n"
      s = s.substring(i);
      state = 1;
    }
    var n = s.length, k, plain = find(s, "\n.") < 0;
    if (plain) k = s.charAt(n - 1) === "\r" ? 1 : s.charAt(n - 1) === "\n" && s.charAt(n - 2) === "\r" ? 2 : 0;
    else {
      var e = find(s, "\r\n.\r\n");
      if (e >= 0) {
        s = replaceAll(s.substring(0, e + 2), "\r\n..", "\r\n.");
        if (state < 2) s = s.substring(2);
        state = 3;
        if (s) { count += s.length; onData(s); }
        onEnd();
        return;
      }
      k = 4;
      while (k && s.substring(n - k) !== END.substring(0, k)) k--;
    }
    carry = s.substring(n - k);
    // the held tail always starts with "\r" of a "\r\n", so the status CRLF is either all held or all sent
    if (k < n) give(plain ? s.substring(0, n - k) : replaceAll(s.substring(0, n - k), "\r\n..", "\r\n."));
  }

  return {
    // The common slice, kept short (Espruino lexes a function's text each time it runs): in the
    // message, nothing held, no line starting with a dot, no CR or LF at the end. One native scan.
    // (A "\n" at the end may be reported by Espruino's indexOf: it fails the last-byte test anyway.)
    push: function (s: string) {
      if (state === 2 && !carry && s[s.length - 1] > "\r" && s.indexOf("\n.") < 0) {
        count += s.length;
        onData(s);
      } else /*#__NOINLINE__*/ slow(s);
    },
    bytes: function () { return count; },
  };
}
