// sim900-email-sign: SHA-256/HMAC against the published vectors and node:crypto, the Espruino crypto
// path, and the verifier against bodies signed by the host tool (tools/sign-config.ts, node:crypto).
// Runs against src, and with TARGET=dist against dist/sim900-email-sign.js in the ES5 sandbox.
import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import { createHash, createHmac } from "node:crypto";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import * as src from "../src/companions/sign";
import { signConfig } from "../tools/sign-config";
import { loadBundle, SandboxHost } from "../tools/sandbox";

const target = process.env.TARGET === "dist" ? "dist" : "src";
const ROOT = path.join(__dirname, "..");
const BUNDLE = path.join(ROOT, "dist", "sim900-email-sign.js");

function host(modules?: Record<string, unknown>): SandboxHost {
  return { setTimeout, clearTimeout: (id) => clearTimeout(id as NodeJS.Timeout), setInterval, clearInterval: (id) => clearInterval(id as NodeJS.Timeout), getTime: () => 0, modules };
}
/** The module under test; in dist mode the bundle has no "crypto" or "Storage" module: pure JS, RAM. */
const lib: typeof src = target === "dist" ? loadBundle(BUNDLE, host()) : src;

const bytes = (s: string) => Buffer.from(s, "latin1");
const hex = (s: string) => bytes(s).toString("hex");
const latin1 = (hexStr: string) => Buffer.from(hexStr, "hex").toString("latin1");
const nodeHmac = (key: string, msg: string) => createHmac("sha256", bytes(key)).update(bytes(msg)).digest("hex");
/** A fake Espruino crypto module: SHA256(byteString) -> ArrayBuffer, counting its calls. */
function fakeCrypto() {
  const c = {
    calls: 0,
    SHA256(s: string): ArrayBuffer {
      c.calls++;
      const d = createHash("sha256").update(bytes(s)).digest();
      return d.buffer.slice(d.byteOffset, d.byteOffset + d.length) as ArrayBuffer;
    },
  };
  return c;
}
/** A stand-in for Espruino's Storage whose files outlive the verifier (a restart). */
function fakeStorage() {
  const files = new Map<string, string>();
  return {
    files,
    readJSON: (n: string) => (files.has(n) ? JSON.parse(files.get(n)!) : undefined),
    writeJSON: (n: string, v: unknown) => void files.set(n, JSON.stringify(v)),
  };
}
/** Errors come from the sandbox's realm in dist mode, so no instanceof. */
function assertError(r: unknown, type: string) {
  assert.equal(Object.prototype.toString.call(r), "[object Error]", "expected an Error, got " + JSON.stringify(r));
  const e = r as { command?: string; type?: string; message: string };
  assert.equal(e.command, "CONFIG");
  assert.equal(e.type, type, e.message);
  assert.ok(e.message.length > 0);
}
/** The hmac hex of a signed body. */
const macOf = (body: string) => body.slice(0, body.indexOf("\n")).trim().split(" ")[2];
function assertAccepted(r: unknown, seq: number, payload: string) {
  assert.deepEqual(JSON.parse(JSON.stringify(r)), { seq, payload }, (r as Error).message);
}

