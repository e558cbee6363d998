// Byte strings (one char per byte, as Espruino's Serial delivers them) <-> Uint8Array, with
// Espruino's native E.toUint8Array / E.toString when present.
declare var E: any;

export function toBytes(x: string | Uint8Array): Uint8Array {
  if (typeof x !== "string") return x;
  if (typeof E !== "undefined" && E.toUint8Array) return E.toUint8Array(x);
  var u = new Uint8Array(x.length);
  for (var i = 0; i < x.length; i++) u[i] = x.charCodeAt(i);
  return u;
}

export function toStr(u: Uint8Array): string {
  if (typeof E !== "undefined" && E.toString) return E.toString(u);
  return String.fromCharCode.apply(null, u as any);
}
