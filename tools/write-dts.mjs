// dist/sim900-email.d.ts: the declarations tsc wrote under dist/types, re-exported from one file.
import { writeFileSync } from "node:fs";
writeFileSync("dist/sim900-email.d.ts", 'export * from "./types/index";\n');
