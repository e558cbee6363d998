// How small the email parts could get while still doing what docs/API.md promises: each feature the
// contract does not name (tools/optional-features.ts, and the SIM800 dialect of tools/no-dialect.ts)
// built out, and every message string emptied on top. The flash budgets are measured against this
// floor: a budget below it cannot be met by shrinking code, only by dropping what the contract names.
import * as fs from "node:fs";
import { parse } from "acorn";
import { isMain } from "./espruino-process";
import { copySources, buildBundles } from "./dialect-cost";
import { OPTIONAL, applyEdits } from "./optional-features";
import { applyNoDialect } from "./no-dialect";
import { EMAIL_PARTS } from "./parts";

export interface Floor {
  /** Core + send and all email parts, minified, as the sources are. */
  now: { coreSend: number; all: number };
  /** What each optional feature (and the dialect) costs on core + send and on all parts, minified. */
  features: { name: string; what: string; coreSend: number; all: number }[];
  /** Without every one of them. */
  without: { coreSend: number; all: number };
  /** ... and with every message string emptied (an error then carries its type, code and command). */
  bare: { coreSend: number; all: number };
}

const CORE_SEND = [...EMAIL_PARTS.core, ...EMAIL_PARTS.send];
const ALL = Object.values(EMAIL_PARTS).flat();

/** A message: a string literal with a space and a word in lower case, or a transcript line ("! ..."). */
export const isMessage = (s: string) => (/ /.test(s) && /[a-z]{3}/.test(s)) || /^! /.test(s);

/** The bytes that emptying every message literal of `code` (ES5) takes away. */
export function messageBytes(code: string): number {
  let n = 0;
  (function walk(node: any) {
    if (!node || typeof node !== "object") return;
    if (node.type === "Literal" && typeof node.value === "string" && isMessage(node.value)) n += node.end - node.start - 2;
    for (const k in node) if (k !== "type") walk(node[k]);
  })(parse(code, { ecmaVersion: 5, sourceType: "script" }));
  return n;
}

/** Builds a copy of the sources with `edit` applied; the minified bytes of core + send and of all parts
 *  (and, with `bare`, less their messages). */
function measure(edit: (dir: string) => void, bare = false): { coreSend: number; all: number } {
  const dir = copySources();
  try {
    edit(dir);
    const codes = buildBundles(dir, ALL);
    const bytes = codes.map((c) => c.length - (bare ? messageBytes(c) : 0));
    const sum = (files: string[]) => files.reduce((n, f) => n + bytes[ALL.indexOf(f)], 0);
    return { coreSend: sum(CORE_SEND), all: sum(ALL) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The floor; with `perFeature`, also what each feature costs (a build each, ~12 s). */
export function floor(perFeature = true): Floor {
  const now = measure(() => {});
  const cost = (name: string, what: string, edit: (dir: string) => void) => {
    const w = measure(edit);
    return { name, what, coreSend: now.coreSend - w.coreSend, all: now.all - w.all };
  };
  const features = !perFeature ? [] : OPTIONAL.map((f) => cost(f.name, f.what, (d) => applyEdits(d, f.edits, "tools/optional-features.ts")));
  if (perFeature) features.push(cost("SIM800 dialect", "the model from ATI, SSL refused, the body after DOWNLOAD", applyNoDialect));
  const all = (d: string) => {
    for (const f of OPTIONAL) applyEdits(d, f.edits, "tools/optional-features.ts");
    applyNoDialect(d);
  };
  return { now, features, without: measure(all), bare: measure(all, true) };
}

if (isMain(__filename)) {
  const f = floor();
  console.log(`core + send ${f.now.coreSend} B, all email parts ${f.now.all} B (minified)`);
  for (const x of f.features) console.log(`  without ${x.name} (${x.what}): -${x.coreSend} B on core + send, -${x.all} B on all parts`);
  console.log(`without all of them: core + send ${f.without.coreSend} B, all parts ${f.without.all} B`);
  console.log(`and every message emptied: core + send ${f.bare.coreSend} B, all parts ${f.bare.all} B`);
}
