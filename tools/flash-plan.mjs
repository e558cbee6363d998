// What `npm run flash` uploads, what it costs in the board's Storage, and whether it fits: the
// decisions of tools/flash.mjs, apart from the board, so that they are tested without hardware.
import * as fs from "node:fs";
import * as path from "node:path";

// A Storage file takes a 32-byte header plus its data rounded up to 4 bytes (measured on Espruino
// 2v29: getFree() drops by 36 for 1..4 bytes, 40 for 5..8, 20,368 for 20,334). Boards with 64-bit
// flash writes round to 8: ALIGN 4 would undercount there by at most 4 bytes a file.
export const HEADER = 32;
export const ALIGN = 4;

/** Bytes of Storage a file of `bytes` takes. */
export function storageCost(bytes) {
  return HEADER + Math.ceil(bytes / ALIGN) * ALIGN;
}

/** The files to upload, in order: the module, the parts and companions `example` needs, then the example as .bootcde. */
export function planFiles(root, example) {
  // The sensor only sends; remote-config reads its mailbox (POP3 and fetch).
  const parts = example === "sensor" ? ["sim900-email-send"] : ["sim900-email-pop3", "sim900-email-fetch"];
  // PWRKEY handling for both; the sensor's outbox or remote-config's signature check.
  const companions = [...parts, "sim900-email-power", example === "sensor" ? "sim900-email-outbox" : "sim900-email-sign"];
  const files = [
    // pretokenised (tools/pretokenise.mjs, run by the build): about 16 % fewer bytes of Storage
    { name: "sim900-email", file: path.join("dist", "storage", "sim900-email.js") },
    ...companions.map((c) => ({ name: c, file: path.join("dist", "storage", c + ".js") })),
    { name: ".bootcde", file: path.join("dist", "examples", example + ".js") },
  ];
  return files.map((f) => {
    const abs = path.join(root, f.file);
    const bytes = fs.existsSync(abs) ? fs.statSync(abs).size : -1;
    return { ...f, abs, bytes, storage: bytes < 0 ? 0 : storageCost(bytes) };
  });
}

const MARK = "sim900-flash:";

/**
 * One line of Espruino code that prints MARK + JSON of the board's Storage: free bytes (getFree()),
 * trash (deleted files a compaction reclaims, getStats() where the firmware has it, else null), the
 * sizes of the files we are about to replace, the five largest files, and the length of .bootcde
 * without the blank lines the espruino tool adds around the code it stores there.
 */
export function boardQuery(names) {
  const body = "var S=require(\"Storage\"),t=S.getStats?S.getStats():null,f={},n=" + JSON.stringify(names) +
    ",i,d;for(i=0;i<n.length;i++){d=S.read(n[i]);if(d!==undefined)f[n[i]]=d.length;}" +
    "var b=S.list().map(function(x){return[x,S.read(x).length];}).sort(function(p,q){return q[1]-p[1];}).slice(0,5);" +
    "d=S.read(\".bootcde\");" +
    "print(" + JSON.stringify(MARK) + "+JSON.stringify({free:S.getFree(),trash:t?t.trashBytes:null,total:t?t.totalBytes:null,files:f,largest:b,boot:d===undefined?-1:d.trim().length}));";
  // The espruino tool (0.1.67) only ends a run after an upload longer than its 512-byte write block:
  // with less it waits forever. An unused local string makes up the difference (the tool strips
  // comments and trailing spaces before sending).
  const frame = '(function(){var _="";})()';
  return '(function(){var _="' + "-".repeat(Math.max(0, QUERY_MIN - frame.length - body.length)) + '";' + body + "})()";
}

const SENT = "sim900-flash-file:";

/** Code run on the board right after a file's upload: prints its name and size as Storage has them. */
export function verifyCode(name) {
  return "(function(){var d=require(\"Storage\").read(" + JSON.stringify(name) + ");print(" + JSON.stringify(SENT) +
    "+JSON.stringify([" + JSON.stringify(name) + ",d===undefined?-1:d.length]));})();\n";
}

