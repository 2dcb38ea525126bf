import { isStoredId } from '../database/column-types';

/**
 * A primary key from a URL segment: a positive decimal integer within the
 * column's range, else null (DRF then answers 404, and PostgreSQL is never
 * asked for an id it cannot hold).
 */
export function parsePk(text: string): number | null {
  if (!/^[1-9]\d{0,9}$/.test(text)) return null;
  const pk = Number(text);
  return isStoredId(pk) ? pk : null;
}
