/** A primary key from a URL segment: a positive decimal integer, else null (DRF then answers 404). */
export function parsePk(text: string): number | null {
  return /^[1-9]\d{0,14}$/.test(text) ? Number(text) : null;
}
