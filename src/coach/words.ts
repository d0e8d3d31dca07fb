// Counts and plurals in words: "1 question", "3 questions", "2 email addresses", "5 dates of birth".
import nlp from 'compromise';

const plurals = new Map<string, string>();

/** The plural of a noun phrase; in "date of birth" the head noun is the one before "of". */
export function plural(noun: string): string {
  let known = plurals.get(noun);
  if (known === undefined) {
    const m = /^(.+?)(\s+(?:of|in|to|for)\s+.+)$/.exec(noun);
    known = m ? pluralOfHead(m[1]!) + m[2] : pluralOfHead(noun);
    plurals.set(noun, known);
  }
  return known;
}

function pluralOfHead(phrase: string): string {
  const words = phrase.split(' ');
  const last = words.pop()!;
  const made = nlp(last).nouns().toPlural().text();
  // Words the tagger reads as verbs ("reply") get the regular spelling rules.
  const regular = /[^aeiou]y$/.test(last) ? `${last.slice(0, -1)}ies` : /(?:s|x|z|ch|sh)$/.test(last) ? `${last}es` : `${last}s`;
  words.push(made && made !== last ? made : regular);
  return words.join(' ');
}

/** "1 question", "3 questions". */
export function countOf(n: number, noun: string): string {
  return `${n} ${n === 1 ? noun : plural(noun)}`;
}
