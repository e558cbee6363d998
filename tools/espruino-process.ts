// Running the Linux build of Espruino (ESPRUINO=path; the Pico-sized one: 5,100 JsVars of 13 bytes)
// from the host tools: each run in a folder of its own, since Storage is ./espruino.flash in the
// working directory; stdin held open, since at EOF the console reads garbage without end.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const ESPRUINO_USAGE = "ESPRUINO is not set: the path to Espruino's Linux build (the Pico-sized one is /opt/espruino-pico/espruino)";

/** The interpreter named by ESPRUINO, or undefined when unset or missing. */
export function espruinoBinary(): string | undefined {
  const p = process.env.ESPRUINO;
  return p && fs.existsSync(p) ? p : undefined;
}

/** A new folder: an interpreter started there has empty Storage. */
export const freshDir = () => fs.mkdtempSync(path.join(os.tmpdir(), "espruino-run-"));

export interface RunResult { out: string; exit: string }

/**
 * Runs `program` (a script, saved as run.js in `dir`, or the interpreter's arguments) until the output matches `until`, the interpreter exits,
 * or `ms` pass; output matching `fail` (an uncaught error, out of memory) ends it too, 5 s later
 * unless `until` comes first. The output is latin1 text with the banner, prompts and \r\n line ends left in.
 */
export function runEspruino(dir: string, program: string | string[], until?: RegExp, ms = 120000, fail?: RegExp): Promise<RunResult> {
  const bin = espruinoBinary();
  if (!bin) return Promise.reject(new Error(ESPRUINO_USAGE));
  if (typeof program === "string") fs.writeFileSync(path.join(dir, "run.js"), program, "latin1");
  return new Promise((resolve) => {
    const p = spawn(bin, typeof program === "string" ? ["run.js"] : program, { cwd: dir, stdio: ["pipe", "pipe", "pipe"] });
    let out = "", settled = false, failing: NodeJS.Timeout | undefined;
    const finish = (exit: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(failing);
      if (p.exitCode === null && p.signalCode === null) p.kill();
      resolve({ out, exit });
    };
    const timer = setTimeout(() => finish("timed out after " + ms + " ms"), ms);
    p.stdout.on("data", (d: Buffer) => {
      out += d.toString("latin1");
      if (until && until.test(out)) finish("");
      else if (fail && !failing && fail.test(out)) failing = setTimeout(() => finish("failed"), 5000);
    });
    p.stderr.on("data", (d: Buffer) => { out += d.toString("latin1"); });
    p.on("exit", (code, sig) => finish(code ? "exit " + code : sig ? String(sig) : "exit 0"));
    p.stdin.on("error", () => undefined); // the interpreter may be gone before we are
  });
}

/** The JSON after the first `tag ` in `out` (a prompt may precede it on its line), or undefined. */
export function tagged(out: string, tag: string): any {
  const m = new RegExp(tag + " (\\{.*\\}|\\[.*\\])\\r?(?:\\n|$)").exec(out);
  return m ? JSON.parse(m[1]) : undefined;
}

/** The last lines of an interpreter's output, for an error message. */
export const tail = (out: string, n = 600) => out.slice(-n).replace(/\r/g, "");

/**
 * Copies host files into the Storage of the interpreter whose flash is in `dir`, in 1 KB pieces read
 * by the interpreter itself (Espruino's fs module), so no file is ever whole in its RAM.
 */
export async function toStorage(dir: string, files: { name: string; file: string }[]): Promise<void> {
  const lines = files.map((f) => {
    const size = fs.statSync(f.file).size;
    return `put(${JSON.stringify(f.name)}, ${JSON.stringify(path.resolve(f.file))}, ${size});`;
  });
  const script = `function put(name, file, size) {
  var S = require("Storage"), h = E.openFile(file, "r"), off = 0, s;
  S.erase(name);
  while ((s = h.read(1024)) !== undefined && s.length) { S.write(name, s, off, size); off += s.length; }
  h.close();
  if (off !== size || S.read(name).length !== size) throw new Error("wrote " + off + " of " + size + " to " + name);
}
${lines.join("\n")}
print("STORED " + JSON.stringify(require("Storage").list()));
`;
  const r = await runEspruino(dir, script, /STORED \[.*\]/, 60000);
  if (!tagged(r.out, "STORED")) throw new Error("could not write Storage: " + r.exit + "\n" + tail(r.out));
}

/** True when the file `filename` (its __filename) is the script tsx was started with. */
export const isMain = (filename: string) =>
  !!process.argv[1] && path.resolve(process.argv[1]).replace(/\.ts$/, "") === filename.replace(/\.ts$/, "");
