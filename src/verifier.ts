// The contract between fetch({ key }) and the sim900-email-sign companion that implements it: declared
// once here, imported as a type by both (so it costs neither bundle a byte).
import { EmailError } from "./errors";

export interface Verifier {
  /** The seq and normalised payload of an authentic, fresh body, else a CONFIG error (never thrown). */
  check(body: string): { seq: number; payload: string } | EmailError;
  /** Records seq as applied (in flash when there is Storage); later bodies need a higher one. */
  commit(seq: number): void;
  /** The highest applied seq, 0 when none. */
  last(): number;
}
