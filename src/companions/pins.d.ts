// The Espruino pin globals the power companion (src/companions/power.ts) uses (https://www.espruino.com/Reference).
// `Pin` is an interface, not a class, so it merges with examples/espruino-globals.d.ts's `declare class
// Pin` when both are compiled together (tsconfig.test.json); the functions merge as overloads.
interface Pin {}
/** Drives `pin` to `value`; sets the pin to output unless pinMode() was called for it explicitly. */
declare function digitalWrite(pin: Pin | string | number, value: boolean | number): void;
/** "opendrain": 0 pulls the pin low, 1 leaves it floating. An explicit mode sticks across digitalWrite. */
declare function pinMode(pin: Pin | string | number, mode: string): void;
