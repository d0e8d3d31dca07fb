// "Open it up": the practitioner's own closed question, reshaped into an open one that asks about
// the same thing ("Do you like gardening?" → "What do you enjoy about gardening?"). Only shapes
// that can be reshaped faithfully are; anything else gets undefined, and the coach offers an
// example question instead.
import nlp from 'compromise';

interface Shape {
  /** Matches the whole question (without its question mark); the groups are the practitioner's words. */
  pattern: RegExp;
  open: (m: RegExpExecArray) => string | undefined;
}

const SHAPES: Shape[] = [
  // "Do you like gardening?", "Do you enjoy going to the club?", "Do you like to garden?"
  { pattern: /^do you (?:still )?(?:like|enjoy|love)\s+(.+)$/i, open: (m) => `What do you enjoy about ${activity(m[1]!)}?` },
  // "Is there anyone who helps?", "Is there anybody who helps you with the shopping?"
  { pattern: /^(?:is there|have you got|do you have) (?:anyone|anybody|someone|somebody) (?:who|that) (.+)$/i, open: (m) => `Who ${withYou(m[1]!)}?` },
  // "Does anyone help you?", "Does someone visit?"
  { pattern: /^does (?:anyone|anybody|someone|somebody) (.+)$/i, open: (m) => `Who ${thirdPerson(m[1]!)}?` },
  // "Do you have family nearby?", "Have you got any friends close by?"
  { pattern: /^(?:do you have|have you got) (?:any )?(family|friends|neighbours|relatives)\s*(.*)$/i, open: (m) => `Who ${m[1] === 'family' ? 'in your family' : `among your ${m[1]}`} ${m[2] ? `is ${m[2]}` : 'is around you'}?` },
  // "Can you manage the stairs?", "Are you able to manage the stairs?", "Can you still do your shopping?"
  { pattern: /^(?:can you|are you able to|do you|could you) (?:still )?manage (?:to )?(.+)$/i, open: (m) => `How do you manage ${m[1]} at the moment, and what helps?` },
  // "Is your garden important to you?"
  { pattern: /^(?:is|are) (.+?) important to you$/i, open: (m) => `What is important to you about ${m[1]}?` },
  // "Are you happy with the carers?"
  { pattern: /^are you (?:happy|ok|okay|alright|all right|comfortable|satisfied) (?:with|about) (.+)$/i, open: (m) => `How do you feel about ${m[1]}?` },
  // "Would you like to go back to the lunch club?"
  { pattern: /^would you like to (.+)$/i, open: (m) => `What would it mean to you to ${m[1]}?` },
  // "Have you ever managed to get out on your own?"
  { pattern: /^have you ever (.+)$/i, open: (m) => `When have you ${m[1]}, and what was different then?` },
  // "Did anything help last time?"
  { pattern: /^did anything help (.*)$/i, open: (m) => `What helped ${m[1]}?`.replace(/\s+\?$/, '?') },
];

/** An open question about the same thing, or undefined when the question's shape does not allow one. */
export function openUp(question: string): string | undefined {
  const bare = question.trim().replace(/\s*\?+\s*$/, '').replace(/\s+/g, ' ');
  if (!bare || /[?]/.test(bare)) return undefined;
  for (const shape of SHAPES) {
    const m = shape.pattern.exec(bare);
    if (!m) continue;
    const open = shape.open(m);
    if (open) return open.charAt(0).toUpperCase() + open.slice(1);
  }
  return undefined;
}

/** "to garden" → "gardening"; "gardening", "the club" stay as they are. */
function activity(words: string): string {
  const m = /^to (\w+)(.*)$/i.exec(words);
  if (!m) return words;
  const gerund = (nlp(m[1]!).verbs().conjugate()[0] as Record<string, string> | undefined)?.Gerund;
  return gerund && !gerund.includes(' ') ? `${gerund}${m[2]}` : words;
}

/** "helps" → "helps you"; "helps you with the shopping" stays. */
function withYou(clause: string): string {
  return /\b(?:you|your)\b/i.test(clause) ? clause : clause.replace(/^(\w+)/, '$1 you');
}

/** "help you" → "helps you": after "who", the verb agrees with a third person. */
function thirdPerson(clause: string): string {
  // The verb may come after who it is ("anyone from the church pop in"): the first word read as a verb.
  const words = clause.split(' ');
  const at = words.findIndex((w) => !/^(?:from|at|in|of|on|the|a|an|your|my|his|her|their|round|nearby|else)$/i.test(w) && nlp(`they ${w}`).verbs().length > 0);
  if (at < 0) return clause;
  const present = (nlp(`they ${words[at]}`).verbs().conjugate()[0] as Record<string, string> | undefined)?.PresentTense;
  if (present && !present.includes(' ')) words[at] = present;
  return words.join(' ');
}
