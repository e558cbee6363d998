// --help texts of the sim900-email command-line tool.

export const EXIT = {
  OK: 0,
  /** Unexpected failure of the tool itself (e.g. dist/ not built). */
  INTERNAL: 1,
  USAGE: 2,
  MODEM: 3,
  SMTP: 4,
  POP3: 5,
  PORT: 6,
  INTERRUPTED: 130,
} as const;

const COMMON = `Connection options (every command):
  --port PATH|tcp://HOST:PORT  serial device (/dev/ttyUSB0, COM3) or the emulator's TCP server
                               [env SIM900_PORT]
  --baud N                     serial speed, default 115200 [env SIM900_BAUD]
  --timeout S                  mail server response timeout in s, AT+EMAILTO (10..120), default 30
  --at-timeout MS              timeout of commands the modem answers itself, default 5000
  --register-timeout S         wait for network registration and GPRS attach, default 60
  --apn NAME                   GPRS access point [env SIM900_APN]
  --apn-user NAME              [env SIM900_APN_USER]; its password only from SIM900_APN_PASSWORD
                               or the config file
  --cid N                      bearer profile, default 1
  --ssl on|off                 AT+EMAILSSL; default on when a port is 465 or 995 (not on a SIM800)
  --modem sim900|sim800        the modem's dialect; default: found from ATI at connect
  --chunk N                    bytes per AT+SMTPFT / AT+POP3READ request (1..1460), default 512
  --config FILE                JSON settings (see below) [env SIM900_CONFIG]
  --log FILE                   append the AT transcript to FILE (passwords shown as ***)
  --no-progress                no progress bar (bars are shown only when stderr is a terminal)
  -h, --help                   this help`;

const CONFIG = `Settings, strongest first: command-line flags, environment variables, the --config file.
Passwords are never taken from the command line (they would stay in shell history):
  SIM900_SMTP_PASSWORD, SIM900_POP3_PASSWORD, or SIM900_PASSWORD for both;
  SIM900_SMTP_USER, SIM900_POP3_USER, or SIM900_USER for both;
  SIM900_SMTP=HOST:PORT, SIM900_POP3=HOST:PORT, SIM900_FROM=ADDRESS, SIM900_APN_PASSWORD.
The config file holds the same settings as JSON, e.g.
  { "port": "/dev/ttyUSB0", "apn": "internet", "smtp": "smtp.example.com:465",
    "pop3": "pop.example.com:995", "user": "unit7@example.com", "password": "...",
    "from": "unit7@example.com", "fromName": "Unit 7" }
(keys: port baud timeout atTimeout registerTimeout apn apnUser apnPassword cid ssl modem chunk log
 smtp pop3 user password smtpUser smtpPassword pop3User pop3Password from fromName).`;

const CODES = `Exit codes:
  0  success
  1  internal error of the tool (e.g. dist/ not built: run npm run build)
  2  usage error (unknown flag, missing argument, unreadable attachment or config file)
  3  modem not ready: no answer to AT, SIM, registration, GPRS attach or bearer failed
     (probe: no answer to AT, or the firmware lacks the email AT commands)
  4  SMTP failure (send)
  5  POP3 failure (inbox, read, delete)
  6  port error: cannot open the serial device / TCP address, or the line was lost
  130 interrupted (Ctrl-C)`;

