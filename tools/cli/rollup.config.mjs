// The PC tool as plain JavaScript for the npm package (npm run build:cli): dist/cli/sim900-email.cjs,
// run by `npx sim900-email` without tsx or TypeScript, and dist/cli/at-channel.js, the module's AT
// channel as an ES5 bundle that `probe` loads into the sandbox (the board bundle does not export it).
import { existsSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, resolve } from "node:path";
import terser from "@rollup/plugin-terser";
import ts from "typescript";

// Loaded at run time from the package's dependencies (serialport has a native part), never bundled.
const RUNTIME_DEPS = ["serialport", "cli-progress"];
const external = (id) => id.startsWith("node:") || builtinModules.includes(id) || RUNTIME_DEPS.some((d) => id === d || id.startsWith(d + "/"));

/** TypeScript to JavaScript file by file, without type checking (npm run typecheck does that):
 *  a second or two instead of building a whole program per bundle. */
function transpile(target) {
  return {
    name: "transpile-ts",
    resolveId(id, importer) {
      if (!importer || !id.startsWith(".")) return null;
      const base = resolve(dirname(importer), id);
      return [base + ".ts", base + "/index.ts"].find((f) => existsSync(f)) ?? null;
    },
    transform(code, id) {
      if (!id.endsWith(".ts")) return null;
      const out = ts.transpileModule(code, {
        fileName: id,
        compilerOptions: { target, module: ts.ModuleKind.ESNext, isolatedModules: true, noEmitHelpers: true, sourceMap: false },
      });
      return { code: out.outputText, map: null };
    },
  };
}

export default [
  {
    input: "tools/cli/entry.ts",
    output: { file: "dist/cli/sim900-email.cjs", format: "cjs", banner: "#!/usr/bin/env node", dynamicImportInCjs: false },
    external,
    plugins: [transpile(ts.ScriptTarget.ES2022)],
  },
  {
    // ES5, minified like the board bundles; the sandbox refuses anything newer, as a board would.
    input: "src/at/channel.ts",
    output: { file: "dist/cli/at-channel.js", format: "cjs", esModule: false, strict: false, exports: "named" },
    plugins: [transpile(ts.ScriptTarget.ES5), terser({ ecma: 5, toplevel: true, mangle: true, format: { comments: false } })],
  },
];
