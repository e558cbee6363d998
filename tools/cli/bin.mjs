#!/usr/bin/env node
// Launcher for `npx sim900-email` / `npm exec sim900-email`: registers tsx (a devDependency) so the
// TypeScript tool and the test sandbox it shares run as they are, then starts it.
import { register } from "tsx/esm/api";
import { createRequire } from "node:module";

register();
const require = createRequire(import.meta.url);
require("tsx/cjs/api").register();
const { main } = require("./main.ts");
await main();
