// Tiny control-flow helpers: one object's properties copied onto another (assign); the callback types.

export type Callback = (err?: any, a?: any, b?: any) => void;
export type Step = (next: (err?: any) => void) => void;

/** Copies the own and inherited enumerable properties of `from` onto `to`; `from` may be null
 *  (Espruino throws on for-in over null or undefined). */
export function assign<T>(to: T, from: any): T {
  if (from) for (var k in from) (to as any)[k] = from[k];
  return to;
}
