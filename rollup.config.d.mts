// Types for what tools import from rollup.config.mjs.
import type { Plugin, OutputOptions } from "rollup";
export declare const plugins: (sourceMap?: boolean, board?: boolean) => Plugin[];
export declare const output: (file: string) => OutputOptions;
export declare const PARTS: { [name: string]: string[] };
export declare const INTERNAL: string[];
/** "$<internal name>" → its short name. */
export declare const SHORT: { [key: string]: string };
export declare function propertyNames(): Set<string>;
