// "Check a note": the language check over a whole case note, for the page's write-up mode. Stateless:
// the note is checked and answered, never stored or logged. The page sends which findings the
// practitioner accepted, and gets the note reworded with those alone.
import { z } from 'zod';
import type { Coach } from '../../coach/index.ts';

export const MAX_NOTE = 10_000;

export const noteCheck = z.strictObject(
  {
    // Optional only for a signed-in page, whose user is who signed in (routes check it is there otherwise).
    user: z.string('user must be a string').trim().min(1, 'user must not be empty').max(150, 'user can be at most 150 characters').optional(),
    text: z
      .string('text is required')
      .max(MAX_NOTE, `a note can be at most ${MAX_NOTE.toLocaleString('en-GB')} characters`)
      .refine((text) => text.trim().length > 0, 'paste the note to check'),
    /** Indexes of the findings to reword; none when absent. */
    accept: z.array(z.number().int().min(0).max(MAX_NOTE)).max(MAX_NOTE).optional(),
  },
  { error: (issue) => (issue.code === 'invalid_type' ? 'The request body must be a JSON object.' : undefined) },
);
export type NoteCheck = z.infer<typeof noteCheck>;

export interface NoteCheckResult {
  findings: { start: number; end: number; text: string; category: string; suggestion: string; alternatives: string[]; why: string; preference?: string }[];
  /** The note with the accepted findings reworded. */
  reworded: string;
}

export function checkNote(coach: Coach, { text, accept = [] }: NoteCheck): NoteCheckResult {
  const accepted = new Set(accept);
  const { text: reworded, findings } = coach.reframe(text, (index) => accepted.has(index));
  return {
    reworded,
    findings: findings.map(({ start, end, text, category, suggestion, alternatives, why, preference }) => ({
      start,
      end,
      text,
      category,
      suggestion,
      alternatives,
      why,
      ...(preference && { preference }),
    })),
  };
}
