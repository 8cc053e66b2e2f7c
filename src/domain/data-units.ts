/** 1 GB = 1024^3 bytes, as the contract fixes (and as eSIM Access counts). */
export const BYTES_PER_GB = 1024 ** 3;
export const BYTES_PER_MB = 1024 ** 2;

export function gbToBytes(gb: number): number {
  return Math.round(gb * BYTES_PER_GB);
}

/** MB as providers count them (1 GB = 1024 MB); fractional MB (ConnectedYou events) are rounded to a byte. */
export function mbToBytes(mb: number): number {
  return Math.round(mb * BYTES_PER_MB);
}

export function bytesToMb(bytes: number): number {
  return bytes / BYTES_PER_MB;
}

export function bytesToGb(bytes: number): number {
  return bytes / BYTES_PER_GB;
}
