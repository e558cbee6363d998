// npm run flash (tools/flash.mjs): what it prints, how it decides whether the files fit the board's
// Storage (tools/flash-plan.mjs, without hardware), and, with ESPRUINO= the path of Espruino's Linux
// build, the whole upload to a real Espruino 2v29 reached over TCP as the espruino tool reaches a board.
import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as vm from "node:vm";
import {
  boardQuery, checkFits, formatPlan, parseBoardReply, parseVerify, planFiles, progressLine, storageCost, verifyCode, QUERY_MIN,
  type BoardStorage,
} from "../tools/flash-plan.mjs";
import { startTcpBoard, type TcpBoard } from "./helpers/espruino-tcp";

const ROOT = path.join(__dirname, "..");
const FLASH = path.join(ROOT, "tools", "flash.mjs");

function flash(args: string[], timeoutMs = 300000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [FLASH, ...args], { cwd: ROOT, timeout: timeoutMs, maxBuffer: 16 << 20 }, (err: any, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === "number" ? err.code : -1) : 0, stdout: String(stdout), stderr: String(stderr) }));
  });
}

/** Runs `code` the way a board would, with a pretend Storage; returns what it printed. */
function onPretendBoard(code: string, files: Record<string, string>, stats = true): string {
  let out = "";
  const storage: any = {
    read: (n: string) => files[n],
    list: () => Object.keys(files),
    getFree: () => 5000,
  };
  if (stats) storage.getStats = () => ({ totalBytes: 40960, freeBytes: 5000, fileBytes: 0, fileCount: 0, trashBytes: 700, trashCount: 2 });
  vm.runInNewContext(code, { require: (m: string) => (m === "Storage" ? storage : undefined), print: (s: string) => (out += s + "\n") });
  return out;
}

const board = (b: Partial<BoardStorage>): BoardStorage => ({ free: 0, trash: 0, total: 40960, files: {}, largest: [], ...b });
const FILES = [{ name: "sim900-email", storage: 20368 }, { name: "sim900-email-power", storage: 2988 }, { name: ".bootcde", storage: 3728 }];
const NEED = 20368 + 2988 + 3728;

