import { createHash } from 'node:crypto';

const DEFAULT_IGNORABLE = /\p{Default_Ignorable_Code_Point}/gu;

/**
 * Cyrillic and Greek small letters that Unicode's confusables data (UTS #39) maps
 * to one Latin letter each and that render the same in common fonts: the skeleton
 * step, so `vіctim@` (Cyrillic і) is the identity `victim@` already holds.
 */
const LATIN_LOOKALIKES: Readonly<Record<string, string>> = {
  а: 'a',
  е: 'e',
  о: 'o',
  р: 'p',
  с: 'c',
  у: 'y',
  х: 'x',
  і: 'i',
  ј: 'j',
  ѕ: 's',
  һ: 'h',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  ӏ: 'l',
  α: 'a',
  ο: 'o',
  ρ: 'p',
  ν: 'v',
  ι: 'i',
  υ: 'u',
  χ: 'x',
  γ: 'y',
};
const LOOKALIKE = new RegExp(`[${Object.keys(LATIN_LOOKALIKES).join('')}]`, 'gu');

/**
 * The caseless form of an e-mail address or username: two identifiers are one
 * identity when these are equal. It is Unicode's identifier caseless match (UTR #36
 * §2.11.2, NFKC_Casefold), which Django's forms and allauth apply when they compare
 * usernames and addresses (`unicodedata.normalize("NFKC", s).casefold()`): the
 * Kelvin sign K is a K, fullwidth Ｇ a G, "Grace" is "grace", and invisible
 * (default-ignorable) characters count for nothing. JavaScript has no `casefold`;
 * upper- then lower-casing folds as fully (ß → ss), except the final sigma and
 * the capital ẞ, folded here by hand; it also takes the dotless ı for an i, which
 * casefold does not (stricter, on purpose). Last, letters of other scripts that look
 * like a Latin one take its place (LATIN_LOOKALIKES), so a look-alike in another
 * script is the same identity too — stricter than those libraries, which let
 * `vіctim@` beside `victim@`.
 */
export function caselessForm(text: string): string {
  return text
    .normalize('NFKC')
    .replace(DEFAULT_IGNORABLE, '')
    .toUpperCase()
    .toLowerCase()
    .replace(/ς/g, 'σ')
    .replace(/ß/g, 'ss')
    .normalize('NFKC')
    .replace(LOOKALIKE, (letter) => LATIN_LOOKALIKES[letter]);
}

/**
 * What the users table's unique `email_key` and `username_key` columns hold: the
 * SHA-256 (hex) of the caseless form. A digest keeps the column and its index one
 * width on SQLite and PostgreSQL whatever NFKC expands a 254-character address to.
 */
export function identityKey(text: string): string {
  return createHash('sha256').update(caselessForm(text)).digest('hex');
}