export const HELP: Record<string, string> = {
  main: `Usage: sim900-email <command> [options]

Sends and receives email through a SIM900 modem on a serial port, running the very same
dist/sim900-email.js bundle a board runs, in an Espruino-like sandbox.

Commands:
  send     send an email, optionally with one attachment (SMTP)
  inbox    list the POP3 mailbox: number, UID and size of each message
  read N   write message N (raw RFC 5322) to stdout or a file
  delete N delete message N on the server
  probe    check the modem: AT, firmware, SIM, signal, registration, bearer, email commands

Run 'sim900-email <command> --help' for a command's options.

Examples:
  export SIM900_USER=unit7@example.com SIM900_PASSWORD=...   # or: read -s SIM900_PASSWORD
  sim900-email probe --port /dev/ttyUSB0
  sim900-email send --port /dev/ttyUSB0 --apn internet --smtp smtp.example.com:465 \\
      --to ops@example.com --subject "Reading 42" --body "t=21.5C" --attach log.csv
  sim900-email inbox --port /dev/ttyUSB0 --apn internet --pop3 pop.example.com:995
  sim900-email read 1 --port tcp://127.0.0.1:5900 --pop3 pop.example.com:110 --out msg.eml

${CONFIG}

${CODES}`,

  send: `Usage: sim900-email send --port PORT --smtp HOST[:PORT] --to ADDRESS [options]

Sends one email with AT+SMTP* (ports 465 and 587 as the modem supports them; 465 turns SSL on).

Message options:
  --smtp HOST[:PORT]     SMTP server, port default 25 [env SIM900_SMTP]
  --user NAME            SMTP user [env SIM900_SMTP_USER or SIM900_USER]; none: no AUTH
                         (password from SIM900_SMTP_PASSWORD / SIM900_PASSWORD / config)
  --from ADDRESS         sender address, default the user name if it holds an @ [env SIM900_FROM]
  --from-name NAME       sender display name
  --to ADDRESS           recipient; repeat for more (at most 5 each of to, cc, bcc)
  --cc ADDRESS           copy recipient; repeatable
  --bcc ADDRESS          blind copy recipient; repeatable
  --subject TEXT         subject (UTF-8 is sent hex-encoded with AT+SMTPCS)
  --body TEXT            body; '-' reads it from standard input
  --body-file FILE       body from a file
  --attach FILE          one attachment, streamed from the file (progress bar on a terminal)
  --attach-name NAME     file name shown to the recipient, default the file's base name
  --attach-as binary|text  binary: base64 (default); text: 7-bit as it is

${COMMON}

Prints "sent: N AT commands, M attachment bytes" on success; exit 4 on an SMTP failure with the
modem's code and the manual's meaning, e.g. "SMTPSEND failed (67): SMTP authentication failed".`,

  inbox: `Usage: sim900-email inbox --port PORT --pop3 HOST[:PORT] [options]

Lists the mailbox (POP3 LIST and UIDL): one line per message with its number, size and UID.

Options:
  --pop3 HOST[:PORT]   POP3 server, port default 110 [env SIM900_POP3]
  --user NAME          POP3 user [env SIM900_POP3_USER or SIM900_USER]
                       (password from SIM900_POP3_PASSWORD / SIM900_PASSWORD / config)
  --json               print a JSON array [{ "n", "size", "uid" }] instead of a table

${COMMON}`,

  read: `Usage: sim900-email read N --port PORT --pop3 HOST[:PORT] [options]

Streams message N (as numbered by 'inbox') to standard output, raw, as the server holds it.

Options:
  --pop3 HOST[:PORT]   POP3 server, port default 110 [env SIM900_POP3]
  --user NAME          POP3 user [env SIM900_POP3_USER or SIM900_USER]
  --top L              only the headers and the first L body lines (POP3 TOP; --top 0: headers)
  --out FILE           write to FILE instead of standard output

${COMMON}`,

  delete: `Usage: sim900-email delete N --port PORT --pop3 HOST[:PORT] [options]

Marks message N for deletion (AT+POP3DEL) and logs out, which makes the server delete it.

Options:
  --pop3 HOST[:PORT]   POP3 server, port default 110 [env SIM900_POP3]
  --user NAME          POP3 user [env SIM900_POP3_USER or SIM900_USER]

${COMMON}`,

  probe: `Usage: sim900-email probe --port PORT [--baud N] [--log FILE] [--cid N]

Talks AT directly and prints what the modem says: AT, firmware (AT+CGMR), model (ATI: sim900 or
sim800, as connect() decides it), SIM (AT+CPIN?),
signal (AT+CSQ), registration (AT+CREG?), GPRS attach (AT+CGATT?), bearer (AT+SAPBR=2,cid), and
whether the email commands answer their test forms (AT+EMAILCID=?, AT+SMTPSRV=?, AT+POP3SRV=? ...;
AT+EMAILSSL=? only on a SIM900: the SIM800 has none).
Changes nothing but echo (ATE0). Exit 0 when the modem answers and has the email commands,
3 when it does not answer or lacks them, 6 when the port cannot be opened.

Options:
  --port PATH|tcp://HOST:PORT   [env SIM900_PORT]
  --baud N                      default 115200
  --cid N                       bearer profile to query, default 1
  --at-timeout MS               per command, default 2000
  --log FILE                    append the AT transcript to FILE
  --config FILE                 JSON settings (port, baud, cid)
  -h, --help                    this help

${CODES}`,
};
