// Property-based tests (fast-check): well over 10,000 generated inputs through every parser and
// checker a person's words reach: the command router, the language check and reframe, identifier
// masking, the web payload parser (directly, and a smaller number as real HTTP posts), the Turn
// schema and the engine behind it, and the CLI's jsonl line parser. For each: no exception escapes
// (other than the one documented error type), results stay well-formed, and large inputs finish.
// Time is bounded by running large inputs and counting them, not by a clock; speed is the bench's job.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyseLine } from '../../src/cli/analyse.ts';
import { parseWebMessage, toTurn } from '../../src/channels/web/routes.ts';
import { maskIdentifiers, validNhsNumber } from '../../src/coach/privacy.ts';
import { loadCoach } from '../../src/content/index.ts';
import { areaIds } from '../../src/content/schemas.ts';
import { createEngine, TurnError } from '../../src/conversation/engine.ts';
import { MemoryStore } from '../../src/conversation/memory-store.ts';
import { route } from '../../src/conversation/router.ts';
import { MAX_TEXT, turn as turnSchema, type ParsedTurn, type Reply } from '../../src/conversation/types.ts';
import { HttpError } from '../../src/http.ts';
import { createServer, type CoachServer } from '../../src/server.ts';
import { postMessage } from '../support/coach-process.ts';

const coach = loadCoach({});
const areas = coach.content.stages.areas;

/**
 * Generated inputs each property actually ran, as fast-check reports them when it is done (not the
 * runs asked for): the file's last test checks the total. A failure is still thrown, as fast-check's
 * own reporter would.
 */
const counted = new Map<string, number>();
function runs<Ts>(name: string, numRuns: number): { numRuns: number; reporter: (out: fc.RunDetails<Ts>) => void } {
  return {
    numRuns,
    reporter: (out) => {
      counted.set(name, (counted.get(name) ?? 0) + out.numRuns);
      if (out.failed) throw new Error(fc.defaultReportMessage(out));
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Arbitraries: plain strings, any UTF-16 (lone surrogates included), and text built from the words
// the coach reacts to, so generated input reaches the interesting paths, not only the fallbacks.

const DOMAIN_WORDS = [
  'help', 'rehearse', 'next', 'back', 'skip', 'done', 'summary', 'forget', 'ideas', 'reframe', 'practice', 'affirm',
  '/coach ', 'coach ', 'start again', ...areaIds, 'scaling', 'support', 'miracle',
  'wanders', 'wandering', 'wheelchair-bound', 'vulnerable', 'suffers from', 'challenging behaviour', 'refuses', 'non-compliant',
  'elderly', 'dementia sufferer', 'bed-blocker', 'lacks capacity', 'at risk', 'problem', 'failed',
  'What', 'Who', 'How', 'When', 'Why', 'Can you', 'Do you', 'Is there', 'on a scale of 0 to 10', 'If you woke up tomorrow',
  '943 476 5919', '07700 900123', '+44 20 7946 0958', 'a.b@example.org', 'SW1A 1AA', 'DOB 01/02/1950', '12 March 1941',
  // Names of Object's own properties: a lookup table must not answer them (it did, once).
  'constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'she', 'he', 'walks', 'cares for', 'every day', 'for ten years',
  '?', '.', '!', ',', "'", '"', '\n', '\t', '  ', '-', '/', '😀', '\u0000', '\ud800', '\u202e',
];
const domainText = (maxWords: number) =>
  fc
    .array(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...DOMAIN_WORDS) }, fc.string({ maxLength: 6 }), fc.constant(' ')), { maxLength: maxWords })
    .map((parts) => parts.join(' '));
const anyText = (maxLength = 300) =>
  fc.oneof(fc.string({ maxLength }), fc.string({ unit: 'binary', maxLength }), domainText(Math.max(1, Math.floor(maxLength / 6))));
const ACTION_IDS = ['help', 'rehearse', 'restart', 'forget', 'ideas', 'prompt', 'next', 'back', 'skip', 'done', 'summary', 'affirm', 'area', 'reframe', 'share'];
const actionValue = fc.oneof(fc.constantFrom(...areaIds, 'post', 'private', ''), anyText(100));
/** Mostly sensible, sometimes long or blank: strings that reach the accepting paths and the limits. */
const idText = (max: number) => fc.oneof({ weight: 4, arbitrary: fc.string({ minLength: 1, maxLength: 30 }) }, fc.string({ maxLength: max + 20 }));
const action = fc.record({ id: fc.oneof(fc.constantFrom(...ACTION_IDS), fc.string({ minLength: 1, maxLength: 30 })), value: actionValue }, { requiredKeys: ['id'] });

