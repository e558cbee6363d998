// Test-only entry (dist/sim900-email.test.js): the public API plus the internals, so that unit tests
// can run against built ES5 code. Not for boards: the board bundle is src/index.ts alone.
export * from "./index";
import { addPart } from "./index";
import * as smtp from "./smtp";
import * as pop3 from "./pop3";
import * as fetch from "./fetch";

// Everything linked in: the parts need no require() here.
addPart("sim900-email-send", smtp);
addPart("sim900-email-pop3", pop3);
addPart("sim900-email-fetch", fetch);
export { createReader } from "./at/reader";
export { createChannel } from "./at/channel";
export { createDotStream } from "./mail/dot-stream";
export { seenStore } from "./seen-store";
export { codeError } from "./errors";
export { find, replaceAll, trim, lower } from "./strings";
export { typedError } from "./errors";
export { createLineSplitter } from "./mail/line-splitter";
export { createHeaderParser, parseAddress } from "./mail/headers";
export { decodeWords } from "./mail/encoded-word";
export { base64Decode, qpDecode } from "./mail/transfer-decode";
