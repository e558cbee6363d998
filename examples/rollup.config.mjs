// The example programs as ES5 scripts for the board: dist/examples/sensor.js and remote-config.js.
// The board profile is baked in: BOARD=original-sim900 npm run build:examples (default pico-sim900).
// require("sim900-email") and require("Storage") stay calls: on the board they come from Storage and
// the firmware.
import * as fs from "node:fs";
import typescript from "@rollup/plugin-typescript";
import terser from "@rollup/plugin-terser";

const board = process.env.BOARD || "pico-sim900";
const boardFile = new URL(`../boards/${board}.json`, import.meta.url);

/** import BOARD from "board-profile" → the profile's data (without its notes). */
function boardProfile() {
  return {
    name: "board-profile",
    resolveId(id) { return id === "board-profile" ? "\0board-profile" : null; },
    load(id) {
      if (id !== "\0board-profile") return null;
      const data = JSON.parse(fs.readFileSync(boardFile, "utf8"));
      delete data.notes;
      return `export default ${JSON.stringify(data)};`;
    },
  };
}

const plugins = () => [
  boardProfile(),
  typescript({ tsconfig: "./examples/tsconfig.json", noEmitHelpers: true, declaration: false, outDir: undefined }),
  // Comments and indentation out (flash, upload time); statements and names as written, so an error
  // on the board points at code you recognise.
  terser({ ecma: 5, compress: false, mangle: false, format: { comments: false, beautify: false, semicolons: false } }),
];
const output = (file) => ({ file, format: "es", strict: false, banner: `// sim900-email example, board profile ${board}; source: examples/` });

export default ["sensor", "remote-config"].map((name) => ({
  input: `examples/${name}.ts`,
  output: output(`dist/examples/${name}.js`),
  plugins: plugins(),
}));
