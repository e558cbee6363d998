// The max lengths the test forms (=?) report and the write forms enforce. The manual leaves them to
// the firmware; these are our choices (README), the body size follows the field notes (~4 KB).
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
