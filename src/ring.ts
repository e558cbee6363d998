// One fixed ring buffer for attachment bytes (manual 2.11): the producer fills it, AT+SMTPFT
// drains it, so RAM does not grow with the attachment.
import { toBytes, toStr } from "./bytes";

export interface Ring {
  /** Copies as many of `bytes` as fit; returns how many. */
  put(bytes: Uint8Array): number;
  /** Removes n (≤ count) bytes and returns them as a byte string. */
  take(n: number): string;
  count(): number;
  free(): number;
}

export function createRing(size: number): Ring {
  var buf = new Uint8Array(size);
  var head = 0; // first byte held
  var n = 0;    // bytes held
  return {
    put: function (bytes) {
      var len = bytes.length < size - n ? bytes.length : size - n;
      var at = (head + n) % size;
      var first = len < size - at ? len : size - at;
      buf.set(bytes.subarray(0, first), at);
      if (len > first) buf.set(bytes.subarray(first, len), 0);
      n += len;
      return len;
    },
    take: function (k) {
      var first = k < size - head ? k : size - head;
      var s = toStr(buf.subarray(head, head + first));
      if (k > first) s += toStr(buf.subarray(0, k - first));
      head = (head + k) % size;
      n -= k;
      return s;
    },
    count: function () { return n; },
    free: function () { return size - n; },
  };
}

export type Producer = (max: number) => string | Uint8Array | undefined;

/** A producer over a whole string or Uint8Array, handing it out in pieces of at most `max`
 *  (a string is converted piece by piece, never copied whole). */
export function producerOf(data: string | Uint8Array): Producer {
  var off = 0;
  return function (max) {
    var piece = typeof data === "string" ? toBytes(data.substr(off, max)) : data.subarray(off, off + max);
    off += piece.length;
    return piece;
  };
}