function expectWellFormedFindings(text: string, findings: readonly { start: number; end: number; text: string }[]): void {
  for (const f of findings) {
    expect(Number.isInteger(f.start) && Number.isInteger(f.end)).toBe(true);
    expect(f.start).toBeGreaterThanOrEqual(0);
    expect(f.end).toBeGreaterThan(f.start);
    expect(f.end).toBeLessThanOrEqual(text.length);
    expect(text.slice(f.start, f.end)).toBe(f.text);
  }
}

// ---------------------------------------------------------------------------------------------

describe('command router', () => {
  const KINDS = new Set(['help', 'rehearse', 'restart', 'ideas', 'reframe', 'practice', 'forget', 'event', 'unknown-action']);
  const EVENTS = new Set(['TEXT', 'AREA', 'NEXT', 'BACK', 'SKIP', 'IDEAS', 'AFFIRM', 'DONE', 'PROMPT', 'SHARE', 'NAMES']);

  it('takes the names of Object\'s own properties as text, not as commands', () => {
    for (const text of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', '/coach constructor']) {
      expect(route({ conversation: 'c', user: 'u', channel: 'web', text } as ParsedTurn, areas)).toEqual({ kind: 'event', event: { type: 'TEXT', text } });
    }
  });

  it('routes any text or button to one well-formed command, never throwing', () => {
    const input = fc.oneof(
      anyText(400).map((text) => ({ text })),
      action.map((a) => ({ action: a })),
    );
    fc.assert(
      fc.property(input, (partial) => {
        const turn = { conversation: 'c', user: 'u', channel: 'web', ...partial } as ParsedTurn;
        const command = route(turn, areas);
        expect(KINDS.has(command.kind)).toBe(true);
        if (command.kind === 'event') {
          expect(EVENTS.has(command.event.type)).toBe(true);
          if (command.event.type === 'TEXT') expect(command.event.text).toBe((turn.text ?? '').trim());
          if (command.event.type === 'AREA') expect(areaIds).toContain(command.event.area);
        }
        if (command.kind === 'reframe') expect(typeof command.text).toBe('string');
        if (command.kind === 'ideas') expect(command.topic === undefined || typeof command.topic === 'string').toBe(true);
      }),
      runs('router', 3_000),
    );
  });
});

describe('language check', () => {
  it('analyses any text: offsets inside it, spans matching, a question or null', () => {
    fc.assert(
      fc.property(anyText(600), (text) => {
        const { findings, question, reframed, text: shown } = coach.analyse(text);
        expectWellFormedFindings(text, findings);
        // The reworded text, or null where nothing was reworded or a phrase had no safe rewording.
        expect(reframed === null || typeof reframed === 'string').toBe(true);
        expect(typeof shown).toBe('string');
        if (findings.length === 0) {
          expect(reframed).toBeNull();
          expect(shown).toBe(text);
        }
        if (question !== null) expect(typeof question.open).toBe('boolean');
      }),
      runs('analyse', 2_000),
    );
  });

  it('reframes any text consistently with its findings', () => {
    fc.assert(
      fc.property(anyText(600), (text) => {
        const { text: reframed, findings } = coach.reframe(text);
        expectWellFormedFindings(text, findings);
        expect(findings.length === 0 ? reframed === text : typeof reframed === 'string').toBe(true);
      }),
      runs('reframe', 1_000),
    );
  });

  it('drafts affirmations from any note: plain sentences, never a leaked object or function', () => {
    expect(coach.affirm('she constructor every day').map((a) => a.text).join(' ')).not.toContain('native code');
    fc.assert(
      fc.property(anyText(300), (note) => {
        for (const a of coach.affirm(note)) {
          expect(typeof a.kind).toBe('string');
          expect(typeof a.text).toBe('string');
          expect(a.text).not.toMatch(/\[native code\]|\[object Object\]/);
        }
      }),
      runs('affirm', 1_000),
    );
  });

  it('finishes on inputs of 5,000 to 10,000 characters, plain and adversarial', () => {
    let large = 0;
    const big = fc.oneof(
      fc.string({ minLength: 5_000, maxLength: 10_000 }),
      fc.string({ unit: 'binary', minLength: 5_000, maxLength: 10_000 }),
      // Domain words repeated up to the size: many findings, long sentences, stuttered phrases.
      fc.tuple(domainText(60), fc.integer({ min: 5_000, max: 10_000 })).map(([seed, size]) => (seed.length ? seed.repeat(Math.ceil(size / seed.length)).slice(0, size) : 'x'.repeat(size))),
    );
    fc.assert(
      fc.property(big, (text) => {
        if (text.length >= 5_000) large++;
        const { findings } = coach.analyse(text);
        expectWellFormedFindings(text, findings);
        expectWellFormedFindings(text, coach.reframe(text).findings);
      }),
      runs('analyse-large', 300),
    );
    expect(large).toBeGreaterThanOrEqual(250);
  });
});

