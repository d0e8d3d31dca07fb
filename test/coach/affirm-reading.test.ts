// How a written affirmation reads (src/coach/affirm.ts): praise, the second person, and its kind.
import { describe, expect, it } from 'vitest';
import { loadCoach } from '../../src/content/index.ts';

const coach = loadCoach();

describe('reading an affirmation', () => {
  it('finds the speaker’s approval as praise, and tells values from success in adversity', () => {
    expect(coach.readAffirmation("I'm so proud of you for getting back to the shop.").praise).toContain("I'm so proud");
    expect(coach.readAffirmation('Your garden matters so much to you.')).toEqual({ praise: [], speaksToPerson: true, kind: 'values' });
    expect(coach.readAffirmation('You have kept going despite the pain.')).toEqual({ praise: [], speaksToPerson: true, kind: 'adversity' });
    expect(coach.readAffirmation('You walk to the shop every day.')).toEqual({ praise: [], speaksToPerson: true });
  });

  it('does not take "thank you" for speaking to the person', () => {
    expect(coach.readAffirmation('Thank you, she has done well.').speaksToPerson).toBe(false);
    expect(coach.readAffirmation('She has cared for her husband for ten years.').speaksToPerson).toBe(false);
  });
});