// RFC 4231 section 4, test cases 1-7 (keys and data hex; case 5 is truncated to 128 bits).
const RFC4231: Array<[string, string, string]> = [
  ["0b".repeat(20), hex("Hi There"), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"],
  [hex("Jefe"), hex("what do ya want for nothing?"), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"],
  ["aa".repeat(20), "dd".repeat(50), "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"],
  ["0102030405060708090a0b0c0d0e0f10111213141516171819", "cd".repeat(50), "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"],
  ["0c".repeat(20), hex("Test With Truncation"), "a3b6167473100ee06e0c796c2955552b"],
  ["aa".repeat(131), hex("Test Using Larger Than Block-Size Key - Hash Key First"), "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"],
  ["aa".repeat(131), hex("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm."), "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"],
];

const byteString = (max: number) => fc.uint8Array({ maxLength: max }).map((u) => Buffer.from(u).toString("latin1"));

describe(`sim900-email-sign: SHA-256 and HMAC @dist (${target})`, function () {
  this.timeout(20000); // the property runs take a second or two on a busy machine
  it("matches the NIST SHA-256 vectors, one to several blocks", () => {
    const v: Array<[string, string]> = [
      ["", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
      ["abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"],
      ["abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"],
      ["abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu", "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"],
      ["a".repeat(1000000), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"],
    ];
    for (const [m, d] of v) {
      const got = lib.sha256(m);
      assert.equal(got.length, 32);
      assert.equal(hex(got), d, "sha256 of " + m.length + " bytes");
    }
  });

  it("matches node:crypto on random byte strings, across the padding boundaries", () => {
    for (let n = 50; n < 140; n++) {
      const m = latin1(createHash("sha256").update(String(n)).digest("hex").repeat(5)).slice(0, n);
      assert.equal(hex(lib.sha256(m)), createHash("sha256").update(bytes(m)).digest("hex"), "length " + n);
    }
    fc.assert(fc.property(byteString(300), (m) => hex(lib.sha256(m)) === createHash("sha256").update(bytes(m)).digest("hex")), { numRuns: 300 });
  });

  it("passes RFC 4231 HMAC-SHA256 test cases 1-7 (pure-JS path)", () => {
    for (const [i, [k, d, mac]] of RFC4231.entries()) {
      const got = lib.hmac(latin1(k), latin1(d));
      assert.match(got, /^[0-9a-f]{64}$/);
      assert.equal(got.slice(0, mac.length), mac, "RFC 4231 case " + (i + 1));
    }
  });

  it("matches node:crypto HMAC for random keys (short, 64 bytes, longer than a block) and messages", () => {
    assert.equal(lib.hmac("k".repeat(64), "m"), nodeHmac("k".repeat(64), "m"));
    assert.equal(lib.hmac("k".repeat(65), "m"), nodeHmac("k".repeat(65), "m"));
    fc.assert(fc.property(byteString(150), byteString(300), (k, m) => lib.hmac(k, m) === nodeHmac(k, m)), { numRuns: 300 });
  });
});

describe(`sim900-email-sign: the board's crypto module @dist (${target})`, function () {
  this.timeout(20000); // the property runs take a second or two on a busy machine
  /** A fresh copy of the module whose require("crypto") finds `crypto`; E.toString as on the board. */
  function withCrypto(crypto: ReturnType<typeof fakeCrypto>): { mod: typeof src; done: () => void } {
    if (target === "dist") return { mod: loadBundle(BUNDLE, host({ crypto })), done: () => {} };
    // src: hook Node's module loader for "crypto" and load the source afresh (its choice is cached)
    const req = createRequire(__filename);
    const Module = req("node:module");
    const load = Module._load;
    const g = globalThis as any;
    g.E = { toString: (u: Uint8Array) => String.fromCharCode.apply(null, Array.from(u)) };
    Module._load = function (req: string, ...rest: unknown[]) {
      return req === "crypto" ? crypto : load.call(this, req, ...rest);
    };
    const file = req.resolve("../src/companions/sign");
    delete req.cache[file];
    const mod = req("../src/companions/sign") as typeof src;
    delete req.cache[file];
    const done = () => { Module._load = load; delete g.E; };
    try {
      mod.hmac("", ""); // makes (and caches) the choice while the hook is in place
    } catch (e) {
      done();
      throw e;
    }
    return { mod, done };
  }

  it("hmac() uses require('crypto').SHA256 when there is one, and agrees with node:crypto", () => {
    const crypto = fakeCrypto();
    const { mod, done } = withCrypto(crypto);
    try {
      crypto.calls = 0;
      assert.equal(mod.hmac("key", "The quick brown fox"), nodeHmac("key", "The quick brown fox"));
      assert.equal(crypto.calls, 2, "inner and outer hash");
      const long = latin1("aa".repeat(131));
      assert.equal(mod.hmac(long, "x"), nodeHmac(long, "x"));
      assert.equal(crypto.calls, 5, "a key longer than a block is hashed first");
      for (const [k, d, mac] of RFC4231) assert.equal(mod.hmac(latin1(k), latin1(d)).slice(0, mac.length), mac);
      // the pure-JS SHA-256 is still its own code
      crypto.calls = 0;
      assert.equal(hex(mod.sha256("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
      assert.equal(crypto.calls, 0);
      // and the verifier goes through it too
      const v = mod.verifier("key", "seq", fakeStorage());
      assertAccepted(v.check(signConfig("key", 3, "a=1\n")), 3, "a=1");
      assert.equal(crypto.calls, 2);
    } finally {
      done();
    }
  });

  it("a crypto module without SHA256 falls back to the JS hash", () => {
    const { mod, done } = withCrypto({} as ReturnType<typeof fakeCrypto>);
    try {
      assert.equal(mod.hmac("key", "msg"), nodeHmac("key", "msg"));
    } finally {
      done();
    }
  });
});

describe(`sim900-email-sign: verifier @dist (${target})`, function () {
  this.timeout(20000); // the property runs take a second or two on a busy machine
  const KEY = "s3cret key";

  it("accepts a body signed by tools/sign-config (node:crypto), returning seq and the normalised payload", () => {
    const v = lib.verifier(KEY, "seq", fakeStorage());
    assert.equal(v.last(), 0);
    assertAccepted(v.check(signConfig(KEY, 7, "interval=60\r\nmode=eco\r\n")), 7, "interval=60\nmode=eco");
    assertAccepted(v.check(signConfig(KEY, 2147483647, "")), 2147483647, "");
    // check() alone does not move the sequence on
    assert.equal(v.last(), 0);
    assertAccepted(v.check(signConfig(KEY, 7, "x")), 7, "x");
  });

  it("sign() produces what the host tool produces, and verifies", () => {
    const payload = "a=1\r\nb=two words \t\r\n\r\n";
    assert.equal(lib.sign(KEY, 42, payload), signConfig(KEY, 42, payload));
    assertAccepted(lib.verifier(KEY, "seq", fakeStorage()).check(lib.sign(KEY, 42, payload)), 42, "a=1\nb=two words");
  });

  it("checks the UTF-8 bytes: a non-ASCII key and payload as they arrive on the board", () => {
    const key = "clé-ü", payload = "name=Zürich ☃\n";
    const body = Buffer.from(signConfig(key, 9, payload), "utf8").toString("latin1");
    const v = lib.verifier(Buffer.from(key, "utf8").toString("latin1"), "seq", fakeStorage());
    assertAccepted(v.check(body), 9, Buffer.from("name=Zürich ☃", "utf8").toString("latin1"));
    assertError(lib.verifier(key, "seq", fakeStorage()).check(body), "FORGED"); // key not UTF-8 encoded
  });

  it("refuses a forged hmac, a changed payload, a changed seq and the wrong key as FORGED", () => {
    const v = lib.verifier(KEY, "seq", fakeStorage());
    const good = signConfig(KEY, 10, "relay=on\nfan=off\n");
    const mac = macOf(good);
    assert.match(mac, /^[0-9a-f]{64}$/);
    for (let i = 0; i < 64; i += 9) {
      const flipped = mac.slice(0, i) + (mac[i] === "0" ? "1" : "0") + mac.slice(i + 1);
      assertError(v.check(good.replace(mac, flipped)), "FORGED");
    }
    assertError(v.check(good.replace("relay=on", "relay=of")), "FORGED");
    assertError(v.check(good + "extra"), "FORGED");
    assertError(v.check(good.replace("relay=on\n", "relay=on \n")), "FORGED"); // only the end is trimmed
    assertError(v.check(good.replace("sig: 10 ", "sig: 11 ")), "FORGED");
    assertError(v.check(good.replace("sig: 10 ", "sig: 1 ")), "FORGED");
    assertError(v.check(good.replace("fan=off", "fan=on")), "FORGED");
    assertError(v.check(signConfig("other key", 10, "relay=on\nfan=off\n")), "FORGED");
    assertError(v.check(signConfig(KEY + " ", 10, "relay=on\nfan=off\n")), "FORGED");
    assertAccepted(v.check(good), 10, "relay=on\nfan=off");
  });

  it("accepts the hmac in upper case", () => {
    const good = signConfig(KEY, 5, "p"), mac = macOf(good);
    assert.match(mac, /[a-f]/);
    assertAccepted(lib.verifier(KEY, "seq", fakeStorage()).check(good.replace(mac, mac.toUpperCase())), 5, "p");
  });

  it("refuses unsigned or malformed sig lines as UNSIGNED", () => {
    const v = lib.verifier(KEY, "seq", fakeStorage());
    const mac = macOf(signConfig(KEY, 5, "p"));
    const bad = [
      "", "p", "interval=60\r\n", "\r\nsig: 5 " + mac + "\r\np", " x\nsig: 5 " + mac + "\np",
      "sig: 5\r\np", "sig: " + mac + "\r\np", "sig:5 " + mac + "\r\np", "SIG: 5 " + mac + "\r\np",
      "sig: 5 " + mac.slice(1) + "\r\np", "sig: 5 " + mac + "0\r\np", "sig: 5 " + mac + " x\r\np",
      "sig:  5 " + mac + "\r\np", "sig: 0 " + mac + "\r\np", "sig: -5 " + mac + "\r\np", "sig: 05 " + mac + "\r\np",
      "sig: 5.0 " + mac + "\r\np", "sig: 1e3 " + mac + "\r\np", "sig: 0x5 " + mac + "\r\np", "sig: 2147483648 " + mac + "\r\np",
      "sig: five " + mac + "\r\np", "sig: 5 " + "g".repeat(64) + "\r\np",
    ];
    for (const b of bad) {
      const r = v.check(b);
      if (b.indexOf("g".repeat(64)) > 0) assertError(r, "FORGED"); // well-formed line, not hex: cannot match
      else assertError(r, "UNSIGNED");
    }
  });

  it("verifies the same across CRLF/LF and trailing-whitespace variations", () => {
    const v = lib.verifier(KEY, "seq", fakeStorage());
    const mac = macOf(signConfig(KEY, 12, "a=1\nb=2"));
    assert.match(mac, /^[0-9a-f]{64}$/);
    const variants = [
      "a=1\nb=2", "a=1\r\nb=2", "a=1\r\nb=2\r\n", "a=1\nb=2\n", "a=1\r\nb=2\r\n\r\n", "a=1\nb=2 \t\r\n \n",
    ];
    for (const p of variants) {
      assertAccepted(v.check("sig: 12 " + mac + "\r\n" + p), 12, "a=1\nb=2");
      assertAccepted(v.check("sig: 12 " + mac + "\n" + p), 12, "a=1\nb=2");
      assertAccepted(v.check("sig: 12 " + mac + " \r\n" + p), 12, "a=1\nb=2");
    }
    // leading whitespace is payload, and a lone CR is not a line break
    assertError(v.check("sig: 12 " + mac + "\r\n\r\n" + "a=1\nb=2"), "FORGED");
    assertError(v.check("sig: 12 " + mac + "\r\n" + " a=1\nb=2"), "FORGED");
    assertError(v.check("sig: 12 " + mac + "\r\n" + "a=1\rb=2"), "FORGED");
    // a sig line alone signs the empty payload
    const empty = signConfig(KEY, 3, "").slice(0, -2);
    assertAccepted(v.check(empty), 3, "");
  });

  it("refuses replays: seq must be above the committed one, across a restart", () => {
    const flash = fakeStorage();
    const v = lib.verifier(KEY, "cfg.seq", flash);
    assertAccepted(v.check(signConfig(KEY, 5, "x")), 5, "x");
    v.commit(5);
    assert.equal(v.last(), 5);
    assert.equal(flash.files.get("cfg.seq"), "5");
    assertError(v.check(signConfig(KEY, 5, "x")), "REPLAY");
    assertError(v.check(signConfig(KEY, 4, "y")), "REPLAY");
    assertError(v.check(signConfig(KEY, 1, "y")), "REPLAY");
    // a forged low seq is reported as forged, not as a replay
    assertError(v.check(signConfig("guess", 4, "y")), "FORGED");
    assertAccepted(v.check(signConfig(KEY, 6, "z")), 6, "z");
    // a lower commit does not move it back
    v.commit(3);
    assert.equal(v.last(), 5);
    assert.equal(flash.files.get("cfg.seq"), "5");

    const after = lib.verifier(KEY, "cfg.seq", flash); // the unit restarted
    assert.equal(after.last(), 5);
    assertError(after.check(signConfig(KEY, 5, "x")), "REPLAY");
    assertAccepted(after.check(signConfig(KEY, 6, "z")), 6, "z");
    after.commit(6);
    assert.equal(flash.files.get("cfg.seq"), "6");
    // verifiers sharing the file see each other's commits
    assertError(v.check(signConfig(KEY, 6, "z")), "REPLAY");
    // another file is another sequence
    assertAccepted(lib.verifier(KEY, "other", flash).check(signConfig(KEY, 1, "z")), 1, "z");
  });

  it("uses sim900em.seq by default, and RAM when there is no Storage or it fails", () => {
    const flash = fakeStorage();
    lib.verifier(KEY, undefined, flash).commit(8);
    assert.deepEqual([...flash.files.entries()], [["sim900em.seq", "8"]]);

    const ram = lib.verifier(KEY); // no Storage module here (Node / the sandbox): RAM only
    ram.commit(4);
    assert.equal(ram.last(), 4);
    assertError(ram.check(signConfig(KEY, 4, "x")), "REPLAY");
    assert.equal(lib.verifier(KEY).last(), 0, "not kept anywhere");

    const broken = {
      readJSON: () => { throw new Error("flash read"); },
      writeJSON: () => { throw new Error("flash full"); },
    };
    const b = lib.verifier(KEY, "seq", broken);
    assert.equal(b.last(), 0);
    b.commit(9);
    assert.equal(b.last(), 9);
    assertError(b.check(signConfig(KEY, 9, "x")), "REPLAY");
    assertAccepted(b.check(signConfig(KEY, 10, "x")), 10, "x");

    const junk = fakeStorage();
    junk.files.set("seq", JSON.stringify({ not: "a number" }));
    assert.equal(lib.verifier(KEY, "seq", junk).last(), 0);
  });

  it("never throws, and never accepts a body made without the key (fuzz)", () => {
    const v = lib.verifier(KEY, "seq", fakeStorage());
    const refused = (body: unknown) => {
      const r = v.check(body as string) as { command?: string; type?: string };
      return r.command === "CONFIG" && (r.type === "UNSIGNED" || r.type === "FORGED");
    };
    for (const odd of [undefined, null, 42, {}, [], "\n", "\r\n", "sig:", "sig: ", "sig: 1 ", "sig: 1 \n"]) assert.ok(refused(odd), String(odd));
    fc.assert(fc.property(fc.string({ maxLength: 200, unit: "binary" }), refused), { numRuns: 500 });
    fc.assert(fc.property(byteString(200), refused), { numRuns: 300 });
    const hexChar = fc.constantFrom(..."0123456789abcdefABCDEF");
    fc.assert(
      fc.property(fc.integer({ min: -5, max: 2147483650 }), fc.string({ unit: hexChar, minLength: 62, maxLength: 66 }),
        fc.constantFrom("\n", "\r\n", " \r\n", ""), fc.string({ maxLength: 80 }),
        (seq, mac, nl, payload) => refused("sig: " + seq + " " + mac + nl + payload)),
      { numRuns: 500 },
    );
    // the sig of one payload does not carry over to another
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2147483647 }), byteString(60), byteString(60), (seq, p, q) => {
        fc.pre(p.replace(/\r\n/g, "\n").replace(/[ \t\r\n]+$/, "") !== q.replace(/\r\n/g, "\n").replace(/[ \t\r\n]+$/, ""));
        const body = lib.sign(KEY, seq, p);
        return refused(body.slice(0, body.indexOf("\n") + 1) + q);
      }),
      { numRuns: 300 },
    );
  });
});

describe(`sim900-email-sign: tools/sign-config.ts @dist (${target})`, function () {
  this.timeout(60000);
  const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");
  const SCRIPT = path.join(ROOT, "tools", "sign-config.ts");
  function run(args: string[], input?: string): Promise<{ code: number; stdout: Buffer; stderr: string }> {
    return new Promise((resolve) => {
      const child = execFile(TSX, [SCRIPT, ...args], { encoding: "buffer", timeout: 50000 }, (err: any, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === "number" ? err.code : -1) : 0, stdout, stderr: stderr.toString() }));
      child.stdin!.end(input === undefined ? "" : Buffer.from(input, "utf8"));
    });
  }

  it("--help prints the usage and exits 0; bad arguments exit 2", async () => {
    const h = await run(["--help"]);
    assert.equal(h.code, 0, h.stderr);
    assert.match(h.stdout.toString(), /^Usage: npx tsx tools\/sign-config\.ts --key KEY --seq N/);
    const bad = await run(["--key", "k", "--seq", "0"]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--seq/);
    assert.equal(bad.stdout.length, 0);
  });

  it("signs a file (--in) and stdin; the output verifies on the unit", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sign-config-"));
    try {
      const file = path.join(dir, "payload.txt");
      fs.writeFileSync(file, "interval=300\nlabel=Dépôt\n");
      const a = await run(["--key", "unit-7 key", "--seq", "15", "--in", file]);
      assert.equal(a.code, 0, a.stderr);
      const body = a.stdout.toString("latin1"); // the bytes as the board gets them
      assert.match(body, /^sig: 15 [0-9a-f]{64}\r\ninterval=300\n/);
      const v = lib.verifier("unit-7 key", "seq", fakeStorage());
      assertAccepted(v.check(body), 15, Buffer.from("interval=300\nlabel=Dépôt", "utf8").toString("latin1"));
      v.commit(15);
      assertError(v.check(body), "REPLAY");

      const b = await run(["--key", "unit-7 key", "--seq", "16"], "mode=eco\r\n");
      assert.equal(b.code, 0, b.stderr);
      assert.equal(b.stdout.toString("utf8"), signConfig("unit-7 key", 16, "mode=eco\r\n"));
      assertAccepted(v.check(b.stdout.toString("latin1")), 16, "mode=eco");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
