// One realistic rehearsal, start to summary, as a practitioner would type and click it: the script the
// engine benchmark, the load test (`npm run load`) and the reliability tests walk. 32 turns: a purpose,
// five areas with draft questions and notes, affirmations, next steps, and the summary.

export type ScriptStep = string | { id: string; value?: string };

export const REHEARSAL_SCRIPT: readonly ScriptStep[] = [
  'rehearse',
  'First conversation with Mrs K after her fall; she is wheelchair-bound and has asked about a care home',
  { id: 'area', value: 'personal' },
  'What are you good at?',
  'What do you enjoy most about your week?',
  'She used to sing in the church choir and still knows every hymn',
  { id: 'ideas' },
  { id: 'next' },
  'Who do you turn to when things are hard?',
  'Who do you help out, and who helps you?',
  'Her daughter visits on Sundays and her neighbour brings the paper',
  { id: 'next' },
  'What would you like to try in your neighbourhood?',
  'Is there a lunch club near you?',
  { id: 'next' },
  'On a scale of 0 to 10, how worried are you about going home?',
  'When have the worries about the stairs been less bad?',
  'Can you manage?',
  'She suffers from dementia and wanders at night',
  { id: 'next' },
  "If you woke up tomorrow and the worries had gone, what would be the first thing you'd notice?",
  'What would a good life look like for you?',
  'Where are you on a scale of 0 to 10 today, and what would one point higher look like?',
  'She wants to stay in her own home and keep her cat',
  { id: 'affirm' },
  'she has cared for her husband for ten years without paid carers',
  'she walks to the shop every day despite her knee',
  { id: 'next' },
  'Ask her daughter which days she could help with shopping',
  'Find out about the lunch club at St Mary’s and the community transport to it',
  'Refer for an occupational therapy assessment of the stairs',
  { id: 'next' },
];

/** The step as the body of POST /web/messages (without conversation, user and messageId). */
export function stepBody(step: ScriptStep): { text: string } | { action: { id: string; value?: string } } {
  return typeof step === 'string' ? { text: step } : { action: step };
}
