// Programs outside npm that some suites need (Dovecot, socat). A fresh machine lacks them: the suite is
// skipped with one line saying what and how to install them, unless REQUIRE_<TOOL>=1 (set by .ci/run)
// makes their absence a failure, so CI never passes without those suites.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

export interface SystemTool {
  /** What the skip line calls it. */
  name: string;
  /** REQUIRE_<KEY>=1 makes it mandatory; <KEY>_BIN overrides where it is (a missing path = not installed). */
  key: string;
  /** The executable's name on PATH, and places to look beyond PATH (Dovecot lives in sbin). */
  command: string;
  paths: string[];
  install: string;
}

export const DOVECOT: SystemTool = {
  name: "Dovecot", key: "DOVECOT", command: "dovecot",
  paths: ["/usr/sbin/dovecot", "/usr/local/sbin/dovecot"],
  install: "sudo apt-get install -y dovecot-pop3d",
};
export const SOCAT: SystemTool = {
  name: "socat", key: "SOCAT", command: "socat",
  paths: ["/usr/bin/socat", "/bin/socat"],
  install: "sudo apt-get install -y socat",
};

/** The tool's path, or undefined when it is not installed. */
export function locate(tool: SystemTool, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const override = env[tool.key + "_BIN"];
  if (override !== undefined && override !== "") return existsSync(override) ? override : undefined;
  const found = tool.paths.find((p) => existsSync(p));
  if (found) return found;
  try {
    return execFileSync("/bin/sh", ["-c", "command -v " + tool.command], { encoding: "utf8", env }).trim() || undefined;
  } catch {
    return undefined;
  }
}

export function required(tool: SystemTool, env: NodeJS.ProcessEnv = process.env): boolean {
  return env["REQUIRE_" + tool.key] === "1";
}

/** The one line printed for a skipped suite. */
export function skipLine(tool: SystemTool, suite: string, tests: number): string {
  return `SKIPPED ${tests} test${tests === 1 ? "" : "s"} of "${suite}": ${tool.name} is not installed. ` +
    `Install it with: ${tool.install} (or run bash .ci/run); REQUIRE_${tool.key}=1 makes this a failure.`;
}

export function missingMessage(tool: SystemTool): string {
  return `${tool.name} is required (REQUIRE_${tool.key}=1) but not installed. Install it with: ${tool.install}`;
}

/**
 * For a suite's before() hook: the tool's path when installed. Otherwise fails the hook when the tool
 * is required, or prints the skip line and skips the suite (mocha then lists its tests as pending).
 */
export function need(ctx: Mocha.Context, tool: SystemTool): string {
  const bin = locate(tool);
  if (bin) return bin;
  if (required(tool)) throw new Error(missingMessage(tool));
  const suite = ctx.test?.parent;
  console.log("      " + skipLine(tool, suite?.fullTitle() || "?", suite ? suite.total() : 0));
  ctx.skip();
}
