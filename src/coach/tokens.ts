// Words with their UTF-16 offsets and sentence numbers: the one view of text that the language
// check and the question classifier both read. One linear pass; no backtracking regex.

export interface Token {
  /** Lower-cased, with typographic apostrophes made plain. */
  norm: string;
  start: number;
  end: number;
  sentence: number;
  /** A comma, bracket, quotation mark or dash stands between this word and the one before. */
  pause: boolean;
}

// Words are letters/digits, optionally joined by an apostrophe ("can't", "o'clock"). Hyphens,
// spaces and slashes separate words, so "wheelchair-bound" and "wheelchair bound" read the same.
// A hand-written scanner: one pass over the text with an ASCII fast path, since every analysis
// starts here and a regex with Unicode classes costs several times more.
const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu;
const WORD_CHAR = /[\p{L}\p{N}]/u;
const APOSTROPHE = 0x27;
const RIGHT_QUOTE = 0x2019;

export function normaliseWord(word: string): string {
  return word.toLowerCase().replace(/’/g, "'");
}

/** Length of the word character at `i` (2 for a letter outside the BMP), or 0 if it is not one. */
function wordCharAt(text: string, i: number): number {
  if (i >= text.length) return 0;
  const c = text.charCodeAt(i);
  if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57)) return 1;
  if (c < 128) return 0;
  const cp = text.codePointAt(i)!;
  const width = cp > 0xffff ? 2 : 1;
  return WORD_CHAR.test(String.fromCodePoint(cp)) ? width : 0;
}

function isPause(c: number): boolean {
  // , ( ) [ ] " “ ” ‘ — –   (a lone hyphen joins words, so it is no pause)
  return c === 44 || c === 40 || c === 41 || c === 91 || c === 93 || c === 34 || c === 0x201c || c === 0x201d || c === 0x2018 || c === 0x2014 || c === 0x2013;
}

function isSentenceBreak(c: number): boolean {
  return c === 46 || c === 33 || c === 63 || c === 59 || c === 58 || c === 10; // . ! ? ; : newline
}

export function tokenise(text: string): Token[] {
  const tokens: Token[] = [];
  let sentence = 0;
  let i = 0;
  const n = text.length;
  let pendingBreak = false;
  let pendingPause = false;
  while (i < n) {
    const w = wordCharAt(text, i);
    if (w === 0) {
      const c = text.charCodeAt(i);
      if (isSentenceBreak(c)) pendingBreak = true;
      // A quote mark that is not inside a word (an apostrophe would have been taken by the word) is a pause too.
      else if (isPause(c) || c === APOSTROPHE || c === RIGHT_QUOTE) pendingPause = true;
      i++;
      continue;
    }
    const start = i;
    let curly = false;
    i += w;
    for (;;) {
      const step = wordCharAt(text, i);
      if (step > 0) {
        i += step;
        continue;
      }
      const c = text.charCodeAt(i);
      // An apostrophe joins two runs of word characters ("can't"); otherwise the word ends.
      if ((c === APOSTROPHE || c === RIGHT_QUOTE) && i + 1 < n && wordCharAt(text, i + 1) > 0) {
        if (c === RIGHT_QUOTE) curly = true;
        i += 1;
        continue;
      }
      break;
    }
    if (pendingBreak && tokens.length > 0) sentence++;
    const lower = text.slice(start, i).toLowerCase();
    tokens.push({ norm: curly ? lower.replace(/’/g, "'") : lower, start, end: i, sentence, pause: pendingPause || pendingBreak });
    pendingBreak = false;
    pendingPause = false;
  }
  return tokens;
}

/** Splits a phrase from the content files into normalised words, the same way text is split. */
export function phraseWords(phrase: string): string[] {
  return Array.from(phrase.matchAll(WORD), (m) => normaliseWord(m[0]));
}
