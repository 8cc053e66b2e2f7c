import type { ValueTransformer } from 'typeorm';
import { fromScaledInteger, toScaledInteger } from '../domain/money';

/**
 * Money is stored as a BIGINT count of 1/10 000 currency units: exact on SQLite (whose DECIMAL is
 * a float) and on MySQL alike, and summable in SQL for the ledger.
 */
export const MONEY_SCALE = 10_000;

export const moneyColumn: ValueTransformer = {
  to: (value: string | null | undefined) =>
    value === null || value === undefined ? value : String(toScaledInteger(value, MONEY_SCALE)),
  from: (value: string | number | null) => (value === null ? null : fromScaledInteger(value, MONEY_SCALE)),
};

/** SQLite keeps datetimes as text without zone; both drivers give back a Date in UTC. */
export const DATETIME = { type: 'datetime', precision: 3 } as const;

/** Byte counts fit 2^53 (SafeInt); both drivers may hand BIGINT back as a string. */
export const bytesColumn: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null ? null : Number(value)),
};
