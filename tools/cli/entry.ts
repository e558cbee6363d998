// Entry of the built tool (dist/cli/sim900-email.cjs, the package's bin): the same main() that
// bin.mjs runs from the TypeScript sources in a clone.
import { main } from "./main";

void main();
