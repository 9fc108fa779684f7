export function electronDir(): string | null;
export function electronBinary(): string | null;
export function fetchElectronBinary(options?: { timeoutMs?: number }): string | null;
export const NO_ELECTRON_MESSAGE: string;
