// Personal identifiers are masked before anything is stored or posted: NHS numbers (only those
// that pass the checksum), UK phone numbers, email addresses, postcodes, dates of birth, street
// addresses, and surnames after a title ("Mrs Kowalski" → "Mrs K", the initials the coach asks for).
// Pure and linear: each pattern is anchored on a cheap first character and bounded in length.

export type IdentifierKind = 'nhs-number' | 'phone' | 'email' | 'postcode' | 'date-of-birth' | 'address' | 'surname';

export interface Masked {
  text: string;
  /** What was masked, kind by kind, with how many of each. */
  masked: { kind: IdentifierKind; count: number }[];
}

const LABEL: Record<Exclude<IdentifierKind, 'surname'>, string> = {
  'nhs-number': '[NHS number]',
  phone: '[phone number]',
  email: '[email address]',
  postcode: '[postcode]',
  'date-of-birth': '[date of birth]',
  address: '[address]',
};

/** How the notice names each kind: one of them, and several. */
export const IDENTIFIER_NAMES: Record<IdentifierKind, { one: string; many: string }> = {
  'nhs-number': { one: 'an NHS number', many: 'NHS numbers' },
  phone: { one: 'a phone number', many: 'phone numbers' },
  email: { one: 'an email address', many: 'email addresses' },
  postcode: { one: 'a postcode', many: 'postcodes' },
  'date-of-birth': { one: 'a date of birth', many: 'dates of birth' },
  address: { one: 'a street address', many: 'street addresses' },
  surname: { one: 'a surname to its initial', many: 'surnames to their initials' },
};

const NUMBER_WORDS = ['', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];

const TITLES = 'Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Sir|Dame|Lady|Lord|Rev|Revd|Reverend';
/**
 * A name word: a capital, then letters with at least one small one ("Kowalski", "O'Brien", "McDonald",
 * "Kowalski-Smith"), so an initial ("Mr B") is not one. Bounded, so no input makes it backtrack far.
 */
const NAME = "[A-Z](?=[A-Za-z'’]{0,30}?[a-z])[A-Za-z'’]{1,30}(?:-[A-Z][A-Za-z'’]{1,30})?";
const STREET_WORDS = [
  'Street', 'St', 'Road', 'Rd', 'Avenue', 'Ave', 'Lane', 'Ln', 'Close', 'Drive', 'Dr', 'Way', 'Crescent', 'Cres',
  'Court', 'Ct', 'Place', 'Pl', 'Gardens', 'Gdns', 'Grove', 'Terrace', 'Square', 'Sq', 'Hill', 'Park', 'Row',
  'Mews', 'Walk', 'View', 'Rise', 'Parade', 'Green', 'Boulevard', 'Crossing', 'Vale', 'Wharf', 'Yard',
];
/** "14 Acacia Avenue", "221b Baker Street", "3, Mill lane": a house number, one to three name words, a street word. */
const ADDRESS = new RegExp(
  `\\b\\d{1,4}[A-Za-z]?,?\\s+(?:${NAME}\\s+){1,3}(?:${STREET_WORDS.map((w) => `${w}|${w.toLowerCase()}`).join('|')})\\b`,
  'g',
);
/** "Mrs Kowalski", "Mr Ahmed Khan": the title stays and the surname becomes its initial. */
const TITLED_NAME = new RegExp(`\\b(${TITLES})(\\.?\\s+)(?:${NAME}\\s+)?(${NAME})\\b`, 'g');

const MONTHS = 'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';
const DATE = `(?:\\d{1,2}[/.-]\\d{1,2}[/.-](?:\\d{4}|\\d{2})|\\d{4}-\\d{2}-\\d{2}|\\d{1,2}(?:st|nd|rd|th)?\\s+(?:of\\s+)?(?:${MONTHS})\\.?,?\\s+\\d{4}|(?:${MONTHS})\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4})`;

