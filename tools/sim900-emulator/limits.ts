// The max lengths the test forms (=?) report and the write forms enforce. The manual (V1.04) leaves
// each to the firmware: its test form reports it (2.3 SMTPSRV, 2.4 SMTPAUTH, 2.5 SMTPFROM, 2.6 SMTPRCPT
// lengths and index range, 2.7 SMTPSUB, 2.8 SMTPBODY, 2.9 SMTPFILE, 2.12 SMTPCS, 2.13 POP3SRV); the
// numbers it does give are POP3READ's 1-1460 (2.19), ports 1-65535 (2.3, 2.13) and the 1360 of
// "+SMTPFT: 1,1360" in example 3.3. The rest are this emulator's choices (README): 50-char strings,
// a 100-char subject, and a body of 4096, about what public drivers see from AT+SMTPBODY=?. The module
// (src/params.ts) picks its own limits from the same sections; neither file imports the other.
export const LIMITS = {
  smtpServer: 50,
  smtpUser: 50,
  smtpPassword: 50,
  senderAddress: 50,
  senderName: 50,
  rcptAddress: 50,
  rcptName: 50,
  rcptIndexMax: 4,   // indexes 0..4: five recipients of each type
  subject: 100,      // as typed: a hex subject (non-ASCII charset) takes two characters a byte
  body: 4096,        // as typed, likewise
  fileName: 50,
  charset: 20,
  pop3Server: 50,
  pop3User: 50,
  pop3Password: 50,
  msgNumberMax: 65535,
  topLinesMax: 65535,
  pop3ReadMax: 1460, // manual 2.19
  ftMaxDefault: 1360, // manual 3.3
} as const;