describe('identifier masking', () => {
  const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));
  const nhsNumber = digits(9)
    .map((nine) => {
      for (let check = 0; check <= 9; check++) if (validNhsNumber(nine + check)) return nine + check;
      return undefined;
    })
    .filter((n): n is string => n !== undefined)
    .chain((n) => fc.constantFrom(n, `${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`, `${n.slice(0, 3)}-${n.slice(3, 6)}-${n.slice(6)}`));
  const mobile = digits(9).chain((d) => fc.constantFrom(`07${d}`, `07${d.slice(0, 3)} ${d.slice(3)}`, `+44 7${d.slice(0, 3)} ${d.slice(3)}`));
  const landline = digits(8).chain((d) => fc.constantFrom(`020 ${d.slice(0, 4)} ${d.slice(4)}`, `(020) ${d.slice(0, 4)} ${d.slice(4)}`, `01${d.slice(0, 3)} ${d.slice(3)}0`));
  const email = fc
    .tuple(fc.stringMatching(/^[a-z][a-z0-9._-]{0,15}[a-z0-9]$/), fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/), fc.constantFrom('org', 'co.uk', 'gov.uk', 'nhs.net'))
    .map(([local, domain, tld]) => `${local}@${domain}.${tld}`);
  const postcode = fc
    .tuple(fc.constantFrom('SW1A', 'M1', 'B33', 'CR2', 'DN55', 'W1A', 'EC1A', 'LS6'), digits(1), fc.constantFrom(...'ABDEFGHJLNPQRSTUWXYZ'), fc.constantFrom(...'ABDEFGHJLNPQRSTUWXYZ'), fc.constantFrom(' ', ''))
    .map(([outward, d, a, b, space]) => `${outward}${space}${d}${a}${b}`);
  const dateOfBirth = fc
    .tuple(fc.integer({ min: 1, max: 28 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1900, max: 2009 }), fc.constantFrom('/', '.', '-'), fc.constantFrom('DOB ', 'born ', 'date of birth: ', ''))
    .map(([day, month, year, sep, cue]) => `${cue}${day}${sep}${month}${sep}${year}`);
  // Surrounding text without digits, @ or + so it cannot join the identifier into something longer.
  const prose = fc.stringMatching(/^[A-Za-z ,;:!?'"()]{0,40}$/);
  const identifier = fc.oneof(
    nhsNumber.map((v) => ({ kind: 'nhs-number', v })),
    mobile.map((v) => ({ kind: 'phone', v })),
    landline.map((v) => ({ kind: 'phone', v })),
    email.map((v) => ({ kind: 'email', v })),
    postcode.map((v) => ({ kind: 'postcode', v })),
    dateOfBirth.map((v) => ({ kind: 'date-of-birth', v })),
  );

  it('masks every generated identifier: the masked text never holds it, and the count says so', () => {
    fc.assert(
      fc.property(prose, identifier, prose, (before, { kind, v }, after) => {
        const text = `${before} ${v} ${after}`;
        const { text: masked, masked: what } = maskIdentifiers(text);
        expect(masked).not.toContain(v.replace(/^(DOB |born |date of birth: )/, ''));
        // The prose around it has no digits and no @: nothing of the identifier may be left at all.
        expect(masked).not.toMatch(/[\d@]/);
        expect(what.reduce((n, m) => n + m.count, 0)).toBeGreaterThanOrEqual(1);
        expect(what.map((m) => m.kind)).toContain(kind);
      }),
      runs('mask-identifiers', 2_000),
    );
  });

  it('handles any text: no exception, nothing added where there is nothing to mask, counts well-formed', () => {
    fc.assert(
      fc.property(anyText(2_000), (text) => {
        const { text: out, masked } = maskIdentifiers(text);
        if (!/[\d@]/.test(text)) expect(out).toBe(text);
        for (const m of masked) expect(Number.isInteger(m.count) && m.count >= 1).toBe(true);
        if (masked.length === 0) expect(out).toBe(text);
      }),
      runs('mask-any', 1_000),
    );
  });
});

