// Files a practitioner's note by what it says, whatever area it was typed in: "She is confused and
// wanders at night" is a worry even when typed under the person's strengths, and "She wants to stay
// in the house" is what matters to her wherever it was typed.
import { phraseWords } from './tokens.ts';

export type NoteKind = 'matters' | 'worry' | 'network' | 'strength';

/** What the person wants, hopes for or holds dear. */
const MATTERS = [
  'wants', 'want', 'wanted', 'would like', "'d like", 'would love', "'d love", 'hopes', 'hope', 'hoping', 'wishes', 'wish',
  'would rather', "'d rather", 'prefers', 'prefer', 'important to', 'matters to', 'means a lot', 'means the world',
  'looking forward', 'dreams of', 'determined to stay', 'her priority', 'his priority', 'their priority', 'cares most about',
  "doesn't want", 'does not want', "don't want", 'do not want', 'never wants',
];
/** Worries the person or the practitioner has: the note's own words, and the language check's findings. */
const WORRY = [
  'worried', 'worry', 'worries', 'worrying', 'concern', 'concerns', 'concerned', 'fall', 'falls', 'fell', 'fallen', 'falling',
  'confused', 'confusion', 'forgets', 'forgetting', 'forgetful', 'memory', 'pain', 'painful', 'lonely', 'loneliness',
  'isolated', 'struggles', 'struggling', "can't", 'cannot', 'unable', 'not able', 'no longer', 'hard to', 'difficult to',
  'frightened', 'scared', 'afraid', 'anxious', 'anxiety', 'unsafe', 'danger', 'risk', 'risks', 'low mood', 'depressed',
  'grief', 'grieving', 'breathless', 'debt', 'arrears', 'missed', 'not eating', 'not sleeping', 'lost weight', 'exhausted',
  'tired', 'upset', 'distressed', 'angry', 'infection', 'ulcer', 'pressure sore', 'hospital', 'admitted', 'any more',
  'anymore', 'stopped', 'gave up', 'given up',
];
/** Who is around the person: family, friends, neighbours, groups. */
const NETWORK = [
  'son', 'sons', 'daughter', 'daughters', 'husband', 'wife', 'partner', 'mum', 'mother', 'dad', 'father', 'brother',
  'sister', 'niece', 'nephew', 'aunt', 'uncle', 'cousin', 'grandson', 'granddaughter', 'grandchildren', 'grandchild',
  'grandkids', 'family', 'friend', 'friends', 'neighbour', 'neighbours', 'neighbor', 'neighbors', 'carer', 'carers',
  'church', 'mosque', 'temple', 'gurdwara', 'synagogue', 'club', 'group', 'choir', 'volunteer', 'volunteers', 'befriender',
  'lodger', 'flatmate', 'godson', 'goddaughter', 'stepson', 'stepdaughter', 'in-law', 'pet', 'dog', 'cat',
];

const index = (phrases: string[]) => phrases.map((p) => ` ${phraseWords(p).join(' ')} `);
const matters = index(MATTERS);
const worry = index(WORRY);
const network = index(NETWORK);

/**
 * What a note is about. A worry stays a worry (deficit phrasing the language check found counts as
 * one); then what the person wants; then who is around them; anything else is a strength.
 */
export function fileNote(text: string, deficitPhrasing: number): NoteKind {
  const words = ` ${phraseWords(text).join(' ')} `;
  const has = (list: string[]) => list.some((p) => words.includes(p));
  if (has(matters) && !has(worry)) return 'matters';
  if (deficitPhrasing > 0 || has(worry)) return 'worry';
  if (has(matters)) return 'matters';
  if (has(network)) return 'network';
  return 'strength';
}
