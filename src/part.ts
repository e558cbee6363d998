// Where a call finds its part (src/index.ts): linked into the same bundle (the test bundle, the
// sources under test), or on a board its own Storage module, found with require() when its first
// call is made. addPart is for tests: a board's core bundle does not carry it.
import { typedError } from "./errors";

var linked: { [name: string]: any } = {};

/** Links a part in: addPart("sim900-email-send", smtp). */
export function addPart(name: string, part: any): void {
  linked[name] = part;
}

/** The part sim900-email-<name>, or an error (type MODULE) naming the file to upload. */
export function part(name: string): any {
  var id = "sim900-email-" + name, p = linked[id];
  if (!p) try { p = require(id); } catch (e) { /* not in Storage */ }
  if (!p) throw typedError(name.toUpperCase(), "MODULE", "this call needs the module " + id + " in Storage: upload dist/" + id + ".js");
  return p;
}
