// Tiny control-flow helpers: steps run one after another; a callback runs at most once.

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

/** Wraps `cb` so that only its first call goes through. */
export function once(cb: Callback): Callback {
  var called = false;
  return function (err?: any, a?: any, b?: any) {
    if (called) return;
    called = true;
    cb(err, a, b);
  };
}

/** Copies the own and inherited enumerable properties of `from` onto `to`; `from` may be null
 *  (Espruino throws on for-in over null or undefined). */
export function assign<T>(to: T, from: any): T {
  if (from) for (var k in from) (to as any)[k] = from[k];
  return to;
}
