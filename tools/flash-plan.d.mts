// Types of tools/flash-plan.mjs for the TypeScript tests.
export declare const HEADER: number;
export declare const ALIGN: number;
export interface PlannedFile { name: string; file: string; abs: string; bytes: number; storage: number }
export interface BoardStorage { free: number; trash: number | null; total: number | null; files: Record<string, number>; largest?: [string, number][]; boot?: number }
export interface Fit { fits: boolean; need: number; available: number; free: number; trash: number; replaced: number; message: string }
export declare function storageCost(bytes: number): number;
export declare function planFiles(root: string, example: string): PlannedFile[];
export declare function boardQuery(names: string[]): string;
export declare const QUERY_MIN: number;
export declare function parseBoardReply(output: string): BoardStorage | null;
export declare function checkFits(files: { name: string; storage: number }[], board: BoardStorage): Fit;
export declare function formatPlan(files: PlannedFile[]): { lines: string[]; summary: string };
export declare function progressLine(files: { bytes: number }[], done: number, current?: string): string;
export declare function verifyCode(name: string): string;
export declare function parseVerify(output: string, name: string): number | null;
