// What differs between the modems, in this one place: the SIM800 series and the SIM808 (SIM800 Series
// AT Command Manual V1.09, ch. 14) against the SIM900 (Email AT Command Manual V1.04). The other email
// commands are the same. Code 69 on AT+POP3IN and AT+POP3OUT needs no entry (the message table has
// 69), and the module forgets the modem's settings after any reboot anyway.
export interface Dialect {
  /** No AT+EMAILSSL (SIM900 2.23): V1.09 has neither it nor the SSL codes 80..84. (The SIM900 is the
   *  entry with nothing set.) */
  noSsl?: number;
  /** The line that asks for the body when it is AT+SMTPBODY=<length>, "DOWNLOAD", exactly <length>
   *  bytes, OK (V1.09 p296); without it, AT+SMTPBODY, the ">" prompt, the body and Ctrl-Z (SIM900 2.8). */
  download?: string;
}

export var DIALECTS: { [model: string]: Dialect } = { sim900: {}, sim800: { noSsl: 1, download: "DOWNLOAD" } };

/** The dialect of the model ATI's answer names: "SIM8" + two digits ("SIM800 R14.18", "SIM808 R14.18")
 *  is the SIM800's, "SIM9" + two digits ("SIM900 R11.0") the SIM900's, anything else none. (A group
 *  over a character class: Espruino 2v29 captures "" for a group over an alternation.) */
export function identify(ati: string): Dialect | undefined {
  var x = /SIM([89])\d\d/.exec(ati);
  return x ? DIALECTS["sim" + x[1] + "00"] : undefined;
}
