// Types for what tools import from rollup.config.mjs.
import type { Plugin, OutputOptions } from "rollup";
export declare const plugins: (sourceMap?: boolean) => Plugin[];
export declare const output: (file: string) => OutputOptions;
