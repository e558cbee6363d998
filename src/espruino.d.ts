// The Espruino globals this module uses. lib is "es5" only, so nothing else can slip in.
declare function setTimeout(callback: () => void, ms?: number): any;
declare function clearTimeout(id: any): void;
declare function setInterval(callback: () => void, ms?: number): any;
declare function clearInterval(id: any): void;
/** Seconds since start, as a float (Espruino). */
declare function getTime(): number;
declare function require(name: string): any;

/** Anything with write() and on('data'): Serial1, a net socket, or a host-side stream in tests. */
interface Port {
  write(data: string): void;
  on(event: "data", fn: (data: string) => void): void;
  removeListener?(event: "data", fn: (data: string) => void): void;
  removeAllListeners?(event?: string): void;
}
