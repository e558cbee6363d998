// Every difference between the emulated models, in one place. The modem picks one dialect from
// EmulatorOptions.model when it is created; the command modules read its fields and never test the
// model name. Sources: SIM900 Email AT Command Manual V1.04 (sim900) and SIM800 Series AT Command
// Manual V1.09 chapter 14, as summed up in SIM800-EMAIL.md (sim800).

export type Model = "sim900" | "sim800";

export const MODELS: readonly Model[] = ["sim900", "sim800"];

/** Result codes a model never reports: on the named commands ("*" = every command), and why. */
export interface AbsentCodes { commands: "*" | readonly string[]; codes: readonly number[]; why: string }

export interface Dialect {
  model: Model;
  /** ATI. */
  ident: string;
  /** AT+CGMM. */
  modelId: string;
  /** AT+CGMR when EmulatorOptions.revision is not given. */
  revision: string;
  /** AT+EMAILSSL exists (SIM900 V1.04 2.23). Without it every form of the command is ERROR. */
  emailSsl: boolean;
  /**
   * How AT+SMTPBODY takes the body. "prompt" (SIM900 2.8): AT+SMTPBODY, "> ", echoed text until
   * Ctrl-Z (store) or ESC (cancel). "download" (SIM800 p296-297): AT+SMTPBODY=<length>, "DOWNLOAD",
   * exactly <length> raw bytes (no echo, Ctrl-Z and ESC are data), OK.
   */
  body: "prompt" | "download";
  absentCodes: readonly AbsentCodes[];
}

const SSL_CODES = [80, 81, 82, 83, 84];

export const DIALECTS: Readonly<Record<Model, Dialect>> = {
  sim900: {
    model: "sim900",
    ident: "SIM900 R11.0",
    modelId: "SIMCOM_SIM900",
    revision: "Revision:1137B06SIM900M64_ST_ENHANCE",
    emailSsl: true,
    body: "prompt",
    absentCodes: [{
      commands: ["POP3IN", "POP3OUT"],
      codes: [69],
      why: "69 (read-data timeout) is listed for AT+POP3READ only in SIM900 V1.04; on AT+POP3IN/AT+POP3OUT it is a SIM800 code",
    }],
  },
  sim800: {
    model: "sim800",
    ident: "SIM800 R14.18",
    modelId: "SIMCOM_SIM800",
    revision: "Revision:1418B04SIM800L24",
    emailSsl: false,
    body: "download",
    absentCodes: [{
      commands: "*",
      codes: SSL_CODES,
      why: "80-84 are SSL codes and SIM800 V1.09 has no AT+EMAILSSL",
    }],
  },
};

/** The dialect of a model name; throws on anything else. Default sim900. */
export function dialectOf(model: string = "sim900"): Dialect {
  if (!Object.prototype.hasOwnProperty.call(DIALECTS, model))
    throw new Error("unknown modem model " + JSON.stringify(model) + " (" + MODELS.join(" or ") + ")");
  return DIALECTS[model as Model];
}

/** Why `command` (SMTPSEND, POP3IN, POP3OUT, POP3NUM...) never reports `code` on this model, or null. */
export function absentCode(d: Dialect, command: string, code: number): string | null {
  for (const a of d.absentCodes)
    if ((a.commands === "*" || a.commands.indexOf(command) >= 0) && a.codes.indexOf(code) >= 0) return a.why;
  return null;
}

/** `code` when the model can report it on `command`, else `fallback` (a backend's SSL code on a sim800). */
export function reportable(d: Dialect, command: string, code: number, fallback: number): number {
  return absentCode(d, command, code) === null ? code : fallback;
}
