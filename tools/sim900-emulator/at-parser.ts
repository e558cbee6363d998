// Parses one AT command line (without its CR) into name, form and parameters.
// Strings must be quoted and may not contain a quote; numbers are bare decimals. Anything else is
// malformed and the modem answers ERROR, as the SIM900 does for syntax errors.

export type Param =
  | { kind: "int"; value: number }
  | { kind: "str"; value: string }
  | { kind: "empty" };

/** exec: AT+X   read: AT+X?   test: AT+X=?   write: AT+X=<params> */
export type Form = "exec" | "read" | "test" | "write";

export interface Command {
  /** Upper case, without "AT" and "+": "SMTPSRV", "" for plain AT, "E" for ATE0. */
  name: string;
  extended: boolean;
  form: Form;
  params: Param[];
}

const EXTENDED = /^\+([A-Z][A-Z0-9]*)(.*)$/i;
const BASIC = /^([A-Z&])(\d*)$/i;

export function parseCommandLine(line: string): Command | null {
  const text = line.trim();
  if (!/^AT/i.test(text)) return null;
  const rest = text.slice(2);
  if (rest === "") return { name: "", extended: false, form: "exec", params: [] };
  const ext = EXTENDED.exec(rest);
  if (ext) {
    const name = ext[1].toUpperCase();
    const tail = ext[2];
    if (tail === "") return { name, extended: true, form: "exec", params: [] };
    if (tail === "?") return { name, extended: true, form: "read", params: [] };
    if (tail === "=?") return { name, extended: true, form: "test", params: [] };
    if (tail[0] !== "=") return null;
    const params = parseParams(tail.slice(1));
    return params ? { name, extended: true, form: "write", params } : null;
  }
  const basic = BASIC.exec(rest);
  if (!basic) return null;
  // ATE is ATE0 (V.25ter: a missing value means 0).
  const value = basic[2] === "" ? 0 : Number(basic[2]);
  return { name: basic[1].toUpperCase(), extended: false, form: "exec", params: [{ kind: "int", value }] };
}

/** Splits "1,\"a,b\", 3" into params; null when malformed. "" gives no params. */
export function parseParams(text: string): Param[] | null {
  if (text.trim() === "") return [];
  const out: Param[] = [];
  let i = 0;
  for (;;) {
    while (text[i] === " ") i++;
    if (text[i] === '"') {
      const close = text.indexOf('"', i + 1);
      if (close < 0) return null; // unterminated quote
      out.push({ kind: "str", value: text.slice(i + 1, close) });
      i = close + 1;
      while (text[i] === " ") i++;
      if (i >= text.length) return out;
      if (text[i] !== ",") return null; // a quote inside a string, or junk after it
      i++;
      continue;
    }
    const comma = text.indexOf(",", i);
    const token = text.slice(i, comma < 0 ? text.length : comma).trim();
    if (token === "") out.push({ kind: "empty" });
    else if (/^\d{1,9}$/.test(token)) out.push({ kind: "int", value: Number(token) });
    else return null; // unquoted text, signs, a stray quote
    if (comma < 0) return out;
    i = comma + 1;
  }
}

/** The integer at params[i] when it lies in [min, max], else null. */
export function intArg(params: Param[], i: number, min: number, max: number): number | null {
  const p = params[i];
  if (!p || p.kind !== "int" || p.value < min || p.value > max) return null;
  return p.value;
}

/** The quoted string at params[i] when at most max long, else null. */
export function strArg(params: Param[], i: number, max: number): string | null {
  const p = params[i];
  if (!p || p.kind !== "str" || p.value.length > max) return null;
  return p.value;
}

/** Quotes a string for a read response, as the modem prints them: "value". */
export function q(s: string): string {
  return '"' + s + '"';
}