// Order matters: emails before phones (an email can hold digits), NHS numbers before phones, addresses
// before postcodes. Every one of these holds a digit or an @, so text without either skips them all.
const PATTERNS: { kind: Exclude<IdentifierKind, 'surname'>; re: RegExp; accept?: (match: string) => boolean }[] = [
  { kind: 'email', re: /\b[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8}\b/g },
  // A date after "DOB", "date of birth", "birthday" or "born" is a date of birth, whatever its year.
  { kind: 'date-of-birth', re: new RegExp(`\\b(?:d\\.?o\\.?b\\.?|date of birth|birthday|born(?: on)?)(?:\\s+(?:is|was))?\\s*[:\\-–]?\\s*${DATE}`, 'gi') },
  // A full date in the last century, with no cue, is most likely a date of birth in a case note.
  { kind: 'date-of-birth', re: new RegExp(`\\b${DATE}\\b`, 'gi'), accept: (m) => isLikelyBirthYear(m) },
  { kind: 'nhs-number', re: /\b\d{3}[ .-]?\d{3}[ .-]?\d{4}\b/g, accept: (m) => validNhsNumber(m.replace(/\D/g, '')) },
  // +44 or 0044 (with or without "(0)"), or a national number starting 0.
  { kind: 'phone', re: /(?:(?:\+|\b00\s?)44\s?(?:\(0\)\s?)?|\(?\b0)(?:\d[\s)-]{0,2}){8,9}\d\b/g, accept: (m) => ukPhoneDigits(m) },
  { kind: 'address', re: ADDRESS },
  { kind: 'postcode', re: /\b(?:[A-Z]{1,2}\d[A-Z\d]?|[A-Z]{1,2}\d{2})\s?\d[ABD-HJLNP-UW-Z]{2}\b/gi, accept: (m) => /\d[a-z]{2}$/i.test(m) && !/^\d/.test(m) },
];

/** The surnames after a title in `text`: the coach keeps those of its own fictional people ("Mr Bell"). */
export function titledSurnames(text: string): string[] {
  return [...text.matchAll(TITLED_NAME)].map((m) => m[3]!);
}

/** `keepSurnames`: names that are not personal data here (the practice scenarios' fictional people). */
export function maskIdentifiers(text: string, keepSurnames: ReadonlySet<string> = new Set()): Masked {
  const counts = new Map<IdentifierKind, number>();
  const count = (kind: IdentifierKind) => counts.set(kind, (counts.get(kind) ?? 0) + 1);
  let out = text;
  if (/[\d@]/.test(text)) {
    for (const { kind, re, accept } of PATTERNS) {
      out = out.replace(re, (match) => {
        if (accept && !accept(match)) return match;
        count(kind);
        return LABEL[kind];
      });
    }
  }
  out = out.replace(TITLED_NAME, (match: string, title: string, space: string, surname: string) => {
    if (keepSurnames.has(surname)) return match;
    count('surname');
    return `${title}${space}${surname.charAt(0)}`;
  });
  return { text: out, masked: [...counts].map(([kind, n]) => ({ kind, count: n })) };
}

/** "I masked an NHS number and two phone numbers and shortened a surname to its initial before keeping anything." */
export function describeMasked(masked: Masked['masked']): string {
  const name = ({ kind, count }: Masked['masked'][number]) =>
    count > 1 ? `${NUMBER_WORDS[count] ?? count} ${IDENTIFIER_NAMES[kind].many}` : IDENTIFIER_NAMES[kind].one;
  const identifiers = masked.filter((m) => m.kind !== 'surname').map(name);
  const surnames = masked.find((m) => m.kind === 'surname');
  const done = [
    ...(identifiers.length ? [`masked ${listed(identifiers)}`] : []),
    ...(surnames ? [`shortened ${name(surnames)}`] : []),
  ];
  // "masked a, b and c, and shortened …": the second "and" after a comma once the list has its own.
  return `I ${done.join(identifiers.length > 1 ? ', and ' : ' and ')} before keeping anything. Please use initials, not identifiers.`;
}

function listed(names: string[]): string {
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}` : names[0]!;
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

/** A UK number: 0 and ten digits (or nine, for a few old area codes), or +44 / 0044 and the same without the 0. */
function ukPhoneDigits(match: string): boolean {
  const written = match.trim();
  const digits = written.replace('(0)', '').replace(/\D/g, '');
  const international = written.startsWith('+') || /^00\s?44/.test(written);
  const national = international ? digits.replace(/^(?:00)?44/, '') : digits.replace(/^0/, '');
  return national.length === 10 || national.length === 9;
}

/** The year of a date, with a two-digit year from 30 read as 19xx ("14/3/41"); 00–29 could be this century. */
function isLikelyBirthYear(match: string): boolean {
  const four = /(?:^|\D)(\d{4})(?:\D|$)/.exec(match)?.[1];
  const two = four ? undefined : /^\d{1,2}[/.-]\d{1,2}[/.-](\d{2})$/.exec(match)?.[1];
  const year = four !== undefined ? Number(four) : two !== undefined && Number(two) >= 30 ? 1900 + Number(two) : undefined;
  return year !== undefined && year >= 1900 && year < 2010;
}
