// Your unit's network and mail account. Edit before flashing; these defaults match the emulator's
// embedded mail system (npm start), where any host name reaches it and unit7/secret is an account.
export var SETTINGS = {
  apn: "internet",
  smtp: { host: "smtp.example.com", port: 25, user: "unit7", password: "secret" },
  pop3: { host: "pop.example.com", port: 110, user: "unit7", password: "secret" },
  from: { address: "unit7@example.com", name: "Unit 7" },
  /** This unit's name in the outbox's email ids ("[unit7#12]" at the end of each subject). */
  unit: "unit7",
  /** Who gets the readings until a CONFIG email says otherwise. */
  recipients: ["ops@example.com"],
  /** Who may reconfigure the unit, and the subject their email must contain. */
  configFrom: "ops@example.com",
  configSubject: "CONFIG",
  /** The key config emails are signed with (npx tsx tools/sign-config.ts --key ... --seq ...): a forged
   *  or replayed CONFIG is then never applied. Change it for every unit; "" accepts unsigned configs. */
  configKey: "unit7 config key, change me",
  /** Seconds between wakes until a CONFIG email says otherwise. */
  interval: 15 * 60,
  /** Print the AT transcript (passwords masked) on the console. */
  debug: true,
};

/** Written by remote-config, read by both examples: { interval, recipients }. */
export var CONFIG_FILE = "sim900.json";
