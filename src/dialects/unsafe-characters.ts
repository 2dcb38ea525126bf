/**
 * email-validator's `check_unsafe_chars`, which pydantic's `EmailStr` runs and
 * Gatehouse applies to every e-mail address on every surface: letters, digits,
 * punctuation and symbols are safe; a combining mark is safe except first (it
 * would combine with what precedes the address); spaces (unless `allowSpace`, in a
 * quoted local part), line and paragraph separators, control, format (zero-width,
 * soft hyphen, bidirectional), private-use and unassigned code points are not:
 * they make an address render as another one.
 * @returns the unsafe characters, once each, in code-point order
 */
export function unsafeCharacters(text: string, allowSpace = false): string[] {
  const unsafe = new Set<string>();
  [...text].forEach((c, i) => {
    if (/[\p{L}\p{N}\p{P}\p{S}]/u.test(c)) return;
    if (/\p{M}/u.test(c) && i > 0) return;
    if (/\p{Zs}/u.test(c) && allowSpace) return;
    unsafe.add(c);
  });
  return [...unsafe].sort((a, b) => (a.codePointAt(0) as number) - (b.codePointAt(0) as number));
}

/**
 * email-validator's `safe_character_display`: a visible character quoted as
 * Python's `repr` quotes it, any other by its Unicode name (for the invisible ones
 * in the table below) or as `U+XXXX`.
 */
export function characterDisplay(c: string): string {
  if (c === '\\') return '"\\"';
  if (/[\p{L}\p{N}\p{P}\p{S}]/u.test(c)) return c === "'" ? `"'"` : `'${c}'`;
  const code = c.codePointAt(0) as number;
  if (c === ' ') return 'SPACE';
  return (
    CHARACTER_NAMES[code] ??
    `U+${code
      .toString(16)
      .toUpperCase()
      .padStart(code < 0xffff ? 4 : 8, '0')}`
  );
}

/** Python's `unicodedata.name` of the invisible characters (Cf, Zs, Zl, Zp) in the BMP. */
const CHARACTER_NAMES: Readonly<Record<number, string>> = {
  0x00a0: 'NO-BREAK SPACE',
  0x00ad: 'SOFT HYPHEN',
  0x0600: 'ARABIC NUMBER SIGN',
  0x0601: 'ARABIC SIGN SANAH',
  0x0602: 'ARABIC FOOTNOTE MARKER',
  0x0603: 'ARABIC SIGN SAFHA',
  0x0604: 'ARABIC SIGN SAMVAT',
  0x0605: 'ARABIC NUMBER MARK ABOVE',
  0x061c: 'ARABIC LETTER MARK',
  0x06dd: 'ARABIC END OF AYAH',
  0x070f: 'SYRIAC ABBREVIATION MARK',
  0x0890: 'ARABIC POUND MARK ABOVE',
  0x0891: 'ARABIC PIASTRE MARK ABOVE',
  0x08e2: 'ARABIC DISPUTED END OF AYAH',
  0x1680: 'OGHAM SPACE MARK',
  0x180e: 'MONGOLIAN VOWEL SEPARATOR',
  0x2000: 'EN QUAD',
  0x2001: 'EM QUAD',
  0x2002: 'EN SPACE',
  0x2003: 'EM SPACE',
  0x2004: 'THREE-PER-EM SPACE',
  0x2005: 'FOUR-PER-EM SPACE',
  0x2006: 'SIX-PER-EM SPACE',
  0x2007: 'FIGURE SPACE',
  0x2008: 'PUNCTUATION SPACE',
  0x2009: 'THIN SPACE',
  0x200a: 'HAIR SPACE',
  0x200b: 'ZERO WIDTH SPACE',
  0x200c: 'ZERO WIDTH NON-JOINER',
  0x200d: 'ZERO WIDTH JOINER',
  0x200e: 'LEFT-TO-RIGHT MARK',
  0x200f: 'RIGHT-TO-LEFT MARK',
  0x2028: 'LINE SEPARATOR',
  0x2029: 'PARAGRAPH SEPARATOR',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING',
  0x202b: 'RIGHT-TO-LEFT EMBEDDING',
  0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE',
  0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x202f: 'NARROW NO-BREAK SPACE',
  0x205f: 'MEDIUM MATHEMATICAL SPACE',
  0x2060: 'WORD JOINER',
  0x2061: 'FUNCTION APPLICATION',
  0x2062: 'INVISIBLE TIMES',
  0x2063: 'INVISIBLE SEPARATOR',
  0x2064: 'INVISIBLE PLUS',
  0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE',
  0x2068: 'FIRST STRONG ISOLATE',
  0x2069: 'POP DIRECTIONAL ISOLATE',
  0x206a: 'INHIBIT SYMMETRIC SWAPPING',
  0x206b: 'ACTIVATE SYMMETRIC SWAPPING',
  0x206c: 'INHIBIT ARABIC FORM SHAPING',
  0x206d: 'ACTIVATE ARABIC FORM SHAPING',
  0x206e: 'NATIONAL DIGIT SHAPES',
  0x206f: 'NOMINAL DIGIT SHAPES',
  0x3000: 'IDEOGRAPHIC SPACE',
  0xfeff: 'ZERO WIDTH NO-BREAK SPACE',
  0xfff9: 'INTERLINEAR ANNOTATION ANCHOR',
  0xfffa: 'INTERLINEAR ANNOTATION SEPARATOR',
  0xfffb: 'INTERLINEAR ANNOTATION TERMINATOR',
};
