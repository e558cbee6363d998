// Tiny control-flow helpers: steps run one after another (series); one object's properties copied onto another (assign).

export type Callback = (err?: any, a?: any, b?: any) => void;
export type Step = (next: (err?: any) => void) => void;

/** Runs the steps in order, stopping at the first error. */
export function series(steps: Step[], done: (err?: any) => void): void {
  var i = 0;
  function next(err?: any) {
    if (err || i >= steps.length) done(err);
    else steps[i++](next);
  }
  next();
}

/** Copies the own and inherited enumerable properties of `from` onto `to`; `from` may be null
 *  (Espruino throws on for-in over null or undefined). */
export function assign<T>(to: T, from: any): T {
  if (from) for (var k in from) (to as any)[k] = from[k];
  return to;
}
