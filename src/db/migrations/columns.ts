import type { TableColumnOptions } from 'typeorm';

// Column builders shared by the migrations (Table API: one migration serves SQLite and MySQL).
export const id = (name = 'id', length = 36): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isPrimary: name === 'id',
});
export const ref = (name: string, isNullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: '36',
  isNullable,
});
export const datetime = (name: string, isNullable = false): TableColumnOptions => ({
  name,
  type: 'datetime',
  precision: 3,
  isNullable,
});
export const text = (name: string, length: number, isNullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable,
});
export const units = (name: string, isNullable = false): TableColumnOptions => ({ name, type: 'bigint', isNullable });
export const int = (name: string): TableColumnOptions => ({ name, type: 'integer' });
export const longText = (name: string): TableColumnOptions => ({ name, type: 'text' });
