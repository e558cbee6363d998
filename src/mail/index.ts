// Pure helpers for the POP3/SMTP state machines.
export { createDotStream } from "./dot-stream";
export type { DotStream } from "./dot-stream";
export { createLineSplitter } from "./line-splitter";
export type { LineSplitter } from "./line-splitter";
export { createHeaderParser, parseAddress } from "./headers";
export type { HeaderParser } from "./headers";
export { decodeWords } from "./encoded-word";
export { base64Decode, qpDecode } from "./transfer-decode";
export { toHex, utf8Bytes } from "./hex";
export { isAscii } from "./hex-mode";