describe("npm run flash", function () {
  this.timeout(30000);

  describe("Storage bytes and whether the files fit", () => {
    it("a file takes a 32-byte header and its bytes rounded up to 4 (as measured on Espruino 2v29)", () => {
      const measured: [number, number][] = [[1, 36], [4, 36], [5, 40], [8, 40], [9, 44], [100, 132], [1000, 1032], [1001, 1036], [20334, 20368]];
      for (const [bytes, cost] of measured) assert.equal(storageCost(bytes), cost, String(bytes));
    });

    it("fits when free + deleted files + the files replaced cover the need, to the byte", () => {
      assert.equal(checkFits(FILES, board({ free: NEED })).fits, true);
      assert.equal(checkFits(FILES, board({ free: NEED - 1 })).fits, false);
      // Deleted files and the old copies of what is uploaded are reclaimed by Espruino's compaction.
      const again = checkFits(FILES, board({ free: 1000, trash: 2000, files: { "sim900-email": 20334, ".bootcde": 3695 } }));
      assert.equal(again.available, 1000 + 2000 + 20368 + 3728);
      assert.equal(again.fits, true);
      assert.match(again.message, /^Storage: 27,084 bytes needed, 27,096 available \(1,000 free, 2,000 in deleted files, 24,096 in the files replaced\)$/);
      // Firmware without getStats(): no trash figure, so none is counted.
      assert.equal(checkFits(FILES, board({ free: NEED - 1, trash: null })).fits, false);
    });

    it("refuses with the numbers, what is short, that nothing was uploaded and what could be erased", () => {
      const r = checkFits(FILES, board({ free: 9000, trash: 100, files: { "sim900-email-power": 2956 }, largest: [["readings", 12000], ["sim900-email-power", 2956], ["log", 800]] }));
      assert.equal(r.fits, false);
      assert.equal(r.need, NEED);
      assert.equal(r.available, 9000 + 100 + 2988);
      assert.equal(r.message,
        "refused: the files need 27,084 bytes of Storage and the board has 12,088 (9,000 free, 100 in deleted files, 2,988 in the files " +
        "that would be replaced): 14,996 bytes short. Nothing was uploaded. Free space on the board, e.g. " +
        "require(\"Storage\").erase(\"name\") for files you no longer need (largest: \"readings\" 12,000 B, \"log\" 800 B), " +
        "or require(\"Storage\").eraseAll() to start empty.");
    });
  });

  describe("talking to the board", () => {
    it("the Storage query runs on a board and reports free, trash, the files replaced, the largest and .bootcde", () => {
      const code = boardQuery(["sim900-email", ".bootcde", "sim900-email-sign"]);
      // The espruino tool 0.1.67 waits forever after an upload of 512 bytes or less.
      assert.ok(code.length >= QUERY_MIN && QUERY_MIN > 512, String(code.length));
      const files = { "sim900-email": "x".repeat(20334), readings: "r".repeat(9000), ".bootcde": "\nvar a=1;\n", "sim900em.seen": "[]" };
      const out = onPretendBoard(code, files);
      assert.deepEqual(parseBoardReply("garbage\r\n--] " + out + "--] >"), {
        free: 5000, trash: 700, total: 40960, files: { "sim900-email": 20334, ".bootcde": 10 },
        largest: [["sim900-email", 20334], ["readings", 9000], [".bootcde", 10], ["sim900em.seen", 2]], boot: 8,
      });
      const old = parseBoardReply(onPretendBoard(code, {}, false))!;
      assert.equal(old.trash, null);
      assert.equal(old.boot, -1);
    });

    it("ignores an echo of the query and output without an answer", () => {
      const code = boardQuery(["a"]);
      assert.equal(parseBoardReply(code + "\n>"), null);
      assert.equal(parseBoardReply("Connected\nNo result found\n"), null);
    });

    it("each uploaded file's size is read back by a line of code run after it", () => {
      const out = onPretendBoard(verifyCode("sim900-email-sign"), { "sim900-email-sign": "s".repeat(2427) });
      assert.equal(parseVerify("--] \n--] " + out, "sim900-email-sign"), 2427);
      assert.equal(parseVerify(onPretendBoard(verifyCode("sim900-email-sign"), {}), "sim900-email-sign"), -1);
      assert.equal(parseVerify(out, "sim900-email"), null);
    });

    it("the progress line counts files and bytes", () => {
      const files = [{ bytes: 20334 }, { bytes: 2956 }, { bytes: 3600 }, { bytes: 3695 }];
      assert.equal(progressLine(files, 0, "uploading sim900-email"), "[0/4]      0 / 30,585 B   0 %  uploading sim900-email");
      assert.equal(progressLine(files, 2), "[2/4] 23,290 / 30,585 B  76 %");
      assert.equal(progressLine(files, 4), "[4/4] 30,585 / 30,585 B 100 %");
    });
  });

  describe("the command (needs npm run build && npm run build:examples)", () => {
    it("--dry-run prints every file with its bytes and Storage bytes and writes the upload", async () => {
      const r = await flash(["--dry-run", "--example", "remote-config"]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const files = planFiles(ROOT, "remote-config");
      assert.deepEqual(files.map((f) => f.name), ["sim900-email", "sim900-email-pop3", "sim900-email-fetch", "sim900-email-power", "sim900-email-sign", ".bootcde"]);
      const plan = formatPlan(files);
      const lines = r.stdout.trim().split("\n");
      assert.equal(lines[0], "flash: dry run: " + plan.summary);
      assert.deepEqual(lines.slice(1, 1 + files.length), plan.lines);
      for (const f of files) assert.ok(lines.some((l) => l.includes(f.bytes.toLocaleString("en-US") + " B") && l.includes(storageCost(f.bytes).toLocaleString("en-US") + " B of Storage")), f.name);
      assert.match(lines[1 + files.length], /^flash: dry run: Storage not checked \(no board\); wrote dist\/flash\/remote-config\.upload\.js$/);
      const upload = fs.readFileSync(path.join(ROOT, "dist", "flash", "remote-config.upload.js"), "latin1");
      for (const f of files) assert.ok(upload.includes(JSON.stringify(f.name)), f.name + " in the upload");
    });

    it("without --port it says so and exits 2", async () => {
      const r = await flash([]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /--port is required/);
    });
  });

  describe("on Espruino 2v29 (ESPRUINO=path of its Linux build), reached over TCP", function () {
    this.timeout(600000);
    let b: TcpBoard | undefined;
    before(function () {
      if (!process.env.ESPRUINO) {
        console.log("      SKIPPED: set ESPRUINO to the path of Espruino's Linux build to flash a real Espruino over TCP");
        this.skip();
      }
    });
    afterEach(async () => { await b?.stop(); b = undefined; });

    /** flash() on the board, run again (3 runs at most) when the interpreter crashed during it: the
     *  Linux build's own fault, not the tool's (test/helpers/espruino-tcp.ts). */
    async function flashBoard(tb: TcpBoard, args: string[], empty = false) {
      for (let i = 1; ; i++) {
        const crashes = tb.crashes(), r = await flash(["--port", "tcp://127.0.0.1:" + tb.port, ...args]);
        if (tb.crashes() === crashes || i === 3) return r;
        console.log("      (the interpreter crashed during the upload: again" + (empty ? ", on an empty Storage)" : ")"));
        if (empty) await tb.run(`require("Storage").eraseAll()`, 1000);
      }
    }

    /** The board's Storage, straight from its console. */
    async function stats(tb: TcpBoard) {
      const mark = "STATS" + Math.random().toString(36).slice(2);
      await tb.run(`var S=require("Storage");print("${mark}"+JSON.stringify({s:S.getStats(),f:S.list().map(function(n){return[n,S.read(n).length];})}))`, 1000);
      const line = tb.output().split("\n").find((l) => l.includes(mark) && !l.includes("print("))!;
      return JSON.parse(line.slice(line.indexOf(mark) + mark.length)) as { s: any; f: [string, number][] };
    }

    it("uploads, with a progress line, exactly the Storage bytes it announced, and reads the sizes back", async () => {
      b = await startTcpBoard(process.env.ESPRUINO!);
      const r = await flashBoard(b, [], true);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const files = planFiles(ROOT, "sensor");
      const need = files.reduce((a, f) => a + f.storage, 0);
      assert.match(r.stdout, new RegExp(`^flash: Storage: ${need.toLocaleString("en-US")} bytes needed, 262,144 available \\(262,144 free\\)$`, "m"));
      for (let i = 0; i <= files.length; i++) assert.match(r.stdout, new RegExp("^flash: \\[" + i + "/" + files.length + "\\] ", "m"));
      const total = files.reduce((a, f) => a + f.bytes, 0).toLocaleString("en-US");
      assert.ok(r.stdout.includes(`flash: [${files.length}/${files.length}] ${total} / ${total} B 100 %  uploaded in `), r.stdout);
      assert.match(r.stdout, new RegExp(`^flash: done: ${files.length} files read back from the board with the sizes sent`, "m"));
      const st = await stats(b);
      assert.equal(st.s.fileBytes, need, "Storage bytes taken = the announced figure");
      const sizes = Object.fromEntries(st.f);
      for (const f of files.slice(0, -1)) assert.equal(sizes[f.name], f.bytes, f.name);
      assert.ok(sizes[".bootcde"] >= files[files.length - 1].bytes, ".bootcde");
    });

    it("refuses, uploading nothing, when the files do not fit", async () => {
      b = await startTcpBoard(process.env.ESPRUINO!);
      // Filled to 1,000 bytes less than the sensor's files need: 22,000-byte files (22,032 bytes of
      // Storage each), then one to make up the rest.
      const need = planFiles(ROOT, "sensor").reduce((a, f) => a + f.storage, 0);
      let free = 262144, i = 0;
      for (; free - 22032 > need - 1000; i++, free -= 22032) await b.run(`require("Storage").write("fill${i}","x",0,22000)`, 100);
      const last = (free - (need - 1000) - 32) & ~3;
      await b.run(`require("Storage").write("fill${i}","x",0,${last})`, 100);
      const before = await stats(b);
      free = before.s.freeBytes;
      assert.ok(free < need && free > need - 1100, "free " + free);
      const r = await flash(["--port", "tcp://127.0.0.1:" + b.port]);
      assert.equal(r.code, 3, r.stdout + r.stderr);
      const n = (x: number) => x.toLocaleString("en-US");
      assert.match(r.stderr, new RegExp(`^flash: refused: the files need ${n(need)} bytes of Storage and the board has ${n(free)} \\(${n(free)} free\\): ${n(need - free)} bytes short\\. Nothing was uploaded\\.`, "m"));
      assert.match(r.stderr, /largest: "fill\d+" 22,000 B/);
      assert.doesNotMatch(r.stdout, /uploading/);
      assert.deepEqual(await stats(b), before);
    });

    it("on a nearly full board, the files it replaces make the room (Espruino compacts)", async () => {
      b = await startTcpBoard(process.env.ESPRUINO!);
      const first = await flashBoard(b!, ["--example", "remote-config"], true);
      assert.equal(first.code, 0, first.stdout + first.stderr);
      const { s } = await stats(b);
      const fill = Math.floor((s.freeBytes - 2000) / 22032);
      for (let i = 0; i < fill; i++) await b.run(`require("Storage").write("fill${i}","x",0,22000)`, 100);
      const again = await flashBoard(b!, ["--example", "remote-config"]);
      assert.equal(again.code, 0, again.stdout + again.stderr);
      assert.match(again.stdout, /in the files replaced\)/);
      assert.match(again.stdout, new RegExp(`^flash: done: ${planFiles(ROOT, "remote-config").length} files read back`, "m"));
    });
  });
});
