const PERSIAN = '۰۱۲۳۴۵۶۷۸۹';
const ARABIC_INDIC = '٠١٢٣٤٥٦٧٨٩';

/**
 * Persian (U+06F0…) and Arabic-Indic (U+0660…) digits → ASCII. Iranian users type national
 * codes and phone numbers on Persian keyboards; refusing `۰۹۱۲…` as "not digits" would be a bug.
 */
export function toAsciiDigits(input: string): string {
  let out = '';
  for (const ch of input) {
    const p = PERSIAN.indexOf(ch);
    if (p >= 0) {
      out += String(p);
      continue;
    }
    const a = ARABIC_INDIC.indexOf(ch);
    out += a >= 0 ? String(a) : ch;
  }
  return out;
}

/** Trimmed, ASCII-digit form of user input, or undefined when it is not a string. */
export function normalizedDigits(input: unknown): string | undefined {
  return typeof input === 'string' ? toAsciiDigits(input.trim()) : undefined;
}
