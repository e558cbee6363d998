// Manual 2.14: the +POP3IN codes only the login gives, in src/errors.ts's form (the shared ones are
// there). A file of its own, imported and not exported by the pop3 part: the build then puts the
// text where it is used, made only when an error needs it.
export var POP3IN_CODES = "|65POP3 server response error|66POP3 server rejects login|67Incorrect POP3 user name|68Incorrect POP3 user name or password";
