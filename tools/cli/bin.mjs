#!/usr/bin/env node
// Runs the tool from its TypeScript sources in a clone (test/cli.test.ts, development): registers tsx,
// a devDependency, then starts main. The package's bin is the built dist/cli/sim900-email.cjs.
import { register } from "tsx/esm/api";
import { createRequire } from "node:module";

register();
const require = createRequire(import.meta.url);
require("tsx/cjs/api").register();
const { main } = require("./main.ts");
await main();
