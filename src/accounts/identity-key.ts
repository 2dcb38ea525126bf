import { createHash } from 'node:crypto';

const DEFAULT_IGNORABLE = /\p{Default_Ignorable_Code_Point}/gu;

/**
 * The caseless form of an e-mail address or username: two identifiers are one
 * identity when these are equal. It is Unicode's identifier caseless match (UTR #36
 * §2.11.2, NFKC_Casefold), which Django's forms and allauth apply when they compare
 * usernames and addresses (`unicodedata.normalize("NFKC", s).casefold()`): the
 * Kelvin sign K is a K, fullwidth Ｇ a G, "Grace" is "grace", and invisible
 * (default-ignorable) characters count for nothing. JavaScript has no `casefold`;
 * upper- then lower-casing folds as fully (ß → ss), except the final sigma and
 * the capital ẞ, folded here by hand; it also takes the dotless ı for an i, which
 * casefold does not (stricter, on purpose). A Cyrillic "і" stays Cyrillic: Unicode
 * calls it another letter.
 */
export function caselessForm(text: string): string {
  return text
    .normalize('NFKC')
    .replace(DEFAULT_IGNORABLE, '')
    .toUpperCase()
    .toLowerCase()
    .replace(/ς/g, 'σ')
    .replace(/ß/g, 'ss')
    .normalize('NFKC');
}

/**
 * What the users table's unique `email_key` and `username_key` columns hold: the
 * SHA-256 (hex) of the caseless form. A digest keeps the column and its index one
 * width on SQLite and PostgreSQL whatever NFKC expands a 254-character address to.
 */
export function identityKey(text: string): string {
  return createHash('sha256').update(caselessForm(text)).digest('hex');
}
