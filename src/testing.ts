// Test-only entry (dist/sim900-email.test.js): the public API plus the internals, so that unit tests
// can run against built ES5 code. Not for boards: the board bundle is src/index.ts alone.
export * from "./index";
import { addPart } from "./part";
import { settings, send } from "./smtp";
import { login, list, retrieve, simple } from "./pop3";
import { fetch } from "./fetch";
import { toHex } from "./mail/hex";

// Everything linked in: the parts need no require() here. Plain objects, not namespace imports:
// rollup makes those with Object.freeze, which Espruino lacks.
addPart("sim900-email-send", { settings: settings, send: send });
addPart("sim900-email-pop3", { login: login, list: list, retrieve: retrieve, simple: simple });
addPart("sim900-email-fetch", { fetch: fetch });
addPart("sim900-email-hex", { toHex: toHex });
export { createReader } from "./at/reader";
export { createChannel } from "./at/channel";
export { createDotStream } from "./mail/dot-stream";
export { seenStore } from "./seen-store";
export { codeError } from "./errors";
export { find } from "./strings";
export { replaceAll, trim, lower } from "./mail/text";
export { typedError } from "./errors";
export { createLineSplitter } from "./mail/line-splitter";
export { createHeaderParser, parseAddress } from "./mail/headers";
export { decodeWords } from "./mail/encoded-word";
export { base64Decode, qpDecode } from "./mail/transfer-decode";
