// How small the email parts could get while still doing what docs/API.md promises: each feature the
// contract does not name (tools/optional-features.ts, and the SIM800 dialect of tools/no-dialect.ts)
// built out, and every message string emptied on top. The flash budgets are measured against this
// floor: a budget below it cannot be met by shrinking code, only by dropping what the contract names.
import * as fs from "node:fs";
import { parse } from "acorn";
import { isMain } from "./espruino-process";
import { copySources, buildBundles, applyEdits } from "./variant-build";
import { OPTIONAL } from "./optional-features";
import { applyNoDialect } from "./no-dialect";
import { EMAIL_PARTS } from "./parts";

/** Minified bytes of core + send and of all email parts. */
export interface Sizes { coreSend: number; all: number }

const CORE_SEND = [...EMAIL_PARTS.core, ...EMAIL_PARTS.send];
const ALL = Object.values(EMAIL_PARTS).flat();

/** Each feature the floor builds out, with the edit that does it. */
export const REMOVALS: { name: string; what: string; edit: (dir: string) => void }[] = [
  ...OPTIONAL.map((f) => ({ name: f.name, what: f.what, edit: (d: string) => applyEdits(d, f.edits, "tools/optional-features.ts") })),
  { name: "SIM800 dialect", what: "the model from ATI, SSL refused, the body after DOWNLOAD", edit: applyNoDialect },
];

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

/** The email parts' code (in ALL's order), built from a copy of the sources with `edit` applied. */
function variant(edit: (dir: string) => void): string[] {
  const dir = copySources();
  try {
    edit(dir);
    return buildBundles(dir, ALL);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Core + send and all parts of `codes`, each bundle less `less` of its code. */
function sizes(codes: string[], less: (code: string) => number = () => 0): Sizes {
  const bytes = codes.map((c) => c.length - less(c));
  const sum = (files: string[]) => files.reduce((n, f) => n + bytes[ALL.indexOf(f)], 0);
  return { coreSend: sum(CORE_SEND), all: sum(ALL) };
}

/** Takes every feature of REMOVALS out of the sources in dir/src. */
export function buildOut(dir: string): void {
  for (const r of REMOVALS) r.edit(dir);
}

/** The floor: the parts built without every feature of REMOVALS (one build), and the same less every
 *  message string. */
export function floor(): { without: Sizes; bare: Sizes } {
  const codes = variant(buildOut);
  return { without: sizes(codes), bare: sizes(codes, messageBytes) };
}

/** The parts as the sources are, and what each feature of REMOVALS costs on them (a build each). */
export function featureCosts(): { now: Sizes; features: (Sizes & { name: string; what: string })[] } {
  const now = sizes(variant(() => {}));
  return {
    now,
    features: REMOVALS.map((r) => {
      const w = sizes(variant(r.edit));
      return { name: r.name, what: r.what, coreSend: now.coreSend - w.coreSend, all: now.all - w.all };
    }),
  };
}

if (isMain(__filename)) {
  const c = featureCosts(), f = floor();
  console.log(`core + send ${c.now.coreSend} B, all email parts ${c.now.all} B (minified)`);
  for (const x of c.features) console.log(`  without ${x.name} (${x.what}): -${x.coreSend} B on core + send, -${x.all} B on all parts`);
  console.log(`without all of them: core + send ${f.without.coreSend} B, all parts ${f.without.all} B`);
  console.log(`and every message emptied: core + send ${f.bare.coreSend} B, all parts ${f.bare.all} B`);
}
