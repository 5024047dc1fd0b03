import { decodeCursor } from '@darvazeh/http';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** True for a lowercase UUID: ids from a path are checked before they reach a `uuid` column. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** The row id a cursor of a UUID-ordered list points at (null: first page); a forged one is a 400. */
export function uuidCursor(cursor: string | undefined): string | null {
  if (!cursor) return null;
  return decodeCursor(cursor, (v): v is { id: string } => typeof v.id === 'string' && UUID.test(v.id)).id;
}
