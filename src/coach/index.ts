export { Coach, type Analysis, type CoachContent, type Reworded } from './coach.ts';
export type { PhraseRewrite, Rewrite } from './rewrite.ts';
export type { Finding, Reframed } from './language.ts';
export type { QuestionResult } from './questions.ts';
export type { SuggestedQuestion } from './suggest.ts';
export type { Affirmation } from './affirm.ts';
