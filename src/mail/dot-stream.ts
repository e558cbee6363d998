// POP3 multi-line response reader (RFC 1939 3): drops the status line, undoes dot-stuffing and stops
// at the terminating "." line. Slices may be split anywhere; work is per slice with native calls,
// never per byte. Between slices it holds at most 4 bytes: a tail of "\r\n.\r" not yet decidable.
import { find } from "../strings";

export interface DotStream {
  /** Feed the next raw slice. Ignored once the end has been seen. */
  push(slice: string): void;
}

/**
 * onData gets the message de-stuffed, without the status line and without the final ".\r\n" (the CRLF
 * ending the last message line is delivered). At most one onData call per push, none with "".
 * onEnd, if given, is called once, after the last onData; anything after the terminator is ignored.
 * The status line is not checked (the caller knows it asked for a multi-line "+OK" answer).
 * (No byte count: the consumer counts what it gets. Each function a stream holds costs ~9 JsVars.)
 */
export function createDotStream(onData: (s: string) => void, onEnd?: () => void): DotStream {
  var carry = "";   // held-back tail: "", "\r", "\r\n", "\r\n." or "\r\n.\r"
  var state = 0;    // 0: in the status line, 1: its CRLF not yet dropped, 2: in the message, 3: done
  var plain = false; // state 2 and nothing held: the next slice may take the short path

  // Everything but the common slice: the status line, a held tail, a line that starts with a dot.
  // One scan for "\n." finds both the stuffed lines and the terminator.
  function slow(slice: string) {
    if (state > 2) return;
    var s = carry ? carry + slice : slice;
    if (!state) {
      var i = find(s, "\r\n");
      if (i < 0) {
        // still in the status line: drop it, keeping only a final "\r"
        carry = s.charAt(s.length - 1) === "\r" ? "\r" : "";
        return;
      }
      // keep the status line's CRLF so that the message starts, like every line, after "\r\n"
      s = s.substring(i);
      state = 1;
    }
    // hold the longest tail that may still become "\r\n.\r\n" (the terminator) or "\r\n.."
    var n = s.length, z = s[n - 1];
    var k = z === "\r" ? (s.substring(n - 4) === "\r\n.\r" ? 4 : 1) : z === "\n" ? (s[n - 2] === "\r" ? 2 : 0) : z === "." && s.substring(n - 3) === "\r\n." ? 3 : 0;
    var end = n - k, out = "", from = 0, d = s.indexOf("\n."), last = false;
    // d is a "\n" followed by "."; Espruino may also report a "\n" at the very end (d = n - 1)
    while (d >= 0 && d < n - 1) {
      if (s[d - 1] === "\r") {
        var c = s[d + 2];
        if (c === ".") {
          out += s.substring(from, d + 2); // "\r\n.." becomes "\r\n."
          from = d + 3;
        } else if (c === "\r" && s[d + 3] === "\n") {
          end = d + 1; // the terminator: up to the CRLF before the final dot
          last = true;
          break;
        }
      }
      d = s.indexOf("\n.", d + 1);
    }
    carry = k && !last ? s.substring(end) : "";
    // the held tail always starts with "\r" of a "\r\n", so the status CRLF is either all held or all sent
    if (end) {
      s = from ? out + s.substring(from, end) : end < n ? s.substring(0, end) : s;
      if (state < 2) s = s.substring(2); // the status line's CRLF, the first time
      state = last ? 3 : 2;
      if (s) onData(s);
    }
    plain = state === 2 && !carry;
    if (last && onEnd) onEnd();
  }

  return {
    // The common slice, kept short (Espruino lexes a function's text each time it runs): in the
    // message, nothing held, no line starting with a dot, no CR or LF at the end. One native scan.
    // (A "\n" at the end may be reported by Espruino's indexOf: it fails the last-byte test anyway.)
    push: function (s: string) {
      var n = s.length;
      if (plain && s[n - 1] > "\r" && s.indexOf("\n.") < 0) onData(s);
      else /*#__NOINLINE__*/ slow(s);
    },
  };
}
