// Personal identifiers are masked before anything is stored or posted: NHS numbers (only those
// that pass the checksum), UK phone numbers, email addresses, postcodes and dates of birth.
// Pure and linear: each pattern is anchored on a cheap first character and bounded in length.

export type IdentifierKind = 'nhs-number' | 'phone' | 'email' | 'postcode' | 'date-of-birth';

export interface Masked {
  text: string;
  /** What was masked, kind by kind, with how many of each. */
  masked: { kind: IdentifierKind; count: number }[];
}

const LABEL: Record<IdentifierKind, string> = {
  'nhs-number': '[NHS number]',
  phone: '[phone number]',
  email: '[email address]',
  postcode: '[postcode]',
  'date-of-birth': '[date of birth]',
};

export const IDENTIFIER_NAMES: Record<IdentifierKind, string> = {
  'nhs-number': 'an NHS number',
  phone: 'a phone number',
  email: 'an email address',
  postcode: 'a postcode',
  'date-of-birth': 'a date of birth',
};

const MONTHS = 'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';
const DATE = `(?:\\d{1,2}[/.-]\\d{1,2}[/.-](?:\\d{4}|\\d{2})|\\d{4}-\\d{2}-\\d{2}|\\d{1,2}(?:st|nd|rd|th)?\\s+(?:${MONTHS})\\.?,?\\s+\\d{4}|(?:${MONTHS})\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4})`;

// Order matters: emails before phones (an email can hold digits), NHS numbers before phones.
const PATTERNS: { kind: IdentifierKind; re: RegExp; accept?: (match: string) => boolean }[] = [
  { kind: 'email', re: /\b[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8}\b/g },
  // A date after "DOB", "date of birth" or "born" is a date of birth, whatever its year.
  { kind: 'date-of-birth', re: new RegExp(`\\b(?:d\\.?o\\.?b\\.?|date of birth|born(?: on)?)\\s*[:\\-–]?\\s*${DATE}`, 'gi') },
  // A full date in the last century, with no cue, is most likely a date of birth in a case note.
  { kind: 'date-of-birth', re: new RegExp(`\\b${DATE}\\b`, 'gi'), accept: (m) => isLikelyBirthYear(m) },
  { kind: 'nhs-number', re: /\b\d{3}[ -]?\d{3}[ -]?\d{4}\b/g, accept: (m) => validNhsNumber(m.replace(/\D/g, '')) },
  { kind: 'phone', re: /(?:\+44\s?(?:\(0\)\s?)?|\(?\b0)(?:\d[\s)-]{0,2}){8,9}\d\b/g, accept: (m) => ukPhoneDigits(m) },
  { kind: 'postcode', re: /\b(?:[A-Z]{1,2}\d[A-Z\d]?|[A-Z]{1,2}\d{2})\s?\d[ABD-HJLNP-UW-Z]{2}\b/gi, accept: (m) => /\d[a-z]{2}$/i.test(m) && !/^\d/.test(m) },
];

export function maskIdentifiers(text: string): Masked {
  if (!/[\d@]/.test(text)) return { text, masked: [] };
  const counts = new Map<IdentifierKind, number>();
  let out = text;
  for (const { kind, re, accept } of PATTERNS) {
    out = out.replace(re, (match) => {
      if (accept && !accept(match)) return match;
      counts.set(kind, (counts.get(kind) ?? 0) + 1);
      return LABEL[kind];
    });
  }
  return { text: out, masked: [...counts].map(([kind, count]) => ({ kind, count })) };
}

/** "I masked an NHS number and a phone number." */
export function describeMasked(masked: Masked['masked']): string {
  const names = masked.map((m) => (m.count > 1 ? `${m.count} ${IDENTIFIER_NAMES[m.kind].replace(/^an? /, '')}s` : IDENTIFIER_NAMES[m.kind]));
  const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}` : names[0];
  return `I masked ${list} before keeping anything. Please use initials, not identifiers.`;
}

/** NHS numbers carry a modulus 11 check digit: weights 10 to 2 over the first nine digits. */
export function validNhsNumber(digits: string): boolean {
  if (!/^\d{10}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(digits[i]) * (10 - i);
  const check = 11 - (sum % 11);
  const expected = check === 11 ? 0 : check;
  return expected !== 10 && expected === Number(digits[9]);
}

/** A UK number: 0 and ten digits (or nine, for a few old area codes), or +44 and the same without the 0. */
function ukPhoneDigits(match: string): boolean {
  const digits = match.replace(/\D/g, '');
  const national = digits.startsWith('44') && match.trim().startsWith('+') ? digits.slice(2) : digits.replace(/^0/, '');
  return national.length === 10 || national.length === 9;
}

function isLikelyBirthYear(match: string): boolean {
  // Two-digit years are left alone: "12/3/41" could be anything.
  const year = /(?:^|\D)(\d{4})(?:\D|$)/.exec(match)?.[1];
  return year !== undefined && Number(year) >= 1900 && Number(year) < 2010;
}
