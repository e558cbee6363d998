export function pretokenise(code: string): Promise<string>;
export const STORAGE_DIR: string;
