// The AT stream reader: turns the strings that Serial 'data' events deliver (split anywhere) into
// response lines (the '>' data prompt of manual 2.8 among them, as the line ">") and raw payloads
// whose length the layer above announces with expect(n) (manual 2.19). It never knows about commands.
// Work is done per chunk with indexOf/substring: no per-byte loop, no per-byte string building.

export interface ReaderEvents {
  /** A complete response line without CR/LF; empty lines and command echoes are dropped. The '>'
   *  prompt at the start of a line (with the space that may follow it, no line end) is the line ">". */
  line(text: string): void;
  /** A slice of a raw payload; `left` is how many payload bytes are still to come. */
  piece(slice: string, left: number): void;
  /** A line longer than the bound arrived; it was dropped up to its end. */
  overflow(): void;
  /** A chunk that is not all payload is about to be read. */
  tick?(): void;
  /** A handler threw inside push(). Given this, push never throws, so that it can be the Serial
   *  'data' handler itself (Espruino removes a data handler that throws, for good). */
  fault?(e: any): void;
}

export interface Reader {
  push(chunk: string): void;
  /** Date.now() when push() last returned (0: never): handlers' time included. (A field: each
   *  function a connection keeps costs about 9 JsVars.) */
  lastAt: number;
  /** The next n bytes are payload, whatever they contain: their slices go to sink (to ev.piece
   *  without one). Call it from within a line event. With n < 0 the count stays and only the sink
   *  changes. Returns the payload bytes still expected. (One method, no left(): each function a
   *  connection keeps costs ~9 JsVars; and no field: the data path reads a local, not a property.) */
  expect(n: number, sink?: (slice: string, left: number) => void): number;
}

// Echoes of our own commands (before ATE0 takes effect) start with "AT"; no response line does.
var ECHO = /^AT/i;

export function createReader(ev: ReaderEvents, maxLine?: number): Reader {
  var max = maxLine || 256;
  var partial = "";   // the only thing kept between chunks: one unfinished line
  var raw = 0;        // payload bytes still expected
  var skipSpace = false; // a '>' ended the last chunk: drop the space that may follow it
  var discard = false;   // inside an over-long line: drop up to its end
  var sink = ev.piece;    // where payload slices go: the consumer given to expect() itself, no hop
  var now = Date.now; // (a local alias: a global name is looked up through every scope)

  // Lines, the prompt, and a chunk that holds the end of a payload: the rest of push. Each line's
  // handling is a function of its own: Espruino lexes a loop's whole body each turn. (The rare
  // steps stay inline: a function costs about 10 JsVars, while they cost 30 M instructions per MB.)
  function scan(chunk: string) {
    if (ev.tick) ev.tick();
    var len = chunk.length, pos = 0, nl, take;
    while (pos < len) {
      if (raw > 0) {
        take = len - pos < raw ? len - pos : raw;
        raw -= take;
        sink(pos === 0 && take === len ? chunk : chunk.substr(pos, take), raw);
        pos += take;
      } else if (skipSpace) {
        skipSpace = false;
        if (chunk.charAt(pos) === " ") pos++;
      } else if (partial === "" && !discard && chunk.charAt(pos) === ">") {
        skipSpace = true;
        ev.line(">");
        pos++;
      } else if ((nl = chunk.indexOf("\n", pos)) < 0) {
        // it ends inside a line: keep that line's start, within the bound
        if (discard) return;
        if (partial.length + len - pos > max) {
          partial = "";
          discard = true;
          ev.overflow();
        } else partial += pos ? chunk.substring(pos) : chunk;
        return;
      } else {
        /*#__NOINLINE__*/ line(chunk.substring(pos, nl));
        pos = nl + 1;
      }
    }
  }

  // A line's last piece (seg, up to its "\n").
  function line(seg: string) {
    if (discard) return void (discard = false);
    var text = partial ? partial + seg : seg;
    partial = "";
    if (text === "\r") return; // the empty line before every response
    var end = text.length - 1;
    if (end >= max) return ev.overflow();
    if (text.charAt(end) === "\r") text = text.substring(0, end);
    var c = text.charAt(0);
    if (text && (c !== "A" && c !== "a" || !ECHO.test(text))) ev.line(text);
  }

  var r: Reader = {
    // A chunk that is all payload (most of a long read) goes on at once, in a function kept short:
    // Espruino lexes a function's whole text each time it runs.
    push: function (chunk: string) {
      try {
        var n = chunk.length;
        if (raw >= n && n) sink(chunk, (raw -= n));
        else /*#__NOINLINE__*/ scan(chunk);
        r.lastAt = now();
      } catch (e) {
        // (inline: a function of its own would cost ~9 JsVars for the whole session)
        if (!ev.fault) throw e;
        ev.fault(e);
      }
    },
    lastAt: 0,
    expect: function (n: number, f?: (slice: string, left: number) => void) {
      if (n >= 0) raw = n;
      sink = f || ev.piece;
      return raw;
    },
  };
  return r;
}