/** The size verifyCode(name) reported in the espruino tool's output: -1 when the file is missing, null when no report came. */
export function parseVerify(output, name) {
  for (const line of String(output).split(/\r?\n/)) {
    const i = line.indexOf(SENT);
    if (i < 0) continue;
    try {
      const [n, size] = JSON.parse(line.slice(i + SENT.length).trim());
      if (n === name && typeof size === "number") return size;
    } catch { /* the echo of the code, not its answer */ }
  }
  return null;
}

/** Bytes boardQuery() sends at least. */
export const QUERY_MIN = 600;

/** The board's answer to boardQuery() in the espruino tool's output, or null when there is none. */
export function parseBoardReply(output) {
  for (const line of String(output).split(/\r?\n/)) {
    const i = line.indexOf(MARK);
    if (i < 0) continue;
    try {
      const r = JSON.parse(line.slice(i + MARK.length).trim());
      if (typeof r.free === "number" && r.files && typeof r.files === "object") return r;
    } catch { /* an echo of the query itself, not its answer */ }
  }
  return null;
}

const n = (x) => x.toLocaleString("en-US");

/**
 * Whether `files` fit the board's Storage. Available is what getFree() reports, plus the trash and
 * the files being replaced: Espruino compacts by itself when a write needs that space.
 */
export function checkFits(files, board) {
  const need = files.reduce((a, f) => a + f.storage, 0);
  const replaced = files.reduce((a, f) => a + (board.files[f.name] !== undefined ? storageCost(board.files[f.name]) : 0), 0);
  const trash = board.trash || 0;
  const available = board.free + trash + replaced;
  const fits = need <= available;
  let message;
  if (fits) {
    message = `Storage: ${n(need)} bytes needed, ${n(available)} available (${n(board.free)} free` +
      (trash ? `, ${n(trash)} in deleted files` : "") + (replaced ? `, ${n(replaced)} in the files replaced` : "") + ")";
  } else {
    const others = (board.largest || []).filter(([name]) => !files.some((f) => f.name === name));
    message = `refused: the files need ${n(need)} bytes of Storage and the board has ${n(available)} ` +
      `(${n(board.free)} free` + (trash ? `, ${n(trash)} in deleted files` : "") +
      (replaced ? `, ${n(replaced)} in the files that would be replaced` : "") + `): ${n(need - available)} bytes short. ` +
      "Nothing was uploaded. Free space on the board, e.g. require(\"Storage\").erase(\"name\") for files you no longer need" +
      (others.length ? ` (largest: ${others.map(([name, size]) => `${JSON.stringify(name)} ${n(size)} B`).join(", ")})` : "") +
      ", or require(\"Storage\").eraseAll() to start empty.";
  }
  return { fits, need, available, free: board.free, trash, replaced, message };
}

/** The table printed before uploading: each file, its bytes and its Storage bytes. */
export function formatPlan(files) {
  const w = Math.max(...files.map((f) => f.name.length));
  const wf = Math.max(...files.map((f) => f.file.length));
  const lines = files.map((f) => `  ${f.name.padEnd(w)}  <- ${f.file.padEnd(wf)}  ${n(f.bytes).padStart(7)} B  ${n(f.storage).padStart(7)} B of Storage`);
  const bytes = files.reduce((a, f) => a + f.bytes, 0);
  const storage = files.reduce((a, f) => a + f.storage, 0);
  return { lines, summary: `${files.length} files, ${n(bytes)} bytes, ${n(storage)} bytes of Storage` };
}

/** "[2/4]  23,290 / 31,389 B   74 %  sim900-email-power": the progress line after `done` files. */
export function progressLine(files, done, current) {
  const total = files.reduce((a, f) => a + f.bytes, 0);
  const sent = files.slice(0, done).reduce((a, f) => a + f.bytes, 0);
  const pct = total ? Math.floor((sent * 100) / total) : 100;
  return `[${done}/${files.length}] ${n(sent).padStart(n(total).length)} / ${n(total)} B ${String(pct).padStart(3)} %` + (current ? `  ${current}` : "");
}
