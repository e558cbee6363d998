// AT+SAPBR bearer profiles (SIM900 AT command set; example in manual 3.1). The email commands need
// the profile named by AT+EMAILCID to be open.
import { Command, intArg, strArg } from "./at-parser";
import type { Handler, Output } from "./context";

export const CIDS = 3;
const PARAMS = ["CONTYPE", "APN", "USER", "PWD", "PHONENUM", "RATE"];
const PARAM_MAX = 50;

export interface Profile { open: boolean; params: Record<string, string> }

export class Bearers {
  readonly profiles: Profile[] = [];
  /** Set by the modem: called when a profile the host opened is closed (by host or network). */
  onClosed: (cid: number) => void = () => {};

  constructor(private out: Output, private delay: () => Promise<void>, readonly ip = "10.89.193.1") {
    for (let i = 0; i <= CIDS; i++) this.profiles.push({ open: false, params: defaults() });
  }

  isOpen(cid: number): boolean { return !!this.profiles[cid]?.open; }

  /** The network releases the context: URC "+SAPBR <cid>: DEACT" (manual 3.1). */
  drop(cid: number): boolean {
    if (!this.isOpen(cid)) return false;
    this.profiles[cid].open = false;
    this.out.urc("+SAPBR " + cid + ": DEACT");
    this.onClosed(cid);
    return true;
  }

  readonly handlers: Record<string, Handler> = {
    SAPBR: (cmd: Command) => {
      const out = this.out;
      if (cmd.form === "test") {
        out.info('+SAPBR: (0-4),(1-' + CIDS + '),"ConParamTag","ConParamValue"');
        return out.ok();
      }
      if (cmd.form !== "write") return out.error();
      const p = cmd.params;
      const action = intArg(p, 0, 0, 4);
      const cid = intArg(p, 1, 1, CIDS);
      if (action === null || cid === null) return out.error();
      const prof = this.profiles[cid];
      switch (action) {
        case 3: {
          const tag = strArg(p, 2, 20);
          const value = strArg(p, 3, PARAM_MAX);
          if (p.length !== 4 || tag === null || value === null) return out.error();
          const key = tag.toUpperCase();
          if (PARAMS.indexOf(key) < 0) return out.error();
          prof.params[key] = value;
          return out.ok();
        }
        case 4:
          if (p.length !== 2) return out.error();
          out.info("+SAPBR:\r\n" + PARAMS.map((k) => k + ": " + prof.params[k]).join("\r\n"));
          return out.ok();
        case 2:
          if (p.length !== 2) return out.error();
          out.info("+SAPBR: " + cid + "," + (prof.open ? '1,"' + this.ip + '"' : '3,"0.0.0.0"'));
          return out.ok();
        case 1:
          // Opening twice is an ERROR on the modem; opening takes a network step before OK.
          if (p.length !== 2 || prof.open) return out.error();
          return this.delay().then(() => {
            prof.open = true;
            out.ok();
          });
        default:
          if (p.length !== 2 || !prof.open) return out.error();
          return this.delay().then(() => {
            prof.open = false;
            out.ok();
            this.onClosed(cid);
          });
      }
    },
  };
}

function defaults(): Record<string, string> {
  return { CONTYPE: "GPRS", APN: "CMNET", USER: "", PWD: "", PHONENUM: "", RATE: "2" };
}
