// Manual 2.10: the +SMTPSEND codes only SMTP gives, in src/errors.ts's form (the shared ones are
// there). A file of its own, imported and not exported by the send part: the build then puts the
// text where it is used, made only when an error needs it (held at load it costs ~16 JsVars).
export var SMTP_CODES = "|65SMTP server response error|66SMTP server requires authentication|67SMTP authentication failed|68Bad recipient";
