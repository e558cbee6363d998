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
  var state = 0;    // 0: in the status line, 1: in the message, 2: done
  var skip = 0;     // bytes still to drop from the output: the status line's own CRLF
  var count = 0;

  function deliver(s: string) {
    if (skip) { s = s.substring(skip); skip = 0; }
    if (s) { count += s.length; onData(s); }
  }

  function push(slice: string) {
    if (state > 1) return;
    var s = carry ? carry + slice : slice;
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
      skip = 2;
    }
    var n = s.length, k, plain = find(s, "\n.") < 0;
    if (plain) {
      // Most slices: no line starts with a dot, so no terminator and nothing to unstuff. Only a
      // final "\r" or "\r\n" is held. (Measured on Espruino: this path is what keeps up.)
      k = s.charAt(n - 1) === "\r" ? 1 : s.charAt(n - 1) === "\n" && s.charAt(n - 2) === "\r" ? 2 : 0;
    } else {
      var e = find(s, "\r\n.\r\n");
      if (e >= 0) {
        state = 2;
        deliver(replaceAll(s.substring(0, e + 2), "\r\n..", "\r\n."));
        onEnd();
        return;
      }
      k = 4;
      while (k && s.substring(n - k) !== END.substring(0, k)) k--;
    }
    carry = s.substring(n - k);
    // the held tail always starts with "\r" of a "\r\n", so the status CRLF is either all held or all sent
    if (k < n) deliver(plain ? s.substring(0, n - k) : replaceAll(s.substring(0, n - k), "\r\n..", "\r\n."));
  }

  return { push: push, bytes: function () { return count; } };
}
