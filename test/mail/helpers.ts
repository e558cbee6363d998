// Shared test helpers for the src/mail suites.
import fc from "fast-check";

/** Byte string (one char per byte) of a Buffer, as on Espruino. */
export const bin = (b: Buffer | string): string =>
  typeof b === "string" ? Buffer.from(b, "utf8").toString("latin1") : b.toString("latin1");

/** Cuts s at the given positions (any order, duplicates allowed) into consecutive slices. */
export function cut(s: string, at: number[]): string[] {
  const pos = at.map((p) => p % (s.length + 1)).sort((a, b) => a - b);
  const out: string[] = [];
  let prev = 0;
  for (const p of pos) { out.push(s.substring(prev, p)); prev = p; }
  out.push(s.substring(prev));
  return out;
}

/** Cut positions: up to 12 random offsets (the generator maps them into range). */
export const cuts = fc.array(fc.nat(100000), { maxLength: 12 });

/** Every split of s into two and three pieces is too many for long s; this yields all 2-cuts. */
export function* allTwoCuts(s: string): Generator<string[]> {
  for (let i = 0; i <= s.length; i++) yield [s.substring(0, i), s.substring(i)];
}
