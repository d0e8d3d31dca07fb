// Words with their UTF-16 offsets and sentence numbers: the one view of text that the language
// check and the question classifier both read. One linear pass; no backtracking regex.

export interface Token {
  /** Lower-cased, with typographic apostrophes made plain. */
  norm: string;
  start: number;
  end: number;
  sentence: number;
}

// Letters/digits, optionally joined by an apostrophe ("can't", "o'clock"). Hyphens, spaces and
// slashes separate words, so "wheelchair-bound" and "wheelchair bound" read the same.
const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu;
const SENTENCE_BREAK = /[.!?;:\n]/;

export function normaliseWord(word: string): string {
  return word.toLowerCase().replace(/’/g, "'");
}

export function tokenise(text: string): Token[] {
  const tokens: Token[] = [];
  let sentence = 0;
  let last = 0;
  for (const m of text.matchAll(WORD)) {
    const start = m.index;
    if (start > last && SENTENCE_BREAK.test(text.slice(last, start))) sentence++;
    tokens.push({ norm: normaliseWord(m[0]), start, end: start + m[0].length, sentence });
    last = start + m[0].length;
  }
  return tokens;
}

/** Splits a phrase from the content files into normalised words, the same way text is split. */
export function phraseWords(phrase: string): string[] {
  return Array.from(phrase.matchAll(WORD), (m) => normaliseWord(m[0]));
}
