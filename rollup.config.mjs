// Two ES5 CommonJS bundles: the board module, and a test-only bundle that also exposes internals
// (reader, channel, parsers) so the same tests can run against built code without bloating the board one.
import typescript from "@rollup/plugin-typescript";
import terser from "@rollup/plugin-terser";

// Terser's reduce_funcs stays on (it inlines once-used functions into their callers). Off, the core
// costs 12 KB less QuickJS heap (123 -> 111 KB: QuickJS keeps nested function text once per level) but
// 75 more JsVars on Espruino loaded from Storage (371 -> 446): the board is what counts.
// sourceMap: for tools/size.mjs, which attributes the minified bytes to the source files.
export const plugins = (sourceMap = false) => [
  typescript({ tsconfig: "./tsconfig.json", noEmitHelpers: true, declaration: false, outDir: undefined, sourceMap }),
  terser({ ecma: 5, toplevel: true, compress: { passes: 3, unsafe: true, pure_getters: true, unsafe_arrows: false }, mangle: true, format: { comments: false } }),
];
export const output = (file) => ({ file, format: "cjs", esModule: false, strict: false, exports: "named" });

export default [
  { input: "src/index.ts", output: output("dist/sim900-email.js"), plugins: plugins() },
  { input: "src/testing.ts", output: output("dist/sim900-email.test.js"), plugins: plugins() },
  // Optional companions, each its own Espruino module so the core stays small.
  { input: "src/companions/outbox.ts", output: output("dist/sim900-email-outbox.js"), plugins: plugins() },
  { input: "src/companions/sign.ts", output: output("dist/sim900-email-sign.js"), plugins: plugins() },
  { input: "src/companions/power.ts", output: output("dist/sim900-email-power.js"), plugins: plugins() },
];