describe('web payload parser', () => {
  const field = (valid: fc.Arbitrary<unknown>) => fc.oneof({ weight: 4, arbitrary: valid }, fc.anything());
  const nearlyValid = fc.record(
    {
      conversation: field(fc.string({ maxLength: 220 })),
      user: field(fc.string({ maxLength: 170 })),
      text: field(anyText(300)),
      action: field(action),
      messageId: field(fc.string({ maxLength: 220 })),
      colour: fc.string(),
    },
    { requiredKeys: [] },
  );
  const validish = fc
    .record({ conversation: idText(200), user: idText(150), messageId: idText(200) }, { requiredKeys: ['conversation', 'user'] })
    .chain((ids) => fc.oneof(anyText(300).map((text) => ({ ...ids, text })), action.map((a) => ({ ...ids, action: a }))));
  const body = fc.oneof({ weight: 3, arbitrary: validish }, nearlyValid, fc.anything(), fc.jsonValue());

  it('accepts only messages that make a valid Turn, and refuses the rest with 400 and a reason', () => {
    let accepted = 0;
    fc.assert(
      fc.property(body, (raw) => {
        let message;
        try {
          message = parseWebMessage(raw);
        } catch (error) {
          expect(error).toBeInstanceOf(HttpError);
          expect((error as HttpError).status).toBe(400);
          expect((error as HttpError).message).toMatch(/^Bad request: \S.*\.$/s);
          return;
        }
        accepted++;
        expect((message.text === undefined) !== (message.action === undefined)).toBe(true);
        expect(message.conversation.length).toBeGreaterThan(0);
        expect(turnSchema.safeParse(toTurn(message)).success).toBe(true);
      }),
      runs('web-parser', 2_500),
    );
    expect(accepted).toBeGreaterThan(100); // the generator reaches the accepting path too
  });

  it('parses any string sent as a body without throwing anything but a 400', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.json(), body.map((b) => JSON.stringify(b) ?? 'null')), (text) => {
        let raw: unknown;
        try {
          raw = JSON.parse(text);
        } catch {
          return; // readJson answers 400 "not valid JSON" before the parser is reached
        }
        try {
          parseWebMessage(raw);
        } catch (error) {
          expect(error).toBeInstanceOf(HttpError);
        }
      }),
      runs('web-parser-strings', 1_000),
    );
  });

  describe('over real HTTP', () => {
    let http: CoachServer;
    let base: string;
    beforeAll(async () => {
      const store = new MemoryStore({ sweepIntervalMs: 0 });
      http = createServer({ config: { port: 0, host: '127.0.0.1', webRateLimit: false }, engine: createEngine({ store, coach }), store });
      base = `http://127.0.0.1:${(await http.listen()).port}`;
    });
    afterAll(() => http?.close());

    it('answers generated bodies with 200 or a 4xx and a reason, never a 5xx', async () => {
      const posted = fc.oneof(
        validish.map((b) => JSON.stringify(b)),
        nearlyValid.map((b) => JSON.stringify(b)),
        fc.jsonValue().map((v) => JSON.stringify(v) ?? 'null'),
        fc.string({ maxLength: 200 }),
        fc.string({ unit: 'binary', maxLength: 200 }),
      );
      const statuses = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(posted, async (raw) => {
          const { status, body: answer } = await postMessage(base, raw);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          expect([200, 400, 413]).toContain(status);
          if (status === 200) expect(Array.isArray(answer.replies)).toBe(true);
          else expect(answer.error).toMatch(/\S/);
        }),
        runs('web-http', 200),
      );
      expect(statuses.get(400)).toBeGreaterThan(0);
    });
  });
});

