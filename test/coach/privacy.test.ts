import { describe, expect, it } from 'vitest';
import { describeMasked, maskIdentifiers, validNhsNumber } from '../../src/coach/privacy.ts';
import { loadCoach } from '../../src/content/index.ts';
import { Engine } from '../../src/conversation/engine.ts';
import { MemoryStore } from '../../src/conversation/memory-store.ts';

describe('masking personal identifiers', () => {
  it.each([
    ['NHS number 943 476 5919 on file', 'NHS number [NHS number] on file', 'nhs-number'],
    ['NHS number 9434765919', 'NHS number [NHS number]', 'nhs-number'],
    ['ring 07700 900123 after six', 'ring [phone number] after six', 'phone'],
    ['landline (0161) 496 0000', 'landline [phone number]', 'phone'],
    ['landline 0161 496 0000', 'landline [phone number]', 'phone'],
    ['or +44 7700 900 123', 'or [phone number]', 'phone'],
    ['email mrs.k@example.org please', 'email [email address] please', 'email'],
    ['lives at M1 1AE now', 'lives at [postcode] now', 'postcode'],
    ['near SW1A 1AA', 'near [postcode]', 'postcode'],
    ['DOB: 12/03/1941.', '[date of birth].', 'date-of-birth'],
    ['born on 3rd March 1938 in Leeds', '[date of birth] in Leeds', 'date-of-birth'],
    ['a note from 14/02/1956', 'a note from [date of birth]', 'date-of-birth'],
    ['call +44 (0)7700 900461 today', 'call [phone number] today', 'phone'],
    ['or 0044 7700 900461', 'or [phone number]', 'phone'],
    ['NHS 943.476.5919', 'NHS [NHS number]', 'nhs-number'],
    ['born on the 14th of March 1941', 'born on the [date of birth]', 'date-of-birth'],
    ['her date of birth is 14/3/41', 'her [date of birth]', 'date-of-birth'],
    ['a note of 14/3/41', 'a note of [date of birth]', 'date-of-birth'],
    ['Mrs Kowalski is well', 'Mrs K is well', 'surname'],
    ['Mr Ahmed Khan came', 'Mr K came', 'surname'],
    ["Dr. O'Brien-Walsh rang", 'Dr. O rang', 'surname'],
    ['lives at 14 Acacia Avenue now', 'lives at [address] now', 'address'],
    ['flat at 221b Baker Street.', 'flat at [address].', 'address'],
    ['moved to 3, Mill lane', 'moved to [address]', 'address'],
  ])('%s', (input, output, kind) => {
    const result = maskIdentifiers(input);
    expect(result.text).toBe(output);
    expect(result.masked.map((m) => m.kind)).toEqual(kind ? [kind] : []);
  });

  it('leaves alone what is not an identifier', () => {
    for (const text of [
      'She scored 7 out of 10 today.',
      'Visit booked for 12/03/2026.',
      'Visit booked for 12/03/26.', // a two-digit year below 30 could be this century
      'Room 12, ward 4.',
      'NHS no 9434765918 (fails the checksum).',
      'In 1941 she moved to Leeds.',
      'Mr B said he was fine.', // already an initial
      'Dr appointment on Tuesday.',
      'She walked 3 miles up the Hill.',
      'She took 2 Paracetamol tablets.',
    ]) {
      expect(maskIdentifiers(text).text, text).toBe(text);
    }
  });

  it('checks NHS numbers with the modulus 11 check digit', () => {
    expect(validNhsNumber('9434765919')).toBe(true);
    expect(validNhsNumber('9434765918')).toBe(false);
    expect(validNhsNumber('1234567890')).toBe(false); // check digit would be 10: never issued
  });

  it('tells the practitioner what was masked', () => {
    const { masked } = maskIdentifiers('07700 900123, 07700 900124 and mrs.k@example.org');
    expect(describeMasked(masked)).toBe('I masked an email address and two phone numbers before keeping anything. Please use initials, not identifiers.');
  });

  it('names several of a kind in their own plural', () => {
    const { masked } = maskIdentifiers(
      'DOB 12/03/1941, born 4/5/1939; a@example.org, b@example.org; 14 Acacia Avenue, 16 Acacia Avenue; Mrs Kowalski, Mr Nowak',
    );
    expect(describeMasked(masked)).toBe(
      'I masked two email addresses, two dates of birth and two street addresses, and shortened two surnames to their initials before keeping anything. Please use initials, not identifiers.',
    );
    expect(describeMasked(maskIdentifiers('Mrs Kowalski').masked)).toBe('I shortened a surname to its initial before keeping anything. Please use initials, not identifiers.');
    expect(describeMasked(maskIdentifiers('07700 900123 for Mrs Kowalski').masked)).toBe(
      'I masked a phone number and shortened a surname to its initial before keeping anything. Please use initials, not identifiers.',
    );
  });

  it("keeps the surnames it is told are not personal (the scenarios' fictional people)", () => {
    const coach = loadCoach({});
    expect(coach.fictionalSurnames.has('Bell')).toBe(true);
    expect(maskIdentifiers('Mr Bell and Mrs Kowalski', coach.fictionalSurnames).text).toBe('Mr Bell and Mrs K');
  });

  it('stays linear on hostile input', () => {
    for (const text of [
      '0'.repeat(200_000),
      '1 '.repeat(100_000),
      'a@'.repeat(100_000),
      `${'a'.repeat(100_000)}@`,
      '12/'.repeat(60_000),
      `Mr ${'A'.repeat(100_000)}`,
      'Mrs '.repeat(50_000),
      `1 ${'Acacia '.repeat(30_000)}`,
    ]) {
      expect(() => maskIdentifiers(text)).not.toThrow();
    }
  });
});

describe('the engine masks before anything is stored', () => {
  it('keeps no identifier in the stored rehearsal and says what it masked', async () => {
    const store = new MemoryStore();
    const engine = new Engine({ store, coach: loadCoach({}), seed: () => 1 });
    const base = { conversation: 'web:privacy', user: 'web:u1' };
    await engine.handle({ ...base, text: 'rehearse' });
    const replies = await engine.handle({ ...base, text: 'Visit to Mrs K, NHS 943 476 5919, phone 07700 900123, DOB 12/03/1941.' });
    expect(replies[0]).toMatchObject({ kind: 'info', audience: 'author', text: expect.stringMatching(/masked an NHS number, a phone number and a date of birth|masked a date of birth, an NHS number and a phone number/) });
    const stored = JSON.stringify(await store.load(base.conversation));
    expect(stored).not.toMatch(/943 476 5919|07700|1941/);
    expect(stored).toContain('[NHS number]');
  });
});
