// A session as data: a list of calls ("ops") run in order by one ES5 scenario (see
// tools/espruino-session.ts), the same source on the host and on Espruino. Each op's callback is
// summed up in a result row: [op, error, digest of the result]; strings longer than 24 characters
// become [length, checksum], object keys are sorted, and a digest longer than 200 characters as text
// becomes ["#", length, checksum] (a board has no room for fifty listings), so rows compare exactly
// between V8 and Espruino.
//   ["connect", options]              ["send", message]          ["list"]
//   ["retrieve", n, opts]  opts.stream: onData (its slices summed up in the row), else null/opts
//   ["remove", n]  ["undoRemove"]  ["logout"]  ["close"]  ["wait", ms]
//   ["fetch", filter, handler]  filter.seen: true for an in-memory seen store; handler: "ok", "fail"
//     (done(Error) for a body containing "oops"), or "never" (done is not called)
// A message's attachment may be { name, binary, bytes, piece }: read() hands out `bytes` bytes
// (i * 7 & 255, as a Uint8Array when binary) at most `piece` at a time.

export type Op = [string, ...unknown[]];

/** JSON with every character outside printable ASCII escaped: the same string on a board without Unicode. */
export const asciiJson = (v: unknown) => JSON.stringify(v).replace(/[^\x20-\x7e]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));

export function opsScenario(ops: Op[], packOver = 200): string {
  return `function scenario(email, port, done, h) {
  var OPS = ${asciiJson(ops)}, R = [], mail, i = 0;
  function sum(s) { var t = 0; for (var k = 0; k < s.length; k++) t = (t * 31 + s.charCodeAt(k)) % 1000003; return t; }
  // text of a digest, the same in both engines (their JSON.stringify escape different characters)
  function text(d) {
    if (Array.isArray(d)) { var t = [], k; for (k = 0; k < d.length; k++) t.push(text(d[k])); return "[" + t.join(",") + "]"; }
    return typeof d === "string" ? '"' + d + '"' : String(d);
  }
  function pack(d) { var j = text(d); return j.length > ${packOver} ? ["#", j.length, sum(j)] : d; }
  function digest(v) {
    if (typeof v === "string") return v.length > 24 ? [v.length, sum(v)] : v;
    if (typeof v === "function") return "function";
    if (!v || typeof v !== "object") return v;
    var out = [], k, keys = [];
    if (Array.isArray(v)) { for (k = 0; k < v.length; k++) out.push(digest(v[k])); return pack(out); }
    for (k in v) keys.push(k);
    keys.sort();
    for (k = 0; k < keys.length; k++) out.push([keys[k], digest(v[keys[k]])]);
    return pack(out);
  }
  function error(e) { return e ? [e.type, e.code, e.command, String(e.message)] : null; }
  function message(m) {
    var a = m.attachment, o = {}, k;
    for (k in m) o[k] = m[k];
    if (a && a.bytes !== undefined) {
      var off = 0;
      o.attachment = { name: a.name, binary: a.binary, read: function (max) {
        var n = Math.min(max, a.piece || max, a.bytes - off), j, s;
        if (n <= 0) return undefined;
        if (a.binary) { s = new Uint8Array(n); for (j = 0; j < n; j++) s[j] = ((off + j) * 7) & 255; }
        else { s = ""; for (j = 0; j < n; j++) s += String.fromCharCode(32 + (off + j) % 90); }
        off += n;
        return s;
      } };
    }
    return o;
  }
  function next() {
    if (i >= OPS.length) return done(R);
    var op = OPS[i++], name = op[0], calls = 0, got = [0, 0];
    function cb(e, a) {
      if (calls++) return R.push([name, "called again", error(e)]);
      R.push(name === "retrieve" && op[2] && op[2].stream ? [name, error(e), digest(a), got] : [name, error(e), digest(a)]);
      next();
    }
    try {
      if (name === "connect") mail = email.connect(port, op[1], cb);
      else if (name === "send") mail.send(message(op[1]), cb);
      else if (name === "list") mail.list(cb);
      else if (name === "retrieve") {
        var opts = op[2];
        if (opts && opts.stream) opts = { lines: opts.lines, maxSize: opts.maxSize, onData: function (s) { got[0] += s.length; got[1] = (got[1] * 7 + sum(s)) % 1000003; } };
        mail.retrieve(op[1], opts, cb);
      }
      else if (name === "remove") mail.remove(op[1], cb);
      else if (name === "undoRemove" || name === "logout" || name === "close") mail[name](cb);
      else if (name === "wait") setTimeout(next, op[1]);
      else if (name === "fetch") {
        var f = {}, k, seen = [], handed = [];
        for (k in op[1]) f[k] = op[1][k];
        if (f.seen) f.seen = { has: function (u) { return seen.indexOf(u) >= 0; }, add: function (u) { seen.push(u); }, keep: function () {} };
        f.onReject = function (e) { handed.push(["rejected", error(e)]); };
        mail.fetch(f, function (msg, ok) {
          handed.push(digest(msg));
          if (op[2] === "fail" && msg.body.indexOf("oops") >= 0) ok(new Error("bad config"));
          else if (op[2] !== "never") ok();
        }, function (e, stats) { handed.push(digest(stats)); cb(e, handed); });
      }
      else throw new Error("unknown op " + name);
    } catch (x) { R.push([name, "threw", String(x && x.message || x)]); next(); }
  }
  next();
}`;
}