describe('Turn schema and the engine behind it', () => {
  const store = new MemoryStore({ sweepIntervalMs: 0 });
  const engine = createEngine({ store, coach, seed: () => 11 });
  afterAll(() => store.close());
  const turnLike = fc.record(
    {
      // A few conversations, so generated turns build real rehearsals up and walk them around.
      conversation: fc.oneof({ weight: 5, arbitrary: fc.constantFrom('c1', 'c2', 'c3') }, fc.anything(), fc.string({ maxLength: 320 })),
      user: fc.oneof({ weight: 5, arbitrary: fc.constantFrom('u1', 'u2') }, fc.anything(), fc.string({ maxLength: 220 })),
      text: fc.oneof({ weight: 5, arbitrary: domainText(30) }, fc.anything(), fc.string({ maxLength: MAX_TEXT + 50 })),
      action: fc.oneof({ weight: 5, arbitrary: action }, fc.anything()),
      messageId: fc.oneof(fc.uuid(), fc.constantFrom('dup-1', 'dup-2'), fc.anything()),
      channel: fc.oneof(fc.constantFrom('web', 'slack', 'teams', 'terminal'), fc.anything()),
      origin: fc.oneof(fc.string({ maxLength: 40 }), fc.anything()),
      userName: fc.oneof(fc.string({ maxLength: 40 }), fc.anything()),
      extra: fc.anything(),
    },
    { requiredKeys: [] },
  );

  const validTurn = fc
    .record(
      {
        conversation: fc.constantFrom('c1', 'c2', 'c3', 'c4'),
        user: fc.constantFrom('u1', 'u2'),
        messageId: fc.oneof(fc.uuid(), fc.constantFrom('dup-1', 'dup-2')),
        channel: fc.constantFrom('web', 'slack', 'teams', 'terminal'),
      },
      { requiredKeys: ['conversation', 'user'] },
    )
    .chain((base) => fc.oneof({ weight: 2, arbitrary: domainText(20).map((text) => ({ ...base, text })) }, action.map((a) => ({ ...base, action: a }))));
  const anyTurn = fc.oneof({ weight: 3, arbitrary: validTurn }, turnLike);

  it('the schema parses anything without throwing, and what it accepts is a usable turn', () => {
    fc.assert(
      fc.property(fc.oneof({ weight: 2, arbitrary: anyTurn }, fc.anything()), (raw) => {
        const parsed = turnSchema.safeParse(raw);
        if (!parsed.success) return;
        const t = parsed.data;
        expect(t.text !== undefined || t.action !== undefined).toBe(true);
        expect(t.conversation.trim()).toBe(t.conversation);
        expect(t.conversation.length).toBeGreaterThan(0);
        expect(typeof t.channel).toBe('string');
      }),
      runs('turn-schema', 2_000),
    );
  });

  it('the engine answers any turn with well-formed replies, or refuses it with TurnError', async () => {
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(anyTurn, async (raw) => {
        let replies: Reply[];
        try {
          replies = await engine.handle(raw as never);
        } catch (error) {
          expect(error).toBeInstanceOf(TurnError);
          return;
        }
        answered++;
        for (const reply of replies) {
          expect(typeof reply.text).toBe('string');
          expect(reply.text.length).toBeGreaterThan(0);
          expect(JSON.stringify(reply)).not.toMatch(/\[native code\]|\[object Object\]/);
          for (const a of reply.actions ?? []) expect(typeof a.id === 'string' && typeof a.label === 'string').toBe(true);
        }
      }),
      runs('engine', 1_500),
    );
    expect(answered).toBeGreaterThan(200);
  });
});

describe('coach analyse --jsonl line parser', () => {
  it('answers any line with one object: an id and either findings or an error', () => {
    const line = fc.oneof(
      { weight: 3, arbitrary: fc.record({ id: fc.oneof(fc.string({ maxLength: 10 }), fc.integer()), text: anyText(400) }).map((o) => JSON.stringify(o)) },
      fc.string({ maxLength: 200 }),
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.json(),
      fc.record({ id: fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.anything()), text: fc.oneof({ weight: 4, arbitrary: anyText(400) }, fc.anything()), more: fc.anything() }, { requiredKeys: [] }).map((o) => JSON.stringify(o) ?? ''),
    );
    let analysed = 0;
    fc.assert(
      fc.property(line, fc.integer({ min: 1, max: 1_000_000 }), (text, lineNumber) => {
        const result = analyseLine(coach, text, lineNumber);
        expect(result).toHaveProperty('id');
        expect(result.id === null || typeof result.id === 'string' || typeof result.id === 'number').toBe(true);
        const out = JSON.stringify(result);
        expect(out).not.toContain('\n'); // one line out per line in
        if ('error' in result) {
          expect(result.error).toMatch(new RegExp(`^line ${lineNumber}: `));
          return;
        }
        analysed++;
        const input = (JSON.parse(text) as { text: string }).text;
        expectWellFormedFindings(input, result.findings as { start: number; end: number; text: string }[]);
        expect(result.question === null || typeof result.question === 'object').toBe(true);
      }),
      runs('analyse-line', 2_000),
    );
    expect(analysed).toBeGreaterThan(100);
  });
});

describe('in all', () => {
  it('pushed at least 10,000 generated inputs through', () => {
    const total = [...counted.values()].reduce((a, b) => a + b, 0);
    console.log(`property-based inputs: ${total} (${[...counted].map(([k, v]) => `${k} ${v}`).join(', ')})`);
    expect(total).toBeGreaterThanOrEqual(10_000);
  });
});
